"""arXiv, DBLP, Semantic Scholar, doi.org, Crossref and the Wayback Machine, through real
clients."""

from __future__ import annotations

import time

import arxiv
import httpx
import pytest
import requests

pytestmark = pytest.mark.e2e


def _client() -> httpx.Client:
    return httpx.Client(trust_env=True, timeout=10)


# -- arXiv ---------------------------------------------------------------------------


def test_arxiv_package_parses_the_feed(world_inprocess):
    w = world_inprocess
    w.arxiv.paper(
        "2312.07104",
        title="SGLang: Efficient Execution of Structured Language Model Programs with a "
        "Long Title That Wraps",
        authors=["Lianmin Zheng", "Liangsheng Yin"],
        version=2,
        journal_ref="NeurIPS 2024",
        doi="10.1145/1234567.7654321",
        comment="Accepted at NeurIPS 2024",
        primary_category="cs.AI",
        categories=["cs.AI", "cs.LG"],
        updated="2024-06-06T00:00:00Z",
    )
    w.arxiv.paper("1706.03762", title="Attention Is All You Need", withdrawn=True, version=7)
    client = arxiv.Client(delay_seconds=0, num_retries=0)
    results = list(client.results(arxiv.Search(id_list=["2312.07104", "1706.03762", "2401.99999"])))
    assert [r.get_short_id() for r in results] == ["2312.07104v2", "1706.03762v7"]
    first = results[0]
    assert first.title.startswith("SGLang: Efficient Execution") and "\n" not in first.title
    assert [a.name for a in first.authors] == ["Lianmin Zheng", "Liangsheng Yin"]
    assert first.journal_ref == "NeurIPS 2024"
    assert first.doi == "10.1145/1234567.7654321"
    assert first.comment == "Accepted at NeurIPS 2024"
    assert first.primary_category == "cs.AI" and first.categories == ["cs.AI", "cs.LG"]
    assert first.pdf_url == "http://arxiv.org/pdf/2312.07104v2"
    assert first.updated.year == 2024
    assert "withdrawn" in results[1].comment
    # An unknown but well-formed id is simply absent.
    assert list(client.results(arxiv.Search(id_list=["2401.99999"]))) == []
    # A specific older version.
    [v1] = client.results(arxiv.Search(id_list=["2312.07104v1"]))
    assert v1.entry_id == "http://arxiv.org/abs/2312.07104v1"


def test_arxiv_raw_feed_shape_and_bad_id(world_inprocess):
    world_inprocess.arxiv.paper("2312.07104", title="A " * 50)
    with _client() as c:
        feed = c.get("https://export.arxiv.org/api/query", params={"id_list": "2312.07104"}).text
        assert "<opensearch:totalResults" in feed and ">1</opensearch:totalResults>" in feed
        assert "<title>A A" in feed and "\n  A" in feed  # arXiv wraps long titles
        bad = c.get("https://export.arxiv.org/api/query", params={"id_list": "not-an-id"})
        assert bad.status_code == 400
        assert "http://arxiv.org/api/errors#incorrect_id_format_for_not-an-id" in bad.text
        found = c.get(
            "https://export.arxiv.org/api/query",
            params={"search_query": "ti:a AND ti:a", "max_results": "5"},
        ).text
        assert ">1</opensearch:totalResults>" in found


def test_arxiv_throttle_and_down(world_inprocess):
    world_inprocess.arxiv.paper("2312.07104", title="T")
    world_inprocess.arxiv.throttle(3.0, status=503, retry_after=3)
    url = "https://export.arxiv.org/api/query?id_list=2312.07104"
    with _client() as c:
        assert c.get(url).status_code == 200
        too_soon = c.get(url)
        assert too_soon.status_code == 503 and too_soon.headers["retry-after"] == "3"
    world_inprocess.arxiv.down()
    with _client() as c:
        assert c.get(url).status_code == 503


