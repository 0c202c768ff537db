"""End to end against the simulated internet (tests/world), in process.

Each test builds a scenario, runs a sources function with the world's environment
(proxy, CA bundle) and checks both the facts and the requests the fakes logged.
"""

from __future__ import annotations

import asyncio
import math
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from contexts import context

from listwatch import net
from listwatch.config import Config, HttpConfig, Target
from listwatch.credentials import github_api_url
from listwatch.model import PaperFacts
from listwatch.net import POLITENESS, HostRule, RetryPolicy
from listwatch.sources import arxiv as arxiv_source
from listwatch.sources import github
from listwatch.sources.preprints import PublicationReport, find_publications
from listwatch.state import Store

if TYPE_CHECKING:
    from world.model import World

NOW = datetime(2026, 1, 1, tzinfo=UTC)
CONFIG = Config(targets=(Target(repo="o/list"),))


def _repos(world: World, **kw: Any) -> github.RepoReport:
    async def run() -> github.RepoReport:
        async with net.async_client(HttpConfig()) as client:
            ctx = context(client, cache=kw.pop("store", None), now=kw.pop("now", NOW),
                          max_age_s=kw.pop("max_age_s", 3600), policy=RetryPolicy(),
                          rules=POLITENESS)
            return await github.GitHubRepos(ctx, token=kw.pop("token", None),
                                            api_url=github_api_url(os.environ),
                                            timeout=10).fetch(kw.pop("names"))

    return asyncio.run(run())


def _papers(ids: list[str]) -> arxiv_source.PaperReport:
    """``ArxivPapers`` with the real politeness (export.arxiv.org: 3 s)."""

    async def run() -> arxiv_source.PaperReport:
        async with net.async_client(HttpConfig()) as client:
            ctx = context(client, max_age_s=1, policy=RetryPolicy(), rules=POLITENESS)
            return await arxiv_source.ArxivPapers(ctx).fetch(ids)

    return asyncio.run(run())


def test_github_graphql_batches_renamed_archived_deleted(world_inprocess: World) -> None:
    world = world_inprocess
    names = [f"lab/sys{i}" for i in range(205)]
    with world.batch():
        for name in names:
            world.github.repo(name, stars=7)
        world.github.repo("old-org/flash", renamed_to="new-org/FlashX", stars=900)
        world.github.repo("lab/frozen", archived=True)
        world.github.repo("lab/gone", deleted=True)
    wanted = [*names, "old-org/flash", "lab/frozen", "lab/gone", "lab/never-existed"]
    report = _repos(world, names=wanted, token=world.github_token)
    calls = world.requests("api.github.com")
    assert len(calls) <= math.ceil(len(wanted) / 100) + 1
    assert all(c.path == "/graphql" and c.authorized for c in calls)
    assert report.requests == len(calls) == 3
    assert report.facts["old-org/flash"].renamed
    assert report.facts["old-org/flash"].name_with_owner == "new-org/FlashX"
    assert report.facts["old-org/flash"].stars == 900
    assert report.facts["lab/frozen"].archived
    assert report.facts["lab/gone"].exists is False
    assert report.facts["lab/never-existed"].exists is False
    assert report.facts["lab/sys204"].stars == 7 and report.facts["lab/sys204"].exists
    assert not report.warnings
    assert world.github_token not in " ".join(report.warnings)


def test_github_anonymous_rest_stops_at_budget(world_inprocess: World) -> None:
    world = world_inprocess
    names = [f"lab/r{i}" for i in range(70)]
    with world.batch():
        for name in names:
            world.github.repo(name)
    report = _repos(world, names=names)
    calls = world.requests("api.github.com")
    assert len(calls) == 60
    assert all(not c.authorized and c.status == 200 for c in calls)
    assert len(report.facts) == 60
    assert len(report.warnings) == 1 and "10 repositories not checked" in report.warnings[0]


