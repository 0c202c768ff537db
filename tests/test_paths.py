"""Repository globs and command-line path expansion."""

from __future__ import annotations

from pathlib import Path

import pytest

from listwatch.paths import expand_arguments, find_root, glob_match, matching


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("paper-list/**/*.md", "paper-list/systems-for-ml/llm.md", True),
        ("paper-list/**/*.md", "paper-list/README.md", True),
        ("paper-list/**/*.md", "reading-notes/x.md", False),
        ("*.md", "README.md", True),
        ("*.md", "docs/README.md", False),
        ("**/*.md", "a/b/c.md", True),
        ("**", "a/b/c.txt", True),
        ("docs/[ab].md", "docs/a.md", True),
        ("docs/[!ab].md", "docs/a.md", False),
        ("docs/?.md", "docs/xy.md", False),
    ],
)
def test_glob_match(pattern: str, path: str, expected: bool) -> None:
    assert glob_match(pattern, path) is expected


def test_matching_sorts_and_filters() -> None:
    assert matching(["b.md", "a.md", "x/c.md", "d.txt"], ["*.md"]) == ["a.md", "b.md"]


def test_expand_arguments_reports_problems_and_keeps_going(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("* x\n")
    (tmp_path / "empty").mkdir()
    files, problems = expand_arguments(
        [str(tmp_path / "docs"), str(tmp_path / "missing.md"), str(tmp_path / "empty")]
    )
    assert [f.display for f in files] == ["docs/a.md"]
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'missing.md'}: no such file or directory",
        f"{tmp_path / 'empty'}: directory has no Markdown (*.md) files",
    ]


def test_gitbook_root_found_without_git() -> None:
    corpus = Path(__file__).resolve().parents[2] / "shared/corpus/awesome-papers"
    if not corpus.exists():
        pytest.skip("shared corpus not beside the repository")
    assert find_root(corpus / "paper-list/systems-for-ml/llm.md") == corpus
