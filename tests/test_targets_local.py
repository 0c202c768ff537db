"""Local lists that cannot be read stop `check`, `run` and `links` with one line and
exit 2 (issue 12, items 4 and 11): no run goes green on "checked 0 URLs"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

LIST = "# L\n\n- T [Paper](https://example.org/p)\n"


def listwatch(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "listwatch", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd, env=env)


def make_repo(root: Path, files: str = '["docs/*.md"]') -> Path:
    (root / ".git").mkdir()
    (root / "docs").mkdir()
    (root / "docs" / "list.md").write_text(LIST, encoding="utf-8")
    (root / "config.toml").write_text(
        f'[[targets]]\nrepo = "o/r"\npath = "."\nfiles = {files}\n\n'
        f'[state]\npath = "{root / "state.db"}"\n', encoding="utf-8")
    return root


BAD = [
    (b"# L\n\0", "docs/bad.md: binary file (NUL byte at offset 4, line 2)"),
    (b"# L\n\xc3\x28\n", "docs/bad.md: not valid UTF-8 (byte offset 4, line 2)"),
    (b"#" * 10_000_001, "docs/bad.md: file is 10000001 bytes, over the 10000000-byte limit"),
]


@pytest.mark.parametrize(("content", "problem"), BAD)
@pytest.mark.parametrize("command", [("check",), ("run", "--dry-run"), ("check", "docs"),
                                     ("links", "docs")])
def test_an_unreadable_list_file_is_one_line_and_exit_2(tmp_path: Path, content: bytes,
                                                       problem: str,
                                                       command: tuple[str, ...]) -> None:
    repo = make_repo(tmp_path)
    (repo / "docs" / "bad.md").write_bytes(content)
    result = listwatch(*command, cwd=repo)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"listwatch: error: {problem}"]


@pytest.mark.parametrize("command", [("check",), ("run", "--dry-run")])
def test_a_files_glob_that_matches_nothing_is_named(tmp_path: Path,
                                                    command: tuple[str, ...]) -> None:
    repo = make_repo(tmp_path, '["docs/*.md", "lists/**/*.md"]')
    result = listwatch(*command, cwd=repo)
    assert result.returncode == 2
    assert result.stderr == (f"listwatch: error: o/r: no file under {repo} matches "
                             "lists/**/*.md\n")


@pytest.mark.parametrize("command", [("check",), ("check", "docs"), ("links", "docs"),
                                     ("check", "docs/passwd.md")])
def test_a_symlink_out_of_the_repository_is_refused(tmp_path: Path,
                                                    command: tuple[str, ...]) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("# secret [s](https://secret.example/)\n", encoding="utf-8")
    (tmp_path / "repo").mkdir()
    repo = make_repo(tmp_path / "repo")
    (repo / "docs" / "passwd.md").symlink_to(outside)
    (repo / "docs" / "inside.md").symlink_to(repo / "docs" / "list.md")
    result = listwatch(*command, cwd=repo)
    assert result.returncode == 2
    assert result.stderr == ("listwatch: error: docs/passwd.md: is a symbolic link to a file "
                             "outside the repository; not read\n")
    assert "secret.example" not in result.stdout