def test_github_anonymous_rest_renamed_deleted_and_conditional(
    world_inprocess: World, tmp_path: Path
) -> None:
    world = world_inprocess
    with world.batch():
        world.github.repo("old/name", renamed_to="fresh/name2", stars=3)
        world.github.repo("lab/gone", deleted=True)
        world.github.repo("lab/old-archive", archived=True)
    names = ["old/name", "lab/gone", "lab/old-archive"]
    with Store.open(tmp_path / "s.db") as store:
        report = _repos(world, names=names, store=store)
        assert report.facts["old/name"].name_with_owner == "fresh/name2"
        assert report.facts["old/name"].renamed
        assert report.facts["lab/gone"].exists is False
        assert report.facts["lab/old-archive"].archived
        paths = [c.path for c in world.requests("api.github.com")]
        assert paths[:2] == ["/repos/old/name", f"/repositories/{world.github.repo('fresh/name2', stars=3).id}"]  # noqa: E501
        # later, stale cache: conditional requests (If-None-Match) answer 304
        before = len(world.requests("api.github.com"))
        again = _repos(world, names=names, store=store, now=NOW + timedelta(days=2))
        later = world.requests("api.github.com")[before:]
        assert any(c.status == 304 for c in later)
        assert again.facts["lab/old-archive"].archived
        assert again.facts["lab/old-archive"].fetched_at == NOW + timedelta(days=2)


