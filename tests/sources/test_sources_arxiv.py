"""arXiv: reading Atom entries, chunking id_list requests, spacing, unknown ids."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import arxiv
import httpx
from arxiv import _feed
from contexts import context

from listwatch.net import HostRule
from listwatch.sources import arxiv as arxiv_source

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _entry(ident: str, version: int = 3, *, comment: str | None = None,
           journal_ref: str | None = None, doi: str | None = None,
           summary: str = "We present a system.") -> str:
    extra = ""
    ns = 'xmlns:arxiv="http://arxiv.org/schemas/atom"'
    if comment:
        extra += f"<arxiv:comment {ns}>{comment}</arxiv:comment>"
    if journal_ref:
        extra += f"<arxiv:journal_ref {ns}>{journal_ref}</arxiv:journal_ref>"
    if doi:
        extra += f"<arxiv:doi {ns}>{doi}</arxiv:doi>"
    return f"""<entry>
    <id>http://arxiv.org/abs/{ident}v{version}</id>
    <updated>2024-06-05T17:00:00Z</updated>
    <published>2023-11-06T18:59:59Z</published>
    <title>S-LoRA: Serving Thousands of
      Concurrent   LoRA Adapters</title>
    <summary>{summary}</summary>
    <author><name>Ying Sheng</name></author>
    <author><name>Ion Stoica</name></author>
    {extra}
    <link href="http://arxiv.org/abs/{ident}v{version}" rel="alternate" type="text/html"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.LG"/>
  </entry>"""


def _feed_bytes(entries: list[str]) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{len(entries)}</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{len(entries)}</opensearch:itemsPerPage>
  {"".join(entries)}
</feed>""".encode()


def test_facts_from_atom_entry() -> None:
    feed = _feed.parse(_feed_bytes([_entry("2311.03285", comment="MLSys 2024",
                                           journal_ref="Proceedings of MLSys 2024",
                                           doi="10.1145/1.2")]))
    facts = arxiv_source.facts_from_result(feed.results[0])
    assert facts.arxiv_id == "2311.03285" and facts.version == 3
    assert facts.title == "S-LoRA: Serving Thousands of Concurrent LoRA Adapters"
    assert facts.authors == ("Ying Sheng", "Ion Stoica")
    assert facts.comment == "MLSys 2024" and facts.journal_ref == "Proceedings of MLSys 2024"
    assert facts.doi == "10.1145/1.2" and not facts.withdrawn
    assert facts.url == "https://arxiv.org/abs/2311.03285"
    assert facts.published == datetime(2023, 11, 6, 18, 59, 59, tzinfo=UTC)


def test_withdrawn_detected() -> None:
    feed = _feed.parse(_feed_bytes([
        _entry("2101.00001", comment="This paper has been withdrawn by the author"),
        _entry("2101.00002", summary="This paper has been withdrawn due to an error."),
    ]))
    assert all(arxiv_source.facts_from_result(r).withdrawn for r in feed.results)


def test_read_feed_gives_the_facts_of_the_packages_parser(monkeypatch) -> None:
    """One entry at a time, the same entries as ``_feed.parse``: the feed's own, those
    with an id and both dates; an entry that cannot be read is None in its place."""
    no_id = _entry("2101.00003").replace("<id>http://arxiv.org/abs/2101.00003v3</id>", "")
    undated = _entry("2101.00004").replace("<published>2023-11-06T18:59:59Z</published>", "")
    nested = f"<group>{_entry('2101.00005')}</group>"
    content = _feed_bytes([_entry("2101.00001", comment="Withdrawn"), no_id, undated,
                           nested, _entry("2101.00002", doi="10.1/x"), _entry("2101.00006")])
    expected = [arxiv_source.facts_from_result(r) for r in _feed.parse(content).results]
    assert [f.arxiv_id for f in expected] == ["2101.00001", "2101.00002", "2101.00006"]
    assert arxiv_source.read_feed(content) == expected

    facts = arxiv_source.facts_from_result

    def unreadable(result: arxiv.Result):  # type: ignore[no-untyped-def]
        if result.entry_id.endswith("2101.00002v3"):
            raise ValueError("odd entry")
        return facts(result)

    monkeypatch.setattr(arxiv_source, "facts_from_result", unreadable)
    assert arxiv_source.read_feed(content) == [expected[0], None, expected[2]]


def test_read_feed_of_an_answer_that_is_not_xml_is_empty() -> None:
    for content in (b"", b"\x00\x01 not xml", b"<html><body>busy</body></html>"):
        assert _feed.parse(content).results == []
        assert arxiv_source.read_feed(content) == []


