"""Sources at scale, end to end: the unmodified CLI against the simulated internet.

The request counts come from the fakes' own log, never from the CLI's report.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from helpers import FAST_HTTP, load, make_list

if TYPE_CHECKING:
    from world.model import World

pytestmark = pytest.mark.e2e


def test_ten_thousand_arxiv_papers_cost_at_most_ten_requests(world: World,
                                                             tmp_path: Path) -> None:
    ids = [f"2401.{n:05d}" for n in range(10_000)]
    missing = set(ids[::1000])  # ten ids arXiv does not know
    with world.batch():
        for n, ident in enumerate(ids):
            if ident not in missing:
                world.arxiv.paper(ident, title=f"Paper number {n}", authors=["Ada Lovelace"],
                                  version=1 + n % 3)
    text = "".join(f"* Paper number {n} [arXiv](https://arxiv.org/abs/{ident})\n"
                   for n, ident in enumerate(ids))
    config = make_list(tmp_path, {"README.md": text},
                       extra=FAST_HTTP + "[sources]\ndblp = false\nsemantic_scholar = false\n")
    result = world.run_cli("check", "--config", str(config), "--format", "json", timeout=600)
    report = load(result.stdout)

    api = world.requests("export.arxiv.org")
    assert 1 <= len(api) <= 10
    assert all(call.method == "POST" and call.status == 200 for call in api)
    papers = {entry["arxiv_id"]: entry["arxiv"] for entry in report["entries"]
              if entry.get("arxiv")}
    assert set(papers) == set(ids) - missing
    assert papers["2401.00001"]["title"] == "Paper number 1"
    assert papers["2401.00005"]["version"] == 3
    rows = {row["url"]: row for row in report["links"]}
    assert all(rows[f"https://arxiv.org/abs/{i}"]["status"] != "ok" for i in missing)
    assert rows["https://arxiv.org/abs/2401.00001"]["status"] == "ok"


def _warm_world(world: World) -> str:
    """A list of 24 preprints with code links and home pages; returns its Markdown."""
    lines = []
    with world.batch():
        world.host("lab.example").default(status=200)
        for n in range(24):
            ident = f"2402.{n:05d}"
            title = f"Systems Paper {n}: Serving Models"
            authors = [f"Ada Lovelace{n}", f"Alan Turing{n}"]
            world.arxiv.paper(ident, title=title, authors=authors)
            world.github.repo(f"lab/sys{n}", stars=n)
            world.dblp.corr(ident, title=title, authors=authors, year=2024)
            if n % 4 == 0:  # published; Semantic Scholar names the DBLP record
                key = f"conf/sosp/Lab{n}"
                world.dblp.record(key, title=title, authors=authors, venue="SOSP", year=2024,
                                  doi=f"10.1145/{n}")
                world.s2.paper(title=title, arxiv=ident, venue="SOSP", year=2024,
                               authors=authors, dblp=key)
            elif n % 4 == 1:  # unknown to Semantic Scholar: searched on DBLP
                pass
            else:
                world.s2.paper(title=title, arxiv=ident, venue="arXiv.org", year=2024,
                               authors=authors,
                               dblp=f"journals/corr/abs-2402-{n:05d}")
            lines.append(f"* {title} (arXiv {ident}) [arXiv](https://arxiv.org/abs/{ident}) "
                         f"[Code](https://github.com/lab/sys{n}) "
                         f"[Home](https://lab.example/p{n})\n")
    return "".join(lines)


def test_a_warm_run_sends_a_tenth_of_the_cold_runs_requests(world: World,
                                                             tmp_path: Path) -> None:
    config = make_list(tmp_path, {"README.md": _warm_world(world)},
                       extra=FAST_HTTP + '[state]\npath = "state.db"\n')
    env = {"GITHUB_TOKEN": world.github_token}

    def sent() -> int:
        return len([r for r in world.requests() if r.method != "CONNECT"])

    cold = world.run_cli("run", "--dry-run", "--config", str(config), "--format", "json",
                         extra_env=env, timeout=300)
    assert cold.returncode == 0, cold.stderr
    cold_requests = sent()
    proposals = load(cold.stdout)["proposals"]
    tags = {p["old"] for p in proposals if p["kind"] == "venue" and "(arXiv" in p["old"]}
    assert tags == {f"(arXiv 2402.{n:05d})" for n in range(0, 24, 4)}  # the SOSP papers
    assert world.requests("dblp.org", path="/search/publ/api")  # the ones S2 does not place
    assert len(world.requests("dblp.org", path_prefix="/rec/")) == 6  # read by key
    assert len(world.requests("lab.example")) == 24

    warm = world.run_cli("run", "--dry-run", "--config", str(config), "--format", "json",
                         extra_env=env, timeout=300)
    assert warm.returncode == 0, warm.stderr
    warm_requests = sent() - cold_requests
    assert warm_requests <= 0.1 * cold_requests, (cold_requests, warm_requests)
    assert load(warm.stdout)["proposals"] == proposals
