"""Reading the list from GitHub (no local checkout), as the default config does."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import FAST_HTTP, load

pytestmark = pytest.mark.e2e

README = "# Papers\n\n* [Section](paper-list/llm.md)\n"
LLM = ("# LLM\n\n* A (SOSP 2023) \\[[Paper](https://papers.example/a)] "
       "\\[[Notes](../notes/a.md)] \\[[Missing](../notes/b.md)]\n")


def write_config(tmp_path: Path, files: str = '["paper-list/**/*.md"]') -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f'[[targets]]\nrepo = "mental2008/awesome-papers"\nfiles = {files}\n'
                      f"{FAST_HTTP}", encoding="utf-8")
    return config


def test_list_read_through_the_api_and_raw_files(world, tmp_path: Path) -> None:
    world.github.repo("mental2008/awesome-papers", default_branch="master").files(
        {"README.md": README, "paper-list/llm.md": LLM, "notes/a.md": "# A\n",
         "paper-list/skip.txt": "not a list"})
    world.host("papers.example").route("/a", status=200)
    result = world.run_cli("check", "--config", str(write_config(tmp_path)), "--format", "json")
    assert result.returncode == 1, result.stderr  # notes/b.md is missing from the repository
    report = load(result.stdout)
    assert report["files"] == ["paper-list/llm.md"]
    status = {row["url"]: row["status"] for row in report["links"]}
    assert status == {"https://papers.example/a": "ok", "notes/a.md": "ok",
                      "notes/b.md": "broken"}
    # Three API requests (the repository for its default branch, the branch for its head
    # commit and tree, one recursive tree); the file itself comes from
    # raw.githubusercontent.com, outside the API budget.
    head = world.github.branch_head("mental2008/awesome-papers", "master")
    api = world.requests("api.github.com")
    assert [(r.method, r.path) for r in api] == [
        ("GET", "/repos/mental2008/awesome-papers"),
        ("GET", "/repos/mental2008/awesome-papers/branches/master"),
        ("GET", f"/repos/mental2008/awesome-papers/git/trees/{head['tree']}"),
    ]
    raw = world.requests("raw.githubusercontent.com")
    assert len(raw) == 1 and raw[0].path.endswith("/paper-list/llm.md")


def test_missing_repository_is_one_clear_line(world, tmp_path: Path) -> None:
    result = world.run_cli("check", "--config", str(write_config(tmp_path)))
    assert result.returncode == 3
    assert result.stderr.strip() == (
        "listwatch: error: GitHub: /repos/mental2008/awesome-papers not found "
        "(is the repository public, or does the token have access?)")


def test_a_glob_that_matches_nothing_fails_the_check(world, tmp_path: Path) -> None:
    world.github.repo("mental2008/awesome-papers").files({"README.md": README})
    result = world.run_cli("check", "--config",
                           str(write_config(tmp_path, '["README.md", "lists/*.md"]')))
    assert result.returncode == 2
    assert result.stderr == ("listwatch: error: mental2008/awesome-papers@main: no file "
                             "matches lists/*.md\n")


@pytest.mark.parametrize(("content", "problem"), [
    (b"# L\n\0\n", "binary file (NUL byte at offset 4, line 2)"),
    (b"# L\n\xff\n", "not valid UTF-8 (byte offset 4, line 2)"),
])
def test_a_list_file_that_cannot_be_read_fails_the_check(world, tmp_path: Path, content: bytes,
                                                         problem: str) -> None:
    world.github.repo("mental2008/awesome-papers").files(
        {"paper-list/llm.md": LLM, "paper-list/bad.md": content})
    result = world.run_cli("check", "--config", str(write_config(tmp_path)))
    assert result.returncode == 2
    assert result.stderr == (f"listwatch: error: mental2008/awesome-papers: "
                             f"paper-list/bad.md: {problem}\n")


def test_a_passing_github_error_is_retried(world, tmp_path: Path) -> None:
    world.github.repo("mental2008/awesome-papers").files({"paper-list/llm.md": LLM,
                                                          "notes/a.md": "# A\n"})
    world.host("papers.example").route("/a", status=200)
    world._add_fault("api.github.com", status=502, times=1)
    world._add_fault("raw.githubusercontent.com", status=503, times=1)
    result = world.run_cli("check", "--config", str(write_config(tmp_path)), "--format", "json")
    assert result.returncode == 1, result.stderr  # only notes/b.md, missing from the repo
    assert load(result.stdout)["files"] == ["paper-list/llm.md"]
    assert [r.status for r in world.requests("api.github.com")][:2] == [502, 200]


def test_files_are_read_from_the_branch_head_commit(world, tmp_path: Path) -> None:
    # The raw files must be fetched by the branch's head COMMIT: raw.githubusercontent.com
    # serves branches, tags and commits, never a tree SHA (what `git/trees/{branch}`
    # answers with at its top level).
    repo = "mental2008/awesome-papers"
    world.github.repo(repo).files({"paper-list/llm.md": LLM, "notes/a.md": "# A\n"})
    v2 = LLM.replace("https://papers.example/a", "https://papers.example/v2")
    world.github.push(repo, "lists/v2", {"paper-list/llm.md": v2}, author="alice")
    world.host("papers.example").route("/v2", status=200)
    head = world.github.branch_head(repo, "lists/v2")
    config = tmp_path / "config.toml"
    config.write_text(f'[[targets]]\nrepo = "{repo}"\nbranch = "lists/v2"\n'
                      f'files = ["paper-list/*.md"]\n{FAST_HTTP}', encoding="utf-8")
    result = world.run_cli("check", "--config", str(config), "--format", "json")
    report = load(result.stdout)
    assert report["files"] == ["paper-list/llm.md"], result.stderr
    assert "https://papers.example/v2" in {row["url"] for row in report["links"]}
    raw = world.requests("raw.githubusercontent.com")
    assert [(r.path, r.status) for r in raw] == [
        (f"/{repo}/{head['commit']}/paper-list/llm.md", 200)]
    api = [r.path for r in world.requests("api.github.com")]
    assert api == [f"/repos/{repo}/branches/lists%2Fv2", f"/repos/{repo}/git/trees/{head['tree']}"]
