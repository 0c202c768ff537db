"""Stages side by side and badges judged from facts, through the CLI (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import by_url, load, make_list

pytestmark = pytest.mark.e2e

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="90" height="20"></svg>'

OVERLAP_LIST = """# Systems

* Paper A \\[[arXiv](https://arxiv.org/abs/2401.00001)] \\[[Code](https://github.com/crew/a)]
* Paper B \\[[arXiv](https://arxiv.org/abs/2401.00002)] \\[[Page](https://slow.example.org/b)]
"""


def test_web_links_are_probed_while_the_facts_are_still_coming(world, tmp_path: Path) -> None:
    with world.batch():
        world.github.repo("crew/a", stars=10)
        world.arxiv.paper("2401.00001", title="A", authors=["X. Y"])
        world.arxiv.paper("2401.00002", title="B", authors=["X. Y"])
        # Both APIs need a second try a second later: their facts come late.
        world.fail("api.github.com", 503, times=1, retry_after=1)
        world.arxiv.fail(503, times=1, retry_after=1)
        world.host("slow.example.org").route("/b", status=200, delay_ms=300)
    config = make_list(tmp_path, {"README.md": OVERLAP_LIST})
    result = world.run_cli("check", "--config", str(config), "--format", "json", "--no-cache")
    assert result.returncode == 0, result.stderr
    rows = by_url(load(result.stdout))
    assert rows["https://slow.example.org/b"]["status"] == "ok"
    assert rows["https://github.com/crew/a"]["via"] == "github-api"
    assert {rows[f"https://arxiv.org/abs/2401.0000{n}"]["via"] for n in (1, 2)} == {"arxiv-api"}

    (web,) = world.requests("slow.example.org")
    github = world.requests("api.github.com")
    arxiv = world.requests("export.arxiv.org")
    assert [r.status for r in github] == [503, 200] and [r.status for r in arxiv] == [503, 200]
    # The slow page was asked (and answered) before either service's facts were in.
    assert web.start < web.end < min(github[-1].start, arxiv[-1].start)
    # GitHub and arXiv were asked side by side, not one after the other.
    assert github[0].start < arxiv[-1].start and arxiv[0].start < github[-1].start
    assert not world.requests("github.com") and not world.requests("arxiv.org")



PREPRINT_LIST = """# LLM

* S-LoRA: Serving Thousands of Concurrent LoRA Adapters (arXiv 2311.03285) \\[[arXiv](https://arxiv.org/abs/2311.03285)]
"""


def test_semantic_scholar_is_asked_with_the_ids_before_the_arxiv_facts_arrive(
        world, tmp_path: Path) -> None:
    title = "S-LoRA: Serving Thousands of Concurrent LoRA Adapters"
    authors = ["Ying Sheng", "Shiyi Cao"]
    with world.batch():
        world.arxiv.paper("2311.03285", title=title, authors=authors)
        world.arxiv.fail(503, times=1, retry_after=1)  # the arXiv facts come a second late
        world.dblp.record("conf/mlsys/ShengC24", title=title, authors=authors, venue="MLSys",
                          year=2024, ee="https://proceedings.mlsys.org/paper/2024/slora")
        world.s2.paper(title=title, arxiv="2311.03285", venue="MLSys", year=2024,
                       authors=authors, dblp="conf/mlsys/ShengC24")
    config = make_list(tmp_path, {"README.md": PREPRINT_LIST})
    result = world.run_cli("check", "--config", str(config), "--format", "json", "--no-cache")
    assert result.returncode == 0, result.stderr
    (entry,) = load(result.stdout)["entries"]
    assert entry["publication"]["venue"] == "MLSys"

    arxiv = world.requests("export.arxiv.org")
    (s2,) = world.requests("api.semanticscholar.org")
    dblp = world.requests("dblp.org")
    assert [r.status for r in arxiv] == [503, 200]
    # Semantic Scholar needs only the ids: asked (and answered) while arXiv was still
    # waiting out its Retry-After; DBLP, which needs the arXiv facts, came after both.
    assert s2.end < arxiv[-1].start
    assert dblp and min(r.start for r in dblp) >= max(s2.end, arxiv[-1].end)


KINDS = ("stars", "forks", "license", "v/release", "issues", "last-commit",
         "downloads/{repo}/total", "contributors", "commit-activity/m", "watchers")
REPOS = ("crew/fine", "crew/also", "old/name", "crew/frozen", "crew/gone")


def _badges() -> str:
    """50 badges: 10 kinds for each of 5 repositories, in Markdown and HTML."""
    lines = ["# Tools", ""]
    for repo in REPOS:
        cells = []
        for kind in KINDS:
            path = kind.format(repo=repo) if "{repo}" in kind else f"{kind}/{repo}"
            url = f"https://img.shields.io/github/{path}?style=flat-square&label=x_y"
            cells.append(f'<img src="{url}&amp;color=blue">' if kind == "forks"
                         else f"![{kind}]({url})")
        lines.append(f"* {repo} [Code](https://github.com/{repo}) " + " ".join(cells))
    lines.append("* Static ![static](https://img.shields.io/badge/license-MIT-blue.svg)")
    return "\n".join(lines) + "\n"


def _scenario(world) -> None:
    with world.batch():
        world.github.repo("crew/fine", stars=3)
        world.github.repo("crew/also", stars=4)
        world.github.repo("old/name", renamed_to="new/name", stars=5)
        world.github.repo("crew/frozen", archived=True)
        world.github.repo("crew/gone", deleted=True)
        world.host("img.shields.io").default(status=200, body=SVG,
                                             content_type="image/svg+xml")


def test_fifty_badges_cost_one_shields_request(world, tmp_path: Path) -> None:
    _scenario(world)
    text = _badges()
    config = make_list(tmp_path, {"README.md": text},
                       extra="[check]\nfail_runs = 1\nfail_hours = 0\n")
    result = world.run_cli("run", "--dry-run", "--config", str(config), "--format", "json",
                           "--no-cache")
    assert result.returncode == 0, result.stderr
    report = load(result.stdout)
    badges = [row for row in report["links"] if "img.shields.io" in row["url"]]
    assert len(badges) == 51 and {row["via"] for row in badges} == {"badge"}
    assert len(world.requests("img.shields.io")) == 1

    def status(repo: str) -> set[str]:
        return {row["status"] for row in badges if f"/{repo}" in row["url"]}

    assert status("crew/fine") == status("crew/also") == {"ok"}
    assert status("old/name") == {"redirect"}
    assert status("crew/gone") == {"broken"}
    frozen = [row for row in badges if "/crew/frozen" in row["url"]]
    assert {row["status"] for row in frozen} == {"ok"}
    assert all("archived" in row["detail"] for row in frozen)
    gone = [row for row in badges if "/crew/gone" in row["url"]]
    assert all("crew/gone, which does not exist" in row["detail"] for row in gone)

    # A renamed repository's badges follow it like its code link; nothing else moves.
    moved = [p for p in report["proposals"] if p["kind"] == "moved"]
    assert len(moved) == 11
    for proposal in moved:
        assert proposal["new"] == proposal["old"].replace("old/name", "new/name")
        assert proposal["old"] != proposal["new"]
    changed = {line[1:] for line in report["diff"].splitlines()
               if line.startswith("+") and not line.startswith("+++")}
    old_line = next(line for line in text.splitlines() if "old/name" in line)
    assert changed == {old_line.replace("/old/name", "/new/name")}
    assert "&amp;color=blue" in next(iter(changed))

    # `check` reports the deleted repository's badges as broken, in text too.
    checked = world.run_cli("check", "--config", str(config), "--no-cache")
    assert checked.returncode == 1
    assert "https://img.shields.io/github/stars/crew/gone?style=flat-square&label=x_y" in (
        checked.stdout)
    assert len(world.requests("img.shields.io")) == 2  # one more run, one more request


def test_a_list_without_badges_reports_as_before(world, tmp_path: Path) -> None:
    with world.batch():
        world.github.repo("crew/a", stars=10)
        world.arxiv.paper("2401.00001", title="A", authors=["X. Y"])
        world.arxiv.paper("2401.00002", title="B", authors=["X. Y"])
        world.host("slow.example.org").route("/b", status=200)
    config = make_list(tmp_path, {"README.md": OVERLAP_LIST})
    result = world.run_cli("check", "--config", str(config), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = load(result.stdout)
    rows = by_url(report)
    assert {url: row["via"] for url, row in rows.items()} == {
        "https://arxiv.org/abs/2401.00001": "arxiv-api",
        "https://arxiv.org/abs/2401.00002": "arxiv-api",
        "https://github.com/crew/a": "github-api",
        "https://slow.example.org/b": "head",
    }
    assert list(report) == ["schema", "mode", "started_at", "files", "links", "entries",
                            "warnings", "summary"]
    assert set(rows["https://github.com/crew/a"]) == {
        "file", "line", "column", "url", "written", "status", "http_status", "final_url",
        "permanent", "via", "detail", "redirects", "evidence", "checked_at", "no_edit"}
    assert sorted(r.host for r in world.requests()) == [
        "api.github.com", "export.arxiv.org", "slow.example.org"]
