"""Changed lines since a git ref, from a real temporary repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from listwatch.errors import InputError
from listwatch.gitdiff import Changed, changed_lines, parse_diff, toplevel


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "config", "user.email", "t@example.org")
    _git(tmp_path, "config", "user.name", "T")
    (tmp_path / "list.md").write_text("".join(f"line {n}\n" for n in range(1, 11)))
    (tmp_path / "same.md").write_text("x\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "base")
    return tmp_path


def test_added_changed_and_deleted_lines(repo: Path) -> None:
    lines = (repo / "list.md").read_text().splitlines()
    lines[2] = "line 3 changed"
    del lines[5]                       # a deletion adds nothing on the new side
    lines.insert(7, "new a")
    lines.insert(8, "new b")
    (repo / "list.md").write_text("\n".join(lines) + "\n")
    (repo / "new file.md").write_text("a\nb\n")
    found = changed_lines(repo, "main", ["list.md", "same.md", "new file.md"])
    assert found["list.md"] == Changed(frozenset({3, 8, 9}))
    assert found["same.md"] == Changed()
    assert found["new file.md"].everything and found["new file.md"].touches(99)
    assert found["list.md"].touches(1, 3) and not found["list.md"].touches(4, 7)


def test_committed_changes_since_the_base_count_too(repo: Path) -> None:
    base = _git(repo, "rev-parse", "HEAD")
    with (repo / "list.md").open("a") as handle:
        handle.write("line 11\n")
    _git(repo, "commit", "-q", "-am", "more")
    assert changed_lines(repo, base, ["list.md"])["list.md"].lines == {11}
    assert toplevel(repo).resolve() == repo.resolve()


def test_unknown_base_and_no_checkout_are_one_line_errors(repo: Path, tmp_path_factory) -> None:
    with pytest.raises(InputError, match=r"git knows no commit 'nope'.*fetch-depth: 0"):
        changed_lines(repo, "nope", ["list.md"])
    outside = tmp_path_factory.mktemp("plain")
    with pytest.raises(InputError, match="not inside a git checkout"):
        toplevel(outside)


def test_parse_diff_reads_hunks_per_file() -> None:
    diff = ("diff --git a/a.md b/a.md\n--- a/a.md\n+++ b/a.md\n@@ -1,0 +2,3 @@\n+x\n"
            "@@ -9 +12 @@\n-y\n+z\n@@ -20,2 +22,0 @@\n-gone\n"
            "diff --git a/old.md b/old.md\n--- a/old.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-q\n")
    assert parse_diff(diff) == {"a.md": frozenset({2, 3, 4, 12})}