def test_arxiv_requests_spaced_three_seconds(world_inprocess: World,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    world = world_inprocess
    with world.batch():
        world.arxiv.paper("2401.00001", title="First  Paper\n  Title", version=2,
                          authors=["Ada Lovelace", "Alan Turing"])
        world.arxiv.paper("2401.00002", title="Second", withdrawn=True)
        world.arxiv.paper("2401.00003", title="Third", journal_ref="SOSP 2023",
                          doi="10.1145/3600006.3613165", comment="Accepted at SOSP 2023")
    monkeypatch.setattr(arxiv_source, "CHUNK", 2)
    report = _papers(["2401.00001", "2401.00002v1", "2401.00003", "2401.99999"])
    calls = world.requests("export.arxiv.org")
    assert len(calls) == 2
    assert all(gap >= 3.0 for gap in world.start_gaps("export.arxiv.org"))
    first = report.facts["2401.00001"]
    assert first.version == 2 and first.title == "First Paper Title"
    assert first.authors == ("Ada Lovelace", "Alan Turing")
    assert report.facts["2401.00002"].withdrawn
    third = report.facts["2401.00003"]
    assert third.journal_ref == "SOSP 2023" and third.doi == "10.1145/3600006.3613165"
    assert report.unknown == ("2401.99999",)


SLORA = ["Ying Sheng", "Shiyi Cao", "Dacheng Li", "Coleman Hooper", "Ion Stoica"]


def _publication_world(world: World) -> dict[str, PaperFacts]:
    """Three preprints: renamed at publication, CoRR only, conflicting sources."""
    with world.batch():
        # 1. published under another title (DBLP), S2 agrees
        world.dblp.corr("2311.03285", title="S-LoRA: Serving Thousands of Concurrent LoRA "
                        "Adapters", authors=SLORA, year=2023)
        world.dblp.record("conf/mlsys/ShengCLHS24", title="SLoRA: Scalable Serving of "
                          "Thousands of LoRA Adapters", authors=SLORA, venue="MLSys", year=2024,
                          ee="https://proceedings.mlsys.org/paper_files/paper/2024/hash/x.html")
        world.s2.paper(title="S-LoRA: Serving Thousands of Concurrent LoRA Adapters",
                       arxiv="2311.03285", venue="Conference on Machine Learning and Systems",
                       year=2023, authors=SLORA,
                       publication_venue={"id": "1", "name": "Conference on Machine Learning "
                                          "and Systems", "alternate_names": ["MLSys"],
                                          "type": "conference"})
        # 2. only on CoRR: stays arXiv
        world.dblp.corr("2402.00002", title="A Preprint Nobody Published",
                        authors=["Ada Lovelace", "Alan Turing"], year=2024)
        world.s2.paper(title="A Preprint Nobody Published", arxiv="2402.00002",
                       venue="arXiv.org", year=2024, authors=["Ada Lovelace", "Alan Turing"],
                       publication_venue={"id": "2", "name": "arXiv.org",
                                          "alternate_names": ["ArXiv"]})
        # 3. conflicting: DBLP says OSDI, S2 says ATC
        world.dblp.record("conf/osdi/HopperT24", title="Conflicted Systems: Two Venues",
                          authors=["Grace Hopper", "Ken Thompson"], venue="OSDI", year=2024,
                          doi="10.5555/osdi24")
        world.s2.paper(title="Conflicted Systems: Two Venues", arxiv="2403.00003",
                       venue="USENIX Annual Technical Conference", year=2024,
                       authors=["Grace Hopper", "Ken Thompson"])
    papers = {
        "2311.03285": PaperFacts("2311.03285", 3, "S-LoRA: Serving Thousands of Concurrent "
                                 "LoRA Adapters", tuple(SLORA), None, None,
                                 url="https://arxiv.org/abs/2311.03285"),
        "2402.00002": PaperFacts("2402.00002", 1, "A Preprint Nobody Published",
                                 ("Ada Lovelace", "Alan Turing"), None, None,
                                 url="https://arxiv.org/abs/2402.00002"),
        "2403.00003": PaperFacts("2403.00003", 1, "Conflicted Systems: Two Venues",
                                 ("Grace Hopper", "Ken Thompson"), None, None,
                                 url="https://arxiv.org/abs/2403.00003"),
    }
    return papers


def _find(papers: dict[str, PaperFacts], store: Store | None = None) -> PublicationReport:
    async def run() -> PublicationReport:
        async with net.async_client(HttpConfig()) as client:
            ctx = context(client, cache=store, policy=RetryPolicy(backoff_initial=0.1),
                          rules={**POLITENESS, "dblp.org": HostRule(interval=0.2)})
            return await find_publications(list(papers), papers, context=ctx, config=CONFIG)

    return asyncio.run(run())


def test_publications_renamed_corr_only_and_conflict(world_inprocess: World) -> None:
    world = world_inprocess
    papers = _publication_world(world)
    report = _find(papers)
    slora = report.publications["2311.03285"]
    assert slora is not None
    assert (slora.venue, slora.year) == ("MLSys", 2024)
    assert slora.sources == ("dblp", "semantic_scholar") and slora.confidence >= 0.8
    assert slora.url == "https://proceedings.mlsys.org/paper_files/paper/2024/hash/x.html"
    assert report.publications["2402.00002"] is None
    conflicted = report.publications["2403.00003"]
    assert conflicted is not None
    assert conflicted.venue == "OSDI" and conflicted.url == "https://doi.org/10.5555/osdi24"
    assert conflicted.notes and "USENIX Annual Technical Conference" in conflicted.notes[0]
    assert conflicted.confidence < 0.8
    assert len(world.requests("api.semanticscholar.org")) == 1
    dblp_calls = world.requests("dblp.org")
    assert report.requests["dblp"] == len(dblp_calls)
    assert all(gap >= 0.2 for gap in world.start_gaps("dblp.org"))
    assert world.peak_concurrency("dblp.org") == 1
    assert not report.warnings


@pytest.mark.world_violations_expected
def test_dblp_down_is_a_warning_and_the_run_completes(world_inprocess: World) -> None:
    world = world_inprocess
    papers = _publication_world(world)
    world.dblp.down()
    report = _find(papers)
    assert any("dblp.org" in w for w in report.warnings)
    # asked once (with retries), then not again this run
    assert len(world.requests("dblp.org")) <= 4
    # Semantic Scholar alone still supports the S-LoRA venue, with lower confidence
    slora = report.publications["2311.03285"]
    assert slora is not None and slora.venue == "MLSys" and slora.confidence < 0.6


def test_s2_malformed_and_cached_answers(world_inprocess: World, tmp_path: Path) -> None:
    world = world_inprocess
    papers = _publication_world(world)
    with Store.open(tmp_path / "s.db") as store:
        first = _find(papers, store=store)
        asked = len(world.requests())
        second = _find(papers, store=store)
        assert len(world.requests()) == asked  # all answers came from the cache
        assert second.publications == first.publications
    world.s2.malformed()
    third = _find(papers)
    assert any("semanticscholar" in w and "malformed" in w for w in third.warnings)
    assert third.publications["2311.03285"] is not None  # DBLP alone


def test_ssl_cert_file_alone_is_enough_for_pygithub_and_arxiv(
    world_inprocess: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = world_inprocess
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.delenv("CURL_CA_BUNDLE")
    with world.batch():
        world.github.repo("lab/one", stars=1)
        world.arxiv.paper("2401.00001", title="One")
    report = _repos(world, names=["lab/one"])
    assert report.facts["lab/one"].stars == 1 and not report.warnings
    papers = _papers(["2401.00001"])
    assert papers.facts["2401.00001"].title == "One" and not papers.warnings


def test_graphql_budget_and_secondary_limit(world_inprocess: World) -> None:
    world = world_inprocess
    names = [f"lab/x{i}" for i in range(250)]
    with world.batch():
        for name in names:
            world.github.repo(name)
        world.github.rate_limit(graphql_remaining=2)
        world.github.secondary_rate_limit(times=1, retry_after=1, api="graphql")
    report = _repos(world, names=names, token=world.github_token)
    calls = world.requests("api.github.com")
    # one refused by the secondary limit (waited out), then batches until the budget is low
    assert calls[0].status == 403 and all(c.path == "/graphql" for c in calls)
    assert len(calls) <= 3
    assert len(report.warnings) == 1 and "not checked" in report.warnings[0]
    assert 0 < len(report.facts) < 250


def test_bad_token_falls_back_to_anonymous_rest(world_inprocess: World) -> None:
    world = world_inprocess
    world.github.repo("lab/one", stars=5)
    report = _repos(world, names=["lab/one"], token="ghp_wrongwrongwrong")
    assert report.facts["lab/one"].stars == 5
    assert "401" in report.warnings[0] and "ghp_wrong" not in " ".join(report.warnings)
    rest = [c for c in world.requests("api.github.com") if c.path != "/graphql"]
    assert rest and not any(c.authorized for c in rest)


def test_s2_anonymous_429_is_backed_off(world_inprocess: World) -> None:
    world = world_inprocess
    papers = _publication_world(world)
    world.s2.rate_limit_anonymous(times=1)
    report = _find(papers)
    s2_calls = world.requests("api.semanticscholar.org")
    assert [c.status for c in s2_calls] == [429, 200]
    assert report.publications["2311.03285"] is not None and not report.warnings


def test_fake_arxiv_refuses_what_the_api_refuses(world_inprocess: World) -> None:
    import httpx as _httpx

    world_inprocess.arxiv.paper("2401.00001", title="T", authors=["A"])
    ids = ",".join(f"2401.{n:05d}" for n in range(1, 2001))
    url = "https://export.arxiv.org/api/query"
    with _httpx.Client() as client:
        too_many = client.get(url, params={"id_list": "2401.00001", "max_results": "2001"})
        assert too_many.status_code == 400
        assert "api/errors#max_results_must_be_at_most_2000" in too_many.text
        assert client.get(url, params={"id_list": ids, "max_results": "2000"}).status_code == 414
        posted = client.post(url, data={"id_list": ids, "max_results": "2000"})
        assert posted.status_code == 200 and posted.text.count("<entry>") == 1


def test_dblp_record_read_by_the_key_semantic_scholar_names(world_inprocess: World,
                                                            tmp_path: Path) -> None:
    world = world_inprocess
    papers = _publication_world(world)
    powerinfer = ["Yixin Song", "Zeyu Mi", "Haotong Xie", "Haibo Chen"]
    title = "PowerInfer: Fast Large Language Model Serving with a Consumer-grade GPU"
    with world.batch():
        world.dblp.record("conf/sosp/SongMXC24", title=title, authors=powerinfer,
                          venue="SOSP", year=2024, doi="10.1145/3694715.3695964")
        world.s2.paper(title=title, arxiv="2312.12456", venue="SOSP", year=2024,
                       authors=powerinfer, dblp="conf/sosp/SongMXC24")
        world.dblp.corr("2402.00009", title="Still A Preprint", authors=["Ada Lovelace"],
                        year=2024)
        world.s2.paper(title="Still A Preprint", arxiv="2402.00009", venue="arXiv.org",
                       year=2024, authors=["Ada Lovelace"], dblp="journals/corr/abs-2402-00009")
    papers["2312.12456"] = PaperFacts("2312.12456", 2, title, tuple(powerinfer), None, None,
                                      url="https://arxiv.org/abs/2312.12456")
    papers["2402.00009"] = PaperFacts("2402.00009", 1, "Still A Preprint", ("Ada Lovelace",),
                                      None, None, url="https://arxiv.org/abs/2402.00009")
    with Store.open(tmp_path / "s.db") as store:
        report = _find(papers, store=store)
        powered = report.publications["2312.12456"]
        assert powered is not None and (powered.venue, powered.year) == ("SOSP", 2024)
        assert powered.url == "https://doi.org/10.1145/3694715.3695964"
        assert "https://dblp.org/rec/conf/sosp/SongMXC24" in powered.evidence
        assert report.publications["2402.00009"] is None
        calls = world.requests("dblp.org")
        assert [c.path for c in calls if c.path.startswith("/rec/")] == [
            "/rec/conf/sosp/SongMXC24.xml"]
        searched = {c.query for c in calls if c.path == "/search/publ/api"}
        assert not any("PowerInfer" in q or "Still" in q for q in searched)
        assert searched  # the papers Semantic Scholar does not place are still searched
        asked = len(world.requests())
        again = _find(papers, store=store)  # negative answers are cached too
        assert len(world.requests()) == asked and again.publications == report.publications


def test_fake_dblp_serves_records_by_key(world_inprocess: World) -> None:
    import httpx as _httpx

    from listwatch.sources import dblp

    world_inprocess.dblp.record("conf/x/Re24", title="Thé Paper", authors=["Chris Ré"],
                                venue="SOSP", year=2024, doi="10.1/x")
    world_inprocess.dblp.corr("2401.00001", title="P", authors=["A B"], year=2024)
    with _httpx.Client() as client:
        found = client.get("https://dblp.org/rec/conf/x/Re24.xml")
        assert found.status_code == 200 and found.content.isascii()
        hit = dblp.parse_record(found.content, "conf/x/Re24")
        assert (hit.title, hit.authors, hit.venue, hit.year) == (
            "Thé Paper.", ("Chris Ré",), "SOSP", 2024)
        assert hit.doi == "10.1/x" and not hit.informal
        corr = dblp.parse_record(
            client.get("https://dblp.org/rec/journals/corr/abs-2401-00001.xml").content, "k")
        assert corr.informal and corr.venue == "CoRR"
        assert client.get("https://dblp.org/rec/conf/x/Nope.xml").status_code == 404


def test_graphql_queries_go_two_to_four_at_a_time(world_inprocess: World) -> None:
    world = world_inprocess
    names = [f"lab/c{i}" for i in range(1000)]
    with world.batch():
        for name in names:
            world.github.repo(name, stars=7)
    report = _repos(world, names=names, token=world.github_token)
    calls = world.requests("api.github.com", path="/graphql")
    assert len(calls) == 10 and all(c.status == 200 for c in calls)
    assert 2 <= world.peak_concurrency("api.github.com") <= 4
    assert len(report.facts) == 1000 and not report.warnings
    assert report.facts["lab/c999"].stars == 7


def test_fake_graphql_reports_cost_and_enforces_secondary_limits(
        world_inprocess: World) -> None:
    import time as _time
    from types import SimpleNamespace

    import httpx as _httpx
    from graphql import parse

    from world import github_graphql
    from world.wire import Req

    world = world_inprocess
    world.github.repo("lab/one", stars=1)
    auth = {"Authorization": f"bearer {world.github_token}"}
    query = ("query { r0: repository(owner: \"lab\", name: \"one\") { "
             "stargazerCount repositoryTopics(first: 50) { totalCount } } "
             "rateLimit { cost remaining resetAt nodeCount } }")
    with _httpx.Client() as client:
        answer = client.post("https://api.github.com/graphql", json={"query": query},
                             headers=auth).json()
    limit = answer["data"]["rateLimit"]
    assert limit["cost"] == 1 and limit["nodeCount"] == 50 and limit["remaining"] == 4999
    # GitHub's formula: 100 repositories × a 100-item connection = 100 requests → 1 point;
    # 300 × 100 → 3 points.
    many = "query { " + " ".join(
        f"r{i}: repository(owner: \"o\", name: \"n{i}\") {{ "
        "repositoryTopics(first: 100) { totalCount } }" for i in range(300)) + " }"
    assert github_graphql.query_cost(parse(many), None)[:2] == (3, 30000)

    # The secondary limits, on the fake's own log.
    now = _time.monotonic()
    req = Req("https", "api.github.com", "POST", "/graphql", "", {})

    def rec(start: float, end: float | None, path: str = "/graphql") -> dict[str, object]:
        return {"host": "api.github.com", "method": "POST", "path": path, "start": start,
                "end": end, "status": 200 if end else None}

    def limited(log: list[dict[str, object]]) -> str | None:
        return github_graphql.secondary_limited(SimpleNamespace(log=log), req)  # type: ignore[arg-type]

    assert limited([rec(now, None)]) is None
    assert limited([rec(now, None, "/repos/o/n") for _ in range(100)]
                   + [rec(now, None)]) == "concurrent requests"
    assert limited([rec(now - 1, now - 0.5) for _ in range(2000)]
                   + [rec(now, None)]) == "points per minute"
    assert limited([rec(now - 50, now - 20), rec(now - 40, now - 5), rec(now, None)]) == "CPU time"
    assert limited([rec(now - 200, now - 100) for _ in range(3000)] + [rec(now, None)]) is None
