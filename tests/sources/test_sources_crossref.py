"""Crossref: DOIs in batches within the request-line limit, parsing, caching, failures."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from contexts import NOW, context

from listwatch.model import DoiFacts
from listwatch.sources import crossref
from listwatch.state import Store

ACM = "10.1145/3620666.3651335"


def _item(doi: str, url: str | None = None) -> dict[str, object]:
    found: dict[str, object] = {"DOI": doi.lower()}
    if url is not None:
        found["resource"] = {"primary": {"URL": url}}
    return found


def _answer(items: list[dict[str, object]]) -> dict[str, object]:
    return {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
            "message": {"items": items, "total-results": len(items)}}


def _asked(request: httpx.Request) -> list[str]:
    query = parse_qs(urlsplit(str(request.url)).query)
    return [part.removeprefix("doi:") for part in query["filter"][0].split(",")]


def _fetch(handler: Callable[[httpx.Request], httpx.Response], dois: list[str], *,
           store: Store | None = None, now=NOW) -> crossref.DoiReport:
    async def run() -> crossref.DoiReport:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await crossref.CrossrefWorks(context(client, cache=store, now=now)
                                                ).fetch(dois)

    return asyncio.run(run())


def test_batches_keep_the_request_line_and_rows_within_limits() -> None:
    dois = [f"10.1145/{n:07d}.{n:07d}" for n in range(500)]
    groups = list(crossref.batches(dois))
    assert [d for group in groups for d in group] == dois
    assert len(groups) > 1
    for group in groups:
        url = httpx.URL(crossref.API_URL, params={
            "filter": ",".join(f"doi:{d}" for d in group), "rows": str(len(group)),
            "select": crossref.SELECT})
        assert len(f"GET {url.raw_path.decode()} HTTP/1.1") <= crossref.MAX_REQUEST_LINE
    assert [len(g) for g in crossref.batches(dois, limit=10**6, rows=200)] == [200, 200, 100]


def test_parse_works_reads_doi_and_landing_page() -> None:
    found = crossref.parse_works(_answer([_item(ACM, "https://dl.acm.org/doi/" + ACM),
                                          _item("10.1/x")]))
    assert found == {ACM: DoiFacts(ACM, "https://dl.acm.org/doi/" + ACM),
                     "10.1/x": DoiFacts("10.1/x", None)}
    for bad in ({"status": "failed"}, {"status": "ok", "message": {}},
                {"status": "ok", "message": {"items": [{"title": ["no DOI"]}]}}):
        try:
            crossref.parse_works(bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad}")


def test_one_request_for_the_batch_absent_dois_unknown_and_not_cached(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        known = [d for d in _asked(request) if d.startswith("10.1145/")]
        return httpx.Response(200, json=_answer([_item(d, f"https://dl.acm.org/doi/{d}")
                                                 for d in known]))

    asked = [ACM.upper(), "10.48550/arXiv.2312.07104", "10.1145/0000000.0000000",
             "10.1000/a,b"]
    with Store.open(tmp_path / "s.db") as store:
        report = _fetch(handler, asked, store=store)
        assert len(seen) == 1
        query = parse_qs(urlsplit(str(seen[0].url)).query)
        assert query["rows"] == ["3"] and query["select"] == ["DOI,resource"]
        assert "10.1000/a,b" not in _asked(seen[0])  # a comma cannot go in a doi: filter
        assert set(report.facts) == {ACM, "10.1145/0000000.0000000"}
        assert report.facts[ACM].url == f"https://dl.acm.org/doi/{ACM}"
        assert report.unknown == ("10.48550/arxiv.2312.07104",)
        assert report.requests == 1 and report.warnings == ()
        # Registered DOIs come from the cache; the one Crossref did not list is asked again.
        seen.clear()
        again = _fetch(handler, asked, store=store, now=NOW + timedelta(hours=1))
        assert [_asked(r) for r in seen] == [["10.48550/arxiv.2312.07104"]]
        assert set(again.facts) == set(report.facts)


def test_down_is_a_warning_and_leaves_every_doi_to_doi_org() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, text="down")

    report = _fetch(handler, [ACM, "10.1/x"])
    assert report.facts == {}
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith("api.crossref.org: ")
    assert "2 DOI(s) checked with doi.org instead" in report.warnings[0]


def test_malformed_answer_is_a_warning() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text='{"status": "ok", "message": {"ite')

    report = _fetch(handler, [ACM])
    assert report.facts == {} and report.unknown == ()
    assert report.warnings and "malformed answer" in report.warnings[0]
