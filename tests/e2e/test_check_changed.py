"""`listwatch check --changed BASE`: a pull request's new lines, checked alone."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .helpers import FAST_HTTP, load

pytestmark = pytest.mark.e2e

BASE_LIST = ("# Papers\n\n## Systems\n\n"
             "* Old paper (SOSP 2023) \\[[Paper](https://papers.example/gone-long-ago)]\n"
             "* Kept paper (OSDI 2024) \\[[Paper](https://papers.example/kept)]\n")
ADDED = ("* Punica: Multi-Tenant LoRA Serving (arXiv 2310.18547) "
         "\\[[arXiv](https://browse.arxiv.org/abs/2310.18547)] "
         "\\[[Code](https://github.com/old/tool)]\n"
         "* New paper (NSDI 2024) \\[[Paper](https://papers.example/dead)]\n"
         "* Kept paper again (OSDI 2024) \\[[Paper](https://papers.example/kept)]\n")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def _pull_request_checkout(tmp_path: Path) -> tuple[Path, str]:
    repo = tmp_path / "list"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "c@example.org")
    _git(repo, "config", "user.name", "Contributor")
    (repo / "list.md").write_text(BASE_LIST, encoding="utf-8")
    (repo / "config.toml").write_text(
        f'[[targets]]\nrepo = "owner/list"\nfiles = ["*.md"]\n{FAST_HTTP}', encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    base = _git(repo, "rev-parse", "HEAD")
    (repo / "list.md").write_text(BASE_LIST + ADDED, encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "Add two papers")
    return repo, base


def test_only_new_lines_are_checked_with_their_facts(world, tmp_path: Path) -> None:
    with world.batch():
        world.host("papers.example").route("/kept", status=200)
        world.host("papers.example").route("/gone-long-ago", status=404)
        world.host("papers.example").route("/dead", status=404)
        world.github.repo("old/tool", renamed_to="new/tool", stars=5)
        world.arxiv.paper("2310.18547", title="Punica: Multi-Tenant LoRA Serving",
                          authors=["Lequn Chen", "Zihao Ye"], journal_ref="MLSys 2024")
    repo, base = _pull_request_checkout(tmp_path)
    outputs = tmp_path / "outputs"
    result = world.run_cli("check", "--changed", base, "--format", "json", "-o",
                           str(tmp_path / "r.json"), cwd=repo,
                           extra_env={"GITHUB_TOKEN": world.github_token,
                                      "GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(outputs)})
    assert result.returncode == 1, result.stderr  # a changed line has a dead link
    report = load((tmp_path / "r.json").read_text())
    assert report["changed_since"] == base
    status = {row["url"]: (row["status"], row["line"]) for row in report["links"]}
    assert status == {"https://browse.arxiv.org/abs/2310.18547": ("ok", 7),
                      "https://github.com/old/tool": ("redirect", 7),
                      "https://papers.example/dead": ("broken", 8),
                      "https://papers.example/kept": ("ok", 9)}
    # The old dead link is not this pull request's business: never requested.
    assert not world.requests("papers.example", path="/gone-long-ago")
    kinds = {(p["kind"], p["line"]) for p in report["proposals"]}
    assert {("venue", 7), ("moved", 7), ("normalise", 7), ("duplicate", 9)} <= kinds
    annotations = result.stdout.splitlines()
    assert any(a.startswith("::error file=list.md,line=8,title=broken link::") for a in
               annotations)
    assert any(a.startswith("::notice file=list.md,line=7,") and "MLSys" in a
               for a in annotations)
    assert "broken=1" in outputs.read_text().splitlines()


def test_nothing_changed_checks_nothing(world, tmp_path: Path) -> None:
    repo, _ = _pull_request_checkout(tmp_path)
    result = world.run_cli("check", "--changed", "HEAD", "--format", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    report = load(result.stdout)
    assert report["links"] == [] and report["proposals"] == []
    assert not world.requests()


def test_an_unknown_base_is_one_line(world, tmp_path: Path) -> None:
    repo, _ = _pull_request_checkout(tmp_path)
    result = world.run_cli("check", "--changed", "origin/nope", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("listwatch: error: --changed: git knows no commit "
                                            "'origin/nope'")