def test_bare_ids() -> None:
    assert arxiv_source.bare_id("https://arxiv.org/abs/2312.07104v2") == "2312.07104"
    assert arxiv_source.bare_id("arXiv:1706.03762") == "1706.03762"
    assert arxiv_source.bare_id("https://arxiv.org/pdf/hep-th/9901001v1") == "hep-th/9901001"
    assert arxiv_source.bare_id("not an id") is None


def _papers(ids: list[str], factory, *, store=None, max_age_s: float = 3600,
            interval: float = 0.0) -> arxiv_source.PaperReport:
    """``ArxivPapers`` with export.arxiv.org spaced ``interval`` seconds."""

    async def run() -> arxiv_source.PaperReport:
        async with httpx.AsyncClient() as client:
            ctx = context(client, cache=store, max_age_s=max_age_s,
                          rules={"export.arxiv.org": HostRule(interval=interval)})
            return await arxiv_source.ArxivPapers(ctx, client_factory=factory).fetch(ids)

    return asyncio.run(run())


class Answer:
    def __init__(self, status: int, content: bytes = b"") -> None:
        self.status_code = status
        self.content = content


class FakeSession:
    """Answers id_list POSTs from memory; records the form and when each was asked."""

    def __init__(self, known: set[str], status: int = 200) -> None:
        self.known = known
        self.status = status
        self.pages: list[tuple[float, list[str]]] = []
        self.forms: list[tuple[str, dict[str, str]]] = []

    def post(self, url: str, data: dict[str, str], headers: dict[str, str]) -> Answer:
        ids = data["id_list"].split(",")
        self.pages.append((time.monotonic(), ids))
        self.forms.append((url, data))
        if self.status != 200:
            return Answer(self.status)
        return Answer(200, _feed_bytes([_entry(i) for i in ids if i in self.known]))


class FakeClient(arxiv.Client):
    """An arxiv client whose session is a ``FakeSession``."""

    def __init__(self, known: set[str], status: int = 200) -> None:
        super().__init__(page_size=100, delay_seconds=0, num_retries=0)
        self.fake = FakeSession(known, status)
        self._session = self.fake  # type: ignore[assignment]

    @property
    def pages(self) -> list[tuple[float, list[str]]]:
        return self.fake.pages


def test_fetch_chunks_spacing_unknown_and_cache(tmp_path, monkeypatch) -> None:
    from listwatch.state import Store

    monkeypatch.setattr(arxiv_source, "CHUNK", 2)
    ids = ["2311.03285", "2311.03286v2", "https://arxiv.org/abs/2311.03287", "2311.99999",
           "2311.03285"]
    fake = FakeClient({"2311.03285", "2311.03286", "2311.03287"})
    with Store.open(tmp_path / "s.db") as store:
        report = _papers(ids, lambda: fake, store=store, interval=0.3)
        assert [p[1] for p in fake.pages] == [["2311.03285", "2311.03286"],
                                              ["2311.03287", "2311.99999"]]
        assert fake.pages[1][0] - fake.pages[0][0] >= 0.3
        assert report.requests == 2
        assert set(report.facts) == {"2311.03285", "2311.03286", "2311.03287"}
        assert report.unknown == ("2311.99999",)
        assert "2311.99999" in report.warnings[0]
        again = _papers(ids, lambda: fake, store=store, interval=0.3)
        # only the unknown id is asked again; alone, its empty feed is retried (an empty
        # feed is also arXiv's intermittent failure, so it is no evidence of absence)
        assert fake.pages[2:] and all(ids == ["2311.99999"] for _, ids in fake.pages[2:])
        assert again.facts["2311.03285"] == report.facts["2311.03285"]


def test_ten_thousand_ids_take_five_posts() -> None:
    ids = [f"2401.{n:05d}" for n in range(10_000)]
    fake = FakeClient(set(ids[::2]))
    report = _papers(ids, lambda: fake)
    assert report.requests == 5 <= 10
    assert [len(page) for _, page in fake.pages] == [2000] * 5
    assert all(url == "https://export.arxiv.org/api/query" and form["max_results"] == "2000"
               and form["start"] == "0" for url, form in fake.fake.forms)
    assert len(report.facts) == 5000 and len(report.unknown) == 5000
    assert report.facts["2401.00000"].arxiv_id == "2401.00000"
    assert "2401.00001" in report.unknown and "2401.00000" not in report.unknown


def test_service_down_is_a_warning() -> None:
    down = FakeClient(set(), status=503)
    report = _papers(["2311.03285"], lambda: down, max_age_s=1)
    assert report.facts == {} and "HTTP 503" in report.warnings[0]
    assert report.requests == 3  # retried by the run's policy, not by the package