def test_arxiv_pages(world_inprocess):
    world_inprocess.arxiv.paper("2312.07104", title="T", version=3)
    world_inprocess.arxiv.paper("hep-th/9901001", title="Old style")
    with _client() as c:
        for host in ("arxiv.org", "browse.arxiv.org"):
            assert c.get(f"https://{host}/abs/2312.07104").status_code == 200
        assert c.get("https://arxiv.org/abs/2312.07104v3").status_code == 200
        assert c.get("https://arxiv.org/abs/2312.07104v4").status_code == 404
        assert c.get("https://arxiv.org/abs/hep-th/9901001").status_code == 200
        pdf = c.get("https://arxiv.org/pdf/2312.07104")
        assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
        assert c.head("https://arxiv.org/pdf/2401.00001").status_code == 404


# -- DBLP ----------------------------------------------------------------------------


def test_dblp_shapes_and_query_semantics(world_inprocess):
    w = world_inprocess
    w.dblp.record(
        "conf/sosp/Solo23",
        title="A Solo Paper",
        authors=["Ada Lovelace"],
        venue="SOSP",
        year=2023,
        doi="10.1145/1.2",
        pages="1-15",
    )
    w.dblp.record(
        "conf/osdi/Pair24",
        title="Efficient Serving of Models",
        venue="OSDI",
        authors=["Ada Lovelace", "Alan Turing"],
        year=2024,
        ee=["https://doi.org/10.5555/x", "https://www.usenix.org/x"],
    )
    w.dblp.corr(
        "2312.07104",
        title="Efficient Serving of Models",
        year=2023,
        authors=["Ada Lovelace", "Alan Turing"],
    )
    api = "https://dblp.org/search/publ/api"
    resp = requests.get(api, params={"q": "solo lovel", "format": "json", "h": 10}, timeout=10)
    result = resp.json()["result"]
    assert result["hits"]["@total"] == "1"
    info = result["hits"]["hit"][0]["info"]
    assert info["authors"]["author"] == {
        "@pid": info["authors"]["author"]["@pid"],
        "text": "Ada Lovelace",
    }
    assert info["title"] == "A Solo Paper."
    assert info["year"] == "2023" and info["venue"] == "SOSP" and info["doi"] == "10.1145/1.2"
    assert info["ee"] == "https://doi.org/10.1145/1.2"
    assert info["url"] == "https://dblp.org/rec/conf/sosp/Solo23"

    hits = requests.get(
        api, params={"q": "efficient serving", "format": "json"}, timeout=10
    ).json()["result"]["hits"]["hit"]
    by_venue = {h["info"]["venue"]: h["info"] for h in hits}
    assert isinstance(by_venue["OSDI"]["authors"]["author"], list)
    assert isinstance(by_venue["OSDI"]["ee"], list)
    assert by_venue["CoRR"]["type"] == "Informal and Other Publications"
    assert by_venue["CoRR"]["volume"] == "abs/2312.07104"
    none = requests.get(api, params={"q": "efficient serv$", "format": "json"}, timeout=10)
    assert none.json()["result"]["hits"]["@total"] == "0"
    assert "hit" not in none.json()["result"]["hits"]


def test_dblp_failures(world_inprocess):
    w = world_inprocess
    w.dblp.fail(429, times=1, retry_after=2)
    url = "https://dblp.org/search/publ/api?q=x&format=json"
    with _client() as c:
        limited = c.get(url)
        assert limited.status_code == 429 and limited.headers["retry-after"] == "2"
        assert c.get(url).status_code == 200
        w.dblp.malformed(times=1)
        with pytest.raises(ValueError):
            c.get(url).json()
        w.dblp.down(502)
        assert c.get(url).status_code == 502


# -- Semantic Scholar ------------------------------------------------------------------


