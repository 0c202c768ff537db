"""The issue's real-list shapes (``benchmarks/github_list.py``, ``benchmarks/mixed.py``),
what the benchmark worlds' Semantic Scholar knows, and the politeness floor, exercised on
tiny lists through the world in the test suite (nothing timed)."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import pytest
from benchmarks import github_list, mixed, scholar
from benchmarks.corpus_pool import Pool
from benchmarks.floor import Floor, covered, floor
from benchmarks.scale_report import ListPair, targets
from benchmarks.scoring import Score, Truth, listwatch_outcomes, score
from benchmarks.shapes import ISSUE_SETTINGS, Shape, ShapeResult, ToolRun
from benchmarks.shapes_report import pair_of, shapes_lines
from benchmarks.tools import write_config
from tests.world.model import World

pytestmark = pytest.mark.e2e

POOL = Pool(repos=("alpha/one", "beta/two", "gamma/three", "delta/four", "eps/five"),
            arxiv_ids=("2301.00001", "2302.00002"),
            web=("https://lab.example.edu/a", "https://lab.example.edu/b",
                 "https://other.example.org/c", "https://third.example.net/d"))
TINY = {"papers": 6, "repos": 5, "badges": 4, "web": 4}
TINY_COUNTS = {"dead-arxiv": 1, "dead-repo": 1, "moved-repo": 1, "dead-404": 1}


def check(world: World, shape: Shape, tmp_path: Path) -> tuple[int, Score]:
    """``listwatch check`` on ``shape`` through ``world``: exit code and score."""
    shape.build(world)
    root = tmp_path / "list"
    shape.write(root)
    config = write_config(tmp_path / "config.toml", [root], ISSUE_SETTINGS,
                          tmp_path / "state" / "state.db")
    result = world.run_cli("check", "--config", str(config), "--format", "json", "--no-cache",
                           extra_env={"GITHUB_TOKEN": world.github_token})
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, score(listwatch_outcomes(json.loads(result.stdout)), shape.truths)


def test_github_list_tops_up_the_corpus_repositories_and_seeds_each_fate() -> None:
    shape = github_list.generate(POOL, seed=3, size=12,
                                 counts={"dead-repo": 1, "moved-repo": 2, "archived-repo": 1})
    names = [r.name for r in shape.repos]
    fates = Counter(r.fate for r in shape.repos)

    assert names[:5] == list(POOL.repos)
    assert len({n.lower() for n in names}) == 12
    assert {n.split("/")[0] for n in names} <= {r.split("/")[0] for r in POOL.repos}
    assert fates == Counter({"ok": 8, "moved-repo": 2, "dead-repo": 1, "archived-repo": 1})
    assert shape.markdown() == github_list.generate(
        POOL, seed=3, size=12,
        counts={"dead-repo": 1, "moved-repo": 2, "archived-repo": 1}).markdown()
    assert all(r.url in shape.markdown() for r in shape.repos)


def test_listwatch_on_a_tiny_github_list_is_scored_against_the_truths(
        world: World, tmp_path: Path) -> None:
    shape = github_list.generate(POOL, seed=3, size=12,
                                 counts={"dead-repo": 1, "moved-repo": 2, "archived-repo": 1})

    code, s = check(world, shape, tmp_path)

    assert code == 1
    assert s.missing == 0 and s.checked == 12
    assert sum(s.false_broken.values()) == 0, s.false_examples
    assert s.dead_missed == [] and s.dead_found == Counter({"dead-repo": 1})
    assert s.moved_total == 2 and s.moved_with_dest == 2
    assert s.valid_by_kind["archived-repo"] == 1


def test_mixed_list_has_the_shape_asked_for_and_badges_share_their_repository_fate() -> None:
    shape = mixed.generate(POOL, seed=4, latency_ms=5, shape=TINY, counts=TINY_COUNTS)
    kinds = Counter(t.kind for t in shape.truths.values())
    text = shape.markdown()

    assert len(shape.entries) == 6
    assert text.count("https://arxiv.org/abs/") == 6
    assert text.count("https://github.com/") == 5
    assert text.count("https://img.shields.io/github/") == 4
    assert sum(u in text for u in POOL.web) == 4
    assert kinds["dead-arxiv"] == kinds["dead-404"] == kinds["dead-repo"] == 1
    assert kinds["moved-repo"] == 1
    for e in shape.entries:
        repo_fate = e.fate(e.repo_url or "")
        if e.badge_url() and repo_fate != "ok":
            assert e.fate(e.badge_url() or "") == repo_fate.replace("repo", "badge")


def test_listwatch_on_a_tiny_mixed_list_is_scored_against_the_truths(
        world: World, tmp_path: Path) -> None:
    shape = mixed.generate(POOL, seed=4, latency_ms=5, shape=TINY, counts=TINY_COUNTS)
    truths = shape.truths

    code, s = check(world, shape, tmp_path)

    assert code == 1
    assert s.missing == 0 and s.checked == len(truths)
    assert sum(s.false_broken.values()) == 0, s.false_examples
    assert s.dead_missed == []
    assert s.dead_found.total() == sum(t.dead for t in truths.values())
    assert s.moved_total == sum(t.kind.startswith("moved-") for t in truths.values())
    assert s.moved_with_dest == s.moved_total


def test_s2_knows_every_paper_and_names_the_venue_record_of_a_published_one(
        world: World, tmp_path: Path) -> None:
    venue = scholar.venue_for("2301.00001", "OSDI", 2024)
    papers = [scholar.Paper("2301.00001", "Fast serving of models", ("Ada Lovelace",),
                            venue=venue),
              scholar.Paper("2302.00002", "Sparse attention", ("Alan Turing",))]
    with world.batch():
        scholar.register(world, papers)
    root = tmp_path / "list"
    root.mkdir()
    (root / "README.md").write_text(
        "# Papers\n\n"
        "* Fast serving of models (arXiv 2301.00001) \\[[Paper](https://arxiv.org/abs/2301.00001)]\n"
        "* Sparse attention (arXiv 2302.00002) \\[[Paper](https://arxiv.org/abs/2302.00002)]\n",
        encoding="utf-8")
    config = write_config(tmp_path / "config.toml", [root], ISSUE_SETTINGS,
                          tmp_path / "state" / "state.db")

    result = world.run_cli("check", "--config", str(config), "--format", "json", "--no-cache",
                           extra_env={"GITHUB_TOKEN": world.github_token})

    assert result.returncode == 0, result.stderr
    # One batch places both; the preprint's CoRR key needs no DBLP request, the published
    # paper's venue record is read by key: no DBLP search.
    assert len(world.requests("api.semanticscholar.org")) == 1
    assert [r.path for r in world.requests("dblp.org")] == [f"/rec/{venue.key}.xml"]


def test_floor_counts_the_busiest_hosts_pages_that_no_api_covers() -> None:
    urls = ["https://github.com/a/b", "https://arxiv.org/abs/2301.00001",
            "https://img.shields.io/github/stars/a/b", "https://img.shields.io/github/forks/a/b",
            "https://doi.org/10.1145/1234.5678",
            "https://lab.example.edu/a", "https://lab.example.edu/a#top",
            "https://lab.example.edu/b", "https://lab.example.edu/c",
            "https://other.example.org/x"]
    fl = floor(urls, 0.05)

    assert covered(urls[0]) and covered(urls[1]) and covered(urls[2]) and covered(urls[4])
    assert not covered(urls[5])
    assert (fl.host, fl.pages) == ("lab.example.edu", 3)
    assert fl.seconds == pytest.approx(0.1)
    assert floor(urls[:5], 0.05).pages == 1  # the badge service, asked once


def test_the_floor_counts_what_the_worlds_truths_make_necessary() -> None:
    urls = ["https://lab.example.edu/a", "https://lab.example.edu/b",
            "https://lab.example.edu/c", "https://lab.example.edu/d",
            "https://other.example.org/x", "https://other.example.org/y",
            "https://github.com/a/b", "https://arxiv.org/abs/2301.00001",
            "https://img.shields.io/github/stars/a/b"]
    truths = {u: Truth(u, "ok") for u in urls}
    truths[urls[1]] = Truth(urls[1], "flaky-503")
    truths[urls[2]] = Truth(urls[2], "moved-301", "https://other.example.org/moved")
    truths[urls[4]] = Truth(urls[4], "throttled-429")
    truths[urls[6]] = Truth(urls[6], "moved-repo", "https://github.com/a/c")

    fl = floor(urls, 0.05, truths, retry_after=2.0)

    # other.example.org: 2 pages, the 429's second request, the redirect's destination,
    # and the 2 s Retry-After; lab.example.edu: 4 pages and the 503's second request.
    assert (fl.host, fl.pages, fl.retries, fl.pause) == ("other.example.org", 2, 2, 2.0)
    assert fl.seconds == pytest.approx(3 * 0.05 + 2.0)
    # 6 pages, 3 second requests or destinations, the badge service, GitHub and arXiv.
    assert fl.requests == 6 + 3 + 1 + 2
    assert floor(urls, 0.05).requests == 0  # without the truths, no count


def test_a_target_below_the_politeness_floor_is_marked_out_of_reach() -> None:
    beyond = ListPair("a", (8.0, 10.0), (60, 100), 0, 0, floors=(7.0, 40))
    near = ListPair("b", (8.0, 10.0), (60, 100), 0, 0, floors=(4.0, 55))
    judged = {t.text: t for t in targets([beyond, near], [])}

    assert judged["wall time ≤ 0.5× lychee's on a"].out_of_reach
    assert not judged["wall time ≤ 0.5× lychee's on b"].out_of_reach
    assert judged["requests ≤ 0.5× lychee's on b"].out_of_reach
    assert not judged["requests ≤ 0.5× lychee's on a"].out_of_reach
    assert not any(t.met for t in judged.values() if t.text.startswith(("wall", "requests")))
    assert "(floor 7.0 s = 0.70×)" in judged["wall time ≤ 0.5× lychee's on a"].measured


def test_lists_dominated_by_github_and_arxiv_are_held_to_the_stricter_time_target() -> None:
    dominated = ListPair("a", (3.0, 10.0), (1, 10), 0, 0, time_target=0.2)
    other = ListPair("b", (3.0, 10.0), (1, 10), 0, 0)
    judged = {t.text: t.met for t in targets([dominated, other], [])}

    assert judged["wall time ≤ 0.2× lychee's on a"] is False
    assert judged["wall time ≤ 0.5× lychee's on b"] is True
    assert judged["requests ≤ 0.5× lychee's on a"] is True


def test_a_shape_result_becomes_a_target_pair_with_its_time_target() -> None:
    def run(wall: float, requests: int, s: Score) -> ToolRun:
        return ToolRun(wall, 1024, Counter({"api.github.com": requests}), 1, s)

    wrong = Score(false_broken=Counter({"ok": 2}), dead_missed=["x"])
    result = ShapeResult("the list", "", 3, Counter(), Floor("-", 0, 0.05), True,
                         {"listwatch": run(2.0, 4, wrong), "lychee": run(8.0, 40, Score())})
    pair = pair_of(result)

    assert pair == ListPair("the list", (2.0, 8.0), (4, 40), 2, 1, time_target=0.2,
                            floors=(0.0, 0))
    assert pair_of(dataclasses.replace(result, dominated=False)).time_target == 0.5


def test_a_shapes_section_shows_the_floor_with_its_retries_pause_and_least_requests() -> None:
    def run(wall: float, requests: int) -> ToolRun:
        return ToolRun(wall, 1024, Counter({"lab.example.edu": requests}), 1, Score())

    fl = Floor("lab.example.edu", 40, 0.05, retries=3, pause=2.0, requests=57)
    result = ShapeResult("the list", "A list.", 50, Counter({"ok": 50}), fl, False,
                         {"listwatch": run(5.0, 60), "lychee": run(9.0, 70)})
    text = "\n".join(shapes_lines([result], seed=1, settings=ISSUE_SETTINGS))

    assert ("| politeness floor: lab.example.edu has 40 pages no API covers (3 retries and "
            "redirect destinations, a 2 s Retry-After), 0.05 s apart (s) | 4.1 | 4.1 |  |"
            ) in text
    assert "| least requests (floor) | 57 | 57 |  |" in text
