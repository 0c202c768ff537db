"""decide(): weighing arXiv, DBLP and Semantic Scholar into one publication (or none)."""

from __future__ import annotations

from sources_samples import SLORA_AUTHORS, dblp_answer, dblp_hit, paper, s2_item

from listwatch.sources import dblp
from listwatch.sources.publication import decide
from listwatch.sources.semantic_scholar import parse_record

TITLE = "S-LoRA: Serving Thousands of Concurrent LoRA Adapters"


def _match(title: str, venue: str, year: str, *, key: str, doi: str | None = None,
           ee: str | None = None, authors: list[str] = SLORA_AUTHORS,
           type_: str = "Conference and Workshop Papers") -> dblp.DblpMatch | None:
    hits = dblp.parse_hits(dblp_answer(dblp_hit(title, authors, venue, year, key=key, doi=doi,
                                                ee=ee, type_=type_)))
    return dblp.best_match(TITLE, authors, hits)


def test_published_under_another_title_found_via_dblp() -> None:
    match = _match("SLoRA: Scalable Serving of Thousands of LoRA Adapters.", "MLSys", "2024",
                   key="conf/mlsys/S24", ee="https://proceedings.mlsys.org/paper/2024/x.html")
    assert match is not None
    pub = decide(paper(), match, None)
    assert pub is not None
    assert (pub.venue, pub.year) == ("MLSys", 2024)
    assert pub.url == "https://proceedings.mlsys.org/paper/2024/x.html"
    assert pub.sources == ("dblp",)
    assert pub.title == "SLoRA: Scalable Serving of Thousands of LoRA Adapters"
    assert 0.6 <= pub.confidence <= 0.85
    assert pub.evidence == ("https://dblp.org/rec/conf/mlsys/S24",)


def test_corr_only_stays_arxiv() -> None:
    corr = _match(TITLE + ".", "CoRR", "2023", key="journals/corr/abs-2311-03285",
                  type_="Informal and Other Publications")
    assert corr is None
    s2 = parse_record("2311.03285", s2_item("2311.03285", venue="arXiv.org",
                                             pv={"id": "1901e811", "name": "arXiv.org",
                                                 "alternate_names": ["ArXiv"]}))
    assert decide(paper(), corr, s2) is None
    assert decide(None, None, None, arxiv_id="2311.03285") is None


def test_two_agreeing_sources_are_high_confidence_and_year_from_dblp() -> None:
    match = _match(TITLE + ".", "MLSys", "2024", key="conf/mlsys/S24")
    s2 = parse_record("2311.03285", s2_item(
        "2311.03285", venue="Conference on Machine Learning and Systems", year=2023,
        pv={"id": "v", "name": "Conference on Machine Learning and Systems",
            "alternate_names": ["MLSys"], "type": "conference"}))
    pub = decide(paper(), match, s2)
    assert pub is not None
    assert pub.venue == "MLSys" and pub.year == 2024  # S2's 2023 is the preprint's year
    assert pub.sources == ("dblp", "semantic_scholar")
    assert pub.confidence >= 0.9
    assert not pub.notes


def test_conflicting_sources_pick_by_evidence_and_lower_confidence() -> None:
    match = _match(TITLE + ".", "MLSys", "2024", key="conf/mlsys/S24")
    s2 = parse_record("2311.03285", s2_item(
        "2311.03285", venue="International Conference on Machine Learning",
        pv={"id": "v", "name": "International Conference on Machine Learning",
            "alternate_names": ["ICML"]}))
    pub = decide(paper(comment="Accepted at ICML 2024"), match, s2)
    assert pub is not None
    # ICML: S2 (0.55) + comment (0.45) = 0.75 combined, DBLP alone 0.8 → MLSys wins
    assert pub.venue == "MLSys"
    assert pub.notes and pub.notes[0].startswith("conflict:")
    assert "ICML" in pub.notes[0]
    assert pub.confidence < 0.8
    # deterministic
    assert decide(paper(comment="Accepted at ICML 2024"), match, s2) == pub


def test_comment_only_is_lower_confidence() -> None:
    pub = decide(paper(comment="10 pages. To appear in OSDI '24"), None, None)
    assert pub is not None
    assert (pub.venue, pub.year, pub.sources) == ("OSDI", 2024, ("arxiv",))
    assert pub.confidence < 0.5
    assert pub.url is None


def test_journal_ref_and_doi_give_the_page() -> None:
    pub = decide(paper(journal_ref="Proceedings of the 29th Symposium on Operating Systems "
                       "Principles (SOSP '23), 2023", doi="10.1145/3600006.3613165"),
                 None, None)
    assert pub is not None
    assert (pub.venue, pub.year) == ("SOSP", 2023)
    assert pub.url == "https://doi.org/10.1145/3600006.3613165"


def test_arxiv_doi_is_not_a_publication_page() -> None:
    pub = decide(paper(comment="NeurIPS 2024", doi="10.48550/arXiv.2311.03285"), None, None)
    assert pub is not None and pub.url is None


def test_s2_only_year_is_flagged() -> None:
    s2 = parse_record("2311.03285", s2_item(
        "2311.03285", venue="SOSP", pv={"name": "Symposium on Operating Systems Principles",
                                         "alternate_names": ["SOSP"]}, date=None, year=2023,
        doi="10.1145/3600006.3613165"))
    pub = decide(None, None, s2, arxiv_id="2311.03285")
    assert pub is not None
    assert (pub.venue, pub.year) == ("SOSP", 2023)
    assert pub.url == "https://doi.org/10.1145/3600006.3613165"
    assert any("Semantic Scholar only" in n for n in pub.notes)


def test_find_publications_skips_entries_already_tagged() -> None:
    import asyncio
    from dataclasses import dataclass
    from datetime import UTC, datetime

    import httpx
    from contexts import context

    from listwatch.config import Config, SourcesConfig, Target
    from listwatch.sources.preprints import PublicationReport, find_publications

    @dataclass(frozen=True)
    class Entry:
        arxiv_id: str | None
        is_preprint: bool

    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"unexpected request {request.url}")

    async def run() -> PublicationReport:
        async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as client:
            return await find_publications(
                [Entry("2311.03285", False), Entry(None, True)], {},
                context=context(client, now=datetime(2026, 1, 1, tzinfo=UTC)),
                config=Config(targets=(Target(repo="o/l"),), sources=SourcesConfig()))

    report = asyncio.run(run())
    assert report.publications == {} and report.requests == {"dblp": 0, "semantic_scholar": 0}


def test_workshop_journal_ref_is_not_the_main_venue() -> None:
    assert decide(paper(journal_ref="NeurIPS 2023 Workshop on ML for Systems"), None, None) is None
