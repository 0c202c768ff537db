"""DBLP: parsing real-shaped answers, matching on title and authors, politeness."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import httpx
import pytest
from contexts import context
from sources_samples import SLORA_AUTHORS, dblp_answer, dblp_hit

from listwatch.sources import dblp

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_parse_single_author_dict_and_ee_list() -> None:
    data = dblp_answer(
        dblp_hit("Solo Paper.", ["Ada Lovelace"], "OSDI", "2022", key="conf/osdi/L22",
                 ee=["https://www.usenix.org/conference/osdi22/presentation/l", "https://x"]),
        dblp_hit("Two Authors.", ["A B", "C D"], "CoRR", "2021", key="journals/corr/abs-1",
                 type_="Informal and Other Publications", ee="https://arxiv.org/abs/2101.1"),
    )
    hits = dblp.parse_hits(data)
    assert hits[0].authors == ("Ada Lovelace",)
    assert hits[0].ee[0].startswith("https://www.usenix.org/")
    assert hits[0].page == "https://www.usenix.org/conference/osdi22/presentation/l"
    assert hits[0].year == 2022 and not hits[0].informal
    assert hits[1].authors == ("A B", "C D") and hits[1].ee == ("https://arxiv.org/abs/2101.1",)
    assert hits[1].informal


def test_parse_no_hits_and_malformed() -> None:
    assert dblp.parse_hits(dblp_answer()) == ()
    with pytest.raises(dblp.MalformedAnswer):
        dblp.parse_hits({"unexpected": True})
    with pytest.raises(dblp.MalformedAnswer):
        dblp.parse_hits({"result": {"hits": {"hit": [{"info": {}}]}}})


def test_match_ignores_corr_and_prefers_formal_record() -> None:
    hits = dblp.parse_hits(dblp_answer(
        dblp_hit("S-LoRA: Serving Thousands of Concurrent LoRA Adapters.", SLORA_AUTHORS,
                 "CoRR", "2023", key="journals/corr/abs-2311-03285",
                 type_="Informal and Other Publications"),
        dblp_hit("SLoRA: Scalable Serving of Thousands of LoRA Adapters.", SLORA_AUTHORS,
                 "MLSys", "2024", key="conf/mlsys/ShengCLHLYCZZKG24",
                 ee="https://proceedings.mlsys.org/paper_files/paper/2024/hash/x.html"),
    ))
    match = dblp.best_match("S-LoRA: Serving Thousands of Concurrent LoRA Adapters",
                            SLORA_AUTHORS, hits)
    assert match is not None
    assert match.hit.venue == "MLSys" and match.hit.year == 2024
    assert match.strength in {"strong", "medium"}


def test_same_title_other_authors_is_not_a_match() -> None:
    hits = dblp.parse_hits(dblp_answer(
        dblp_hit("Attention Is All You Need.", ["Someone Else", "Another Person"],
                 "NeurIPS", "2017", key="conf/nips/X17"),
    ))
    assert dblp.best_match("Attention Is All You Need", ["Ashish Vaswani", "Noam Shazeer"],
                           hits) is None


def test_renamed_system_weak_match_needs_authors() -> None:
    authors = ["Jiamin Li", "Hong Xu", "Yibo Zhu", "Zherui Liu", "Chuanxiong Guo", "Cong Wang"]
    hits = dblp.parse_hits(dblp_answer(
        dblp_hit("Lyra: Elastic Scheduling for Deep Learning Clusters.", authors, "EuroSys",
                 "2023", key="conf/eurosys/LiXZLGW23", doi="10.1145/3552326.3587445"),
    ))
    match = dblp.best_match("Aryl: An Elastic Cluster Scheduler for Deep Learning", authors, hits)
    assert match is not None and match.strength == "weak"
    assert match.hit.page == "https://doi.org/10.1145/3552326.3587445"
    assert dblp.best_match("Aryl: An Elastic Cluster Scheduler for Deep Learning",
                           ["Nobody Known", "Other Person"], hits) is None


def test_queries_try_title_then_parts() -> None:
    found = dblp.queries("S-LoRA: Serving Thousands of Concurrent LoRA Adapters", SLORA_AUTHORS)
    assert found[0] == "S LoRA Serving Thousands of Concurrent LoRA Adapters"
    assert found[1] == "S LoRA sheng"
    assert found[2] == "Serving Thousands of Concurrent LoRA Adapters sheng"


def test_lookup_retries_429_with_retry_after_and_caches(tmp_path) -> None:
    from listwatch.state import Store

    calls: list[httpx.Request] = []
    answer = dblp_answer(dblp_hit("S-LoRA: Serving Thousands of Concurrent LoRA Adapters.",
                                  SLORA_AUTHORS, "MLSys", "2024", key="conf/mlsys/S24"))

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(429, headers={"Retry-After": "0"})
        return httpx.Response(200, json=answer)

    async def run(store: Store) -> dblp.DblpLookup:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await dblp.lookup(
                "S-LoRA: Serving Thousands of Concurrent LoRA Adapters", SLORA_AUTHORS,
                context=context(client, cache=store))

    with Store.open(tmp_path / "s.db") as store:
        first = asyncio.run(run(store))
        assert first.match is not None and first.match.strength == "strong"
        assert first.requests == 2 and not first.warnings
        assert calls[0].url.params["format"] == "json"
        second = asyncio.run(run(store))
        assert second.requests == 0 and second.match == first.match


def test_lookup_malformed_and_down_are_warnings() -> None:
    def bad(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"<html>maintenance</html>")

    def down(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503)

    async def run(handler) -> dblp.DblpLookup:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await dblp.lookup("A Title: Here", ["Ada Lovelace"],
                                     context=context(client, max_age_s=1))

    malformed = asyncio.run(run(bad))
    assert malformed.match is None and "malformed" in malformed.warnings[0]
    unavailable = asyncio.run(run(down))
    assert unavailable.match is None and unavailable.down
    assert "HTTP 503" in unavailable.warnings[0]
    assert json.dumps(unavailable.warnings)  # plain strings


# The shape https://dblp.org/rec/<key>.xml serves (dblp's FAQ "What do I find in dblp.xml?").
RECORD_XML = b"""<?xml version="1.0" encoding="US-ASCII"?>
<dblp>
<inproceedings key="conf/sosp/SongMXC24" mdate="2024-11-20">
<author pid="1/2">Yixin Song</author>
<author pid="3/4">Zeyu Mi</author>
<author pid="5/6">Haotong Xie</author>
<author pid="7/8">Haibo Chen 0001</author>
<title>PowerInfer: Fast Large Language Model Serving with a Consumer-grade GPU.</title>
<pages>590-606</pages>
<year>2024</year>
<booktitle>SOSP</booktitle>
<ee>https://doi.org/10.1145/3694715.3695964</ee>
<crossref>conf/sosp/2024</crossref>
<url>db/conf/sosp/sosp2024.html#SongMXC24</url>
</inproceedings>
</dblp>
"""

CORR_XML = b"""<?xml version="1.0" encoding="US-ASCII"?>
<dblp>
<article key="journals/corr/abs-2312-11514" mdate="2024-01-04" publtype="informal">
<author>Keivan Alizadeh</author>
<title>LLM in a flash: Efficient Large Language Model Inference with Limited Memory.</title>
<year>2023</year>
<volume>abs/2312.11514</volume>
<journal>CoRR</journal>
<ee type="oa">https://doi.org/10.48550/arXiv.2312.11514</ee>
</article>
</dblp>
"""


def test_parse_record_xml() -> None:
    hit = dblp.parse_record(RECORD_XML, "conf/sosp/SongMXC24")
    assert hit.title.startswith("PowerInfer:") and hit.title.endswith(".")
    assert hit.authors[-1] == "Haibo Chen 0001" and hit.venue == "SOSP" and hit.year == 2024
    assert hit.type == "Conference and Workshop Papers" and not hit.informal
    assert hit.doi == "10.1145/3694715.3695964"
    assert hit.page == "https://doi.org/10.1145/3694715.3695964"
    assert hit.url == "https://dblp.org/rec/conf/sosp/SongMXC24"
    corr = dblp.parse_record(CORR_XML, "journals/corr/abs-2312-11514")
    assert corr.informal and corr.venue == "CoRR"
    assert dblp.corr_key("2312.11514") == corr.key
    with pytest.raises(dblp.MalformedAnswer):
        dblp.parse_record(b"<html>nope", "k")
    with pytest.raises(dblp.MalformedAnswer):
        dblp.parse_record(b"<dblp></dblp>", "k")


def test_record_by_key_settles_a_paper_without_searching() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/rec/conf/sosp/SongMXC24.xml":
            return httpx.Response(200, content=RECORD_XML)
        if request.url.path.startswith("/rec/"):
            return httpx.Response(404, text="not found")
        return httpx.Response(200, json={"result": {"hits": {"@total": "0"}}})

    title = "PowerInfer: Fast Large Language Model Serving with a Consumer-grade GPU"
    papers = {
        "2312.12456": dblp.PaperQuery(title, ("Yixin Song", "Zeyu Mi", "Haibo Chen")),
        "2312.11514": dblp.PaperQuery("LLM in a flash", ("Keivan Alizadeh",)),
        "2401.00001": dblp.PaperQuery("Gone Record", ("Ada Lovelace",)),
    }
    records = {"2312.12456": "conf/sosp/SongMXC24",
               "2312.11514": "journals/corr/abs-2312-11514",
               "2401.00001": "conf/x/Gone24"}

    async def run() -> dblp.SourceResult[dblp.DblpMatch]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await dblp.DblpMatches(context(client), papers, records=records).fetch(papers)

    found = asyncio.run(run())
    assert found.facts["2312.12456"].hit.key == "conf/sosp/SongMXC24"
    assert found.facts["2312.12456"].strength == "strong"
    assert set(found.unknown) == {"2312.11514", "2401.00001"}
    # the CoRR key costs nothing; the record that is gone (404) falls back to a search
    assert seen[:2] == ["/rec/conf/sosp/SongMXC24.xml", "/rec/conf/x/Gone24.xml"]
    assert set(seen[2:]) == {"/search/publ/api"}
    assert found.requests == len(seen)