def test_s2_batch(world_inprocess):
    w = world_inprocess
    pid = w.s2.paper(
        title="SGLang",
        arxiv="2312.07104",
        doi="10.5555/abc",
        venue="NeurIPS",
        year=2024,
        publication_venue={
            "id": "v1",
            "name": "Neural Information Processing Systems",
            "type": "conference",
            "alternate_names": ["NeurIPS"],
            "url": None,
        },
        journal={"name": "NeurIPS", "pages": "1-10", "volume": "37"},
        publication_date="2024-12-10",
        authors=["Lianmin Zheng"],
    )
    batch = "https://api.semanticscholar.org/graph/v1/paper/batch"
    with _client() as c:
        resp = c.post(
            batch,
            params={
                "fields": "title,venue,year,externalIds,publicationVenue,"
                "journal,publicationDate,authors"
            },
            json={"ids": ["ARXIV:2312.07104", "ARXIV:0000.00000", f"{pid}", "DOI:10.5555/ABC"]},
            headers={"x-api-key": "secret-key"},
        )
        data = resp.json()
        assert resp.status_code == 200 and data[1] is None
        assert data[0]["paperId"] == pid == data[2]["paperId"] == data[3]["paperId"]
        assert data[0]["externalIds"]["ArXiv"] == "2312.07104"
        assert data[0]["publicationVenue"]["type"] == "conference"
        assert (
            data[0]["authors"][0]["name"] == "Lianmin Zheng" and "authorId" in data[0]["authors"][0]
        )
        only_title = c.post(batch, json={"ids": ["ARXIV:2312.07104"]}).json()[0]
        assert set(only_title) == {"paperId", "title"}
        too_many = c.post(batch, json={"ids": [f"ARXIV:{i}" for i in range(501)]})
        assert too_many.status_code == 400
        assert c.post(batch, params={"fields": "bogus"}, json={"ids": []}).status_code == 400
    assert world_inprocess.requests("api.semanticscholar.org")[0].headers["x-api-key"] == "present"


def test_s2_anonymous_429(world_inprocess):
    world_inprocess.s2.rate_limit_anonymous(times=2)
    batch = "https://api.semanticscholar.org/graph/v1/paper/batch"
    with _client() as c:
        limited = c.post(batch, json={"ids": []})
        assert limited.status_code == 429 and "Too Many Requests" in limited.json()["message"]
        assert c.post(batch, json={"ids": []}, headers={"x-api-key": "k"}).status_code == 200
        assert c.post(batch, json={"ids": []}).status_code == 429
        assert c.post(batch, json={"ids": []}).status_code == 200


# -- doi.org, publishers, Wayback ---------------------------------------------------------


def test_doi_and_publisher_challenge(world_inprocess):
    w = world_inprocess
    w.doi.register("10.1145/3600006.3613165", "https://dl.acm.org/doi/10.1145/3600006.3613165")
    with _client() as c:
        hop = c.get("https://doi.org/10.1145/3600006.3613165")
        assert hop.status_code == 302
        assert hop.headers["location"] == "https://dl.acm.org/doi/10.1145/3600006.3613165"
        blocked = c.get(hop.headers["location"])
        assert blocked.status_code == 403 and blocked.headers["cf-mitigated"] == "challenge"
        browser = c.get(
            hop.headers["location"],
            headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"},
        )
        assert browser.status_code == 404  # let through, but no such page in the scenario
        assert c.get("https://doi.org/10.9999/unknown").status_code == 404
        handle = c.get("https://doi.org/api/handles/10.1145/3600006.3613165").json()
        assert handle["responseCode"] == 1
        assert handle["values"][0]["type"] == "URL"
        missing = c.get("https://doi.org/api/handles/10.9999/unknown")
        assert missing.status_code == 404 and missing.json()["responseCode"] == 100


