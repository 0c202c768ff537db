"""Semantic Scholar: batch requests, null entries, 429 backoff, API key, caching."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import httpx
from contexts import context
from sources_samples import s2_item

from listwatch.sources import semantic_scholar as s2

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_parse_record_venue_names() -> None:
    record = s2.parse_record("2311.03285", s2_item(
        "2311.03285", venue="MLSys", doi="10.1/x",
        pv={"id": "v", "name": "Conference on Machine Learning and Systems",
            "alternate_names": ["MLSys", "SysML"], "type": "conference"}))
    assert record is not None
    assert record.venue_strings()[:3] == ("Conference on Machine Learning and Systems", "MLSys",
                                          "SysML")
    assert record.doi == "10.1/x" and record.year == 2023
    assert record.url and record.url.startswith("https://www.semanticscholar.org/paper/")
    assert s2.parse_record("x", None) is None


def test_batch_null_unknown_429_and_cache(tmp_path) -> None:
    from listwatch.state import Store

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) == 1:
            return httpx.Response(429, json={"message": "Too Many Requests"})
        ids = json.loads(request.content)["ids"]
        return httpx.Response(200, json=[
            None if i.endswith("99999") else s2_item(i.removeprefix("ARXIV:")) for i in ids])

    async def run(store: Store) -> s2.S2Report:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await s2.SemanticScholarPapers(context(client, cache=store),
                                                  key="k-123").fetch(["2311.03285",
                                                                      "2311.99999"])

    with Store.open(tmp_path / "s.db") as store:
        report = asyncio.run(run(store))
        assert report.requests == 2 and not report.warnings
        assert report.unknown == ("2311.99999",) and "2311.99999" not in report.facts
        assert report.facts["2311.03285"] is not None
        last = seen[-1]
        assert last.url.path == "/graph/v1/paper/batch"
        assert "publicationVenue" in last.url.params["fields"]
        assert json.loads(last.content) == {"ids": ["ARXIV:2311.03285", "ARXIV:2311.99999"]}
        assert last.headers["x-api-key"] == "k-123"
        again = asyncio.run(run(store))
        assert again.requests == 0 and again.facts == report.facts
        assert again.unknown == report.unknown


def test_malformed_and_down() -> None:
    async def run(handler) -> s2.S2Report:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await s2.SemanticScholarPapers(context(client, max_age_s=1)).fetch(
                ["2311.03285"])

    bad = asyncio.run(run(lambda r: httpx.Response(200, json={"error": "x"})))
    assert bad.facts == {} and "malformed" in bad.warnings[0]
    down = asyncio.run(run(lambda r: httpx.Response(500)))
    assert down.facts == {} and "HTTP 500" in down.warnings[0]


def test_api_key_env() -> None:
    assert s2.api_key({"SEMANTIC_SCHOLAR_API_KEY": "a"}) == "a"
    assert s2.api_key({}) is None
