"""`--output` (issue 12, item 1): devices and FIFOs stay what they are, a file keeps
its permissions, and a report never replaces a list."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

LIST = "# L\n\n- T [Paper](https://example.org/p)\n"


def listwatch(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "listwatch", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "list.md").write_text(LIST, encoding="utf-8")
    (tmp_path / "config.toml").write_text(
        '[[targets]]\nrepo = "o/r"\npath = "."\nfiles = ["docs/*.md"]\n\n'
        f'[state]\npath = "{tmp_path / "state.db"}"\n', encoding="utf-8")
    return tmp_path


def test_a_device_behind_the_output_path_is_written_not_replaced(repo: Path) -> None:
    # Through a link of our own, so that a regression replaces the link, never /dev/null.
    (repo / "null").symlink_to(os.devnull)
    result = listwatch("links", "docs/list.md", "-o", "null", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (repo / "null").is_symlink()
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_device_is_one_error_line_and_exit_2(repo: Path) -> None:
    (repo / "full").symlink_to("/dev/full")
    result = listwatch("links", "docs/list.md", "-o", "full", cwd=repo)
    assert result.returncode == 2
    assert result.stderr == "listwatch: error: /dev/full: cannot write: No space left on device\n"
    assert (repo / "full").is_symlink()


def test_a_fifo_receives_the_report_and_stays_a_fifo(repo: Path) -> None:
    fifo = repo / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = listwatch("links", "docs/list.md", "-o", "pipe", cwd=repo)
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert b"https://example.org/p" in received[0]


def test_an_existing_file_keeps_its_mode_and_a_new_one_gets_the_umask(repo: Path) -> None:
    kept = repo / "kept.txt"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o640)
    assert listwatch("links", "docs/list.md", "-o", "kept.txt", cwd=repo).returncode == 0
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    assert "https://example.org/p" in kept.read_text(encoding="utf-8")
    umask = os.umask(0o022)
    os.umask(umask)
    assert listwatch("links", "docs/list.md", "-o", "new.txt", cwd=repo).returncode == 0
    assert stat.S_IMODE((repo / "new.txt").stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("command", [
    ("run", "--dry-run", "-o", "docs/list.md"),
    ("check", "-o", "docs/../docs/list.md"),
    ("check", "docs", "-o", "docs/list.md"),
    ("links", "docs/list.md", "-o", "docs/list.md"),
])
def test_a_report_never_replaces_a_list(repo: Path, command: tuple[str, ...]) -> None:
    result = listwatch(*command, cwd=repo)
    assert result.returncode == 2
    assert result.stderr == (f"listwatch: error: {command[-1]}: is a list that listwatch "
                             "reads; write the report elsewhere (--output)\n")
    assert (repo / "docs" / "list.md").read_text(encoding="utf-8") == LIST