def test_crossref_lists_the_crossref_dois_of_doi_org(world_inprocess):
    w = world_inprocess
    w.doi.register("10.1145/3600006.3613165", "https://dl.acm.org/doi/10.1145/3600006.3613165")
    w.doi.register("10.48550/arXiv.2312.07104", "https://arxiv.org/abs/2312.07104")
    w.doi.register("10.9999/Other", "https://pub.example/other", agency="datacite")
    works = "https://api.crossref.org/works"
    wanted = ["10.1145/3600006.3613165", "10.48550/arxiv.2312.07104", "10.9999/other",
              "10.1145/0000000.0000000"]
    with _client() as c:
        listed = c.get(works, params={"filter": ",".join(f"doi:{d}" for d in wanted),
                                      "rows": "4", "select": "DOI,resource"})
        assert listed.status_code == 200
        assert listed.headers["x-rate-limit-limit"] == "5"
        message = listed.json()["message"]
        # Only the Crossref DOI, only the selected fields; the others are simply absent.
        assert message["items"] == [{
            "DOI": "10.1145/3600006.3613165",
            "resource": {"primary": {"URL": "https://dl.acm.org/doi/10.1145/3600006.3613165"}},
        }]
        one = c.get(f"{works}/10.1145/3600006.3613165").json()["message"]
        assert one["URL"] == "https://doi.org/10.1145/3600006.3613165"
        assert c.get(f"{works}/10.48550/arXiv.2312.07104").status_code == 404
        # What the real API refuses (asked in the polite pool: 10 requests a second).
        polite = {"mailto": "bot@example.org"}
        bad_filter = c.get(works, params={"filter": "dois:10.1145/1", **polite})
        assert bad_filter.status_code == 400
        assert bad_filter.json()["message"][0]["type"] == "filter-not-available"
        too_many = c.get(works, params={"filter": "doi:10.1145/1", "rows": "1001", **polite})
        assert too_many.status_code == 400
        assert too_many.json()["message"][0]["type"] == "integer-not-valid"
        assert c.get(works, params={"select": "DOI,resource.primary", **polite}).status_code == 400
        long_line = ",".join(f"doi:10.1145/{n:07d}.{n:07d}" for n in range(200))
        assert c.get(works, params={"filter": long_line, **polite}).status_code == 414
        # The public pool: 5 requests a second.
        time.sleep(1.1)
        statuses = [c.get(works, params={"rows": "0"}).status_code for _ in range(20)]
        assert statuses[:5] == [200] * 5 and 429 in statuses


def test_wayback(world_inprocess):
    w = world_inprocess
    w.wayback.snapshot("https://example.org/page", "20190101000000")
    w.wayback.snapshot("https://example.org/page", "20230101000000")
    with _client() as c:
        latest = c.get(
            "https://archive.org/wayback/available", params={"url": "example.org/page"}
        ).json()
        closest = latest["archived_snapshots"]["closest"]
        assert closest == {
            "status": "200",
            "available": True,
            "timestamp": "20230101000000",
            "url": "http://web.archive.org/web/20230101000000/https://example.org/page",
        }
        older = c.get(
            "https://archive.org/wayback/available",
            params={"url": "example.org/page", "timestamp": "2018"},
        ).json()
        assert older["archived_snapshots"]["closest"]["timestamp"] == "20190101000000"
        none = c.get("https://archive.org/wayback/available", params={"url": "nope.org"}).json()
        assert none["archived_snapshots"] == {}
        assert c.get(closest["url"]).status_code == 200
        near = c.get("https://web.archive.org/web/2020/https://example.org/page")
        assert near.status_code == 302


def test_throttle_spacing_is_visible_in_the_log(world_inprocess):
    world_inprocess.arxiv.paper("2312.07104", title="T")
    with _client() as c:
        for _ in range(3):
            c.get("https://export.arxiv.org/api/query?id_list=2312.07104")
            time.sleep(0.2)
    gaps = world_inprocess.start_gaps("export.arxiv.org")
    assert len(gaps) == 2 and all(g >= 0.2 for g in gaps)
