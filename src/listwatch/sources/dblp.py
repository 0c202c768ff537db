"""DBLP publication search: where a preprint was formally published.

``https://dblp.org/search/publ/api?q=…&format=json&h=…`` answers
``result.hits.hit[].info`` with ``title`` (ending in a period), ``venue``, ``year``,
``type``, ``key``, ``doi``, ``ee`` (a string or a list) and ``authors.author`` (a
dict for one author, a list for several). ``CoRR`` and "Informal and Other
Publications" records are preprints and never count as a publication.

A hit matches a paper only on title similarity *and* author overlap (last names);
the published title may differ from the preprint's ("S-LoRA" vs "SLoRA", a new
subtitle, a renamed system), so up to three queries are tried: the title words,
the part before the colon with the first author, the part after the colon.
Requests are spaced by the shared limiter (dblp.org: one at a time, 1 s apart).

When Semantic Scholar names a paper's DBLP record (``externalIds.DBLP``), that
record is read by key instead (``https://dblp.org/rec/<key>.xml``: one element
such as ``<inproceedings key=… >`` or ``<article key=… publtype="informal">``
holding ``author``, ``title``, ``booktitle``/``journal``, ``year``, ``ee``): one
request instead of up to three searches. A CoRR key of the paper itself means
DBLP files it as a preprint, which needs no request at all. Searches, records
and their negative answers are cached for ``[sources] cache_max_age``.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from listwatch import net
from listwatch.errors import DblpError
from listwatch.net.services import DBLP
from listwatch.sources import cache
from listwatch.sources.interface import Source, SourceContext, SourceResult
from listwatch.venues import is_preprint

API_URL = "https://dblp.org/search/publ/api"
REC_URL = "https://dblp.org/rec"
NAMESPACE = "dblp.search"
RECORD_NAMESPACE = "dblp.rec"
INFORMAL_TYPE = "Informal and Other Publications"
HITS = 30


class MalformedAnswer(ValueError):
    """DBLP answered something that is not its documented JSON shape."""


@dataclass(frozen=True)
class DblpHit:
    """One DBLP record."""

    title: str
    authors: tuple[str, ...]
    venue: str
    year: int | None
    type: str
    key: str
    doi: str | None
    ee: tuple[str, ...]
    url: str | None

    @property
    def informal(self) -> bool:
        """CoRR preprints and other informal records."""
        return (
            self.type == INFORMAL_TYPE
            or is_preprint(self.venue)
            or self.key.startswith("journals/corr/")
        )

    @property
    def page(self) -> str | None:
        """The paper's page: a DOI link if there is one, else the first ``ee``."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        for link in self.ee:
            if "doi.org/" in link:
                return link
        return self.ee[0] if self.ee else None


@dataclass(frozen=True)
class DblpMatch:
    """A formal DBLP record judged to be the same paper."""

    hit: DblpHit
    title_score: float
    author_score: float
    strength: str  # "strong" | "medium" | "weak"
    query: str


@dataclass(frozen=True)
class DblpLookup:
    """The outcome of one paper's search; ``down``: DBLP failed, ask no more this run."""

    match: DblpMatch | None
    warnings: tuple[str, ...]
    requests: int
    down: bool = False


@dataclass(frozen=True)
class PaperQuery:
    """What DBLP is searched with for one paper."""

    title: str
    authors: tuple[str, ...]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("text", "")
    return value if isinstance(value, str) else str(value) if value is not None else ""


def parse_hits(data: Any) -> tuple[DblpHit, ...]:
    """The hits of one search answer; ``MalformedAnswer`` if the shape is wrong."""
    try:
        hits = data["result"]["hits"]
    except (KeyError, TypeError):
        raise MalformedAnswer("no result.hits in the answer") from None
    if not isinstance(hits, dict):
        raise MalformedAnswer("result.hits is not an object")
    found: list[DblpHit] = []
    for hit in _as_list(hits.get("hit")):
        info = hit.get("info") if isinstance(hit, dict) else None
        if not isinstance(info, dict) or not isinstance(info.get("title"), str):
            raise MalformedAnswer("a hit without info.title")
        authors_block = info.get("authors")
        raw_authors = authors_block.get("author") if isinstance(authors_block, dict) else None
        authors = tuple(a for a in (_text(x).strip() for x in _as_list(raw_authors)) if a)
        venue = " ".join(_text(v) for v in _as_list(info.get("venue")))
        year_text = _text(info.get("year"))
        found.append(DblpHit(
            title=info["title"].strip(),
            authors=authors,
            venue=venue.strip(),
            year=int(year_text) if year_text.isdigit() else None,
            type=_text(info.get("type")),
            key=_text(info.get("key")),
            doi=_text(info.get("doi")) or None,
            ee=tuple(e for e in (_text(x) for x in _as_list(info.get("ee"))) if e),
            url=_text(info.get("url")) or None,
        ))
    return tuple(found)


# DBLP's record elements and the publication types its search API reports for them.
_RECORD_TYPES = {
    "inproceedings": "Conference and Workshop Papers",
    "article": "Journal Articles",
    "incollection": "Parts in Books or Collections",
    "proceedings": "Editorship",
    "book": "Books and Theses",
    "phdthesis": "Books and Theses",
    "mastersthesis": "Books and Theses",
}


def parse_record(text: str | bytes, key: str) -> DblpHit:
    """The record of ``https://dblp.org/rec/<key>.xml``; ``MalformedAnswer`` if unreadable."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        raise MalformedAnswer("not XML") from None
    element = root if root.get("key") else next(iter(root), None)
    if element is None or not isinstance(element.findtext("title"), str):
        raise MalformedAnswer("no record with a title")
    informal = element.get("publtype") == "informal"
    kind = INFORMAL_TYPE if informal else _RECORD_TYPES.get(element.tag, INFORMAL_TYPE)

    def whole(name: str) -> str:
        found = element.find(name)
        return " ".join("".join(found.itertext()).split()) if found is not None else ""

    ee = tuple(t for t in ("".join(e.itertext()).strip() for e in element.findall("ee")) if t)
    doi = next((link.split("doi.org/", 1)[1] for link in ee if "doi.org/" in link), None)
    year = whole("year")
    record_key = element.get("key") or key
    return DblpHit(
        title=whole("title"),
        authors=tuple(a for a in ("".join(x.itertext()).strip()
                                  for x in element.findall("author")) if a),
        venue=whole("booktitle") or whole("journal"),
        year=int(year) if year.isdigit() else None,
        type=kind,
        key=record_key,
        doi=doi,
        ee=ee,
        url=f"https://dblp.org/rec/{record_key}",
    )


def rec_url_for(api_url: str) -> str:
    """Where the records live beside the search API ``api_url`` (``…/rec``)."""
    base = api_url.rstrip("/").removesuffix("/search/publ/api")
    return f"{base}/rec"


def corr_key(arxiv_id: str) -> str:
    """The key DBLP files an arXiv preprint under: ``journals/corr/abs-2312-11514``."""
    return "journals/corr/abs-" + arxiv_id.replace(".", "-").replace("/", "-")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def title_key(title: str) -> str:
    """Title for comparison: case, accents, hyphens inside words and punctuation dropped."""
    text = _fold(title)
    text = re.sub(r"(?<=\w)[-‐–](?=\w)", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def title_similarity(a: str, b: str) -> float:
    """0..1: the better of character similarity and word overlap."""
    ka, kb = title_key(a), title_key(b)
    if not ka or not kb:
        return 0.0
    ratio = SequenceMatcher(None, ka, kb).ratio()
    wa, wb = set(ka.split()), set(kb.split())
    jaccard = len(wa & wb) / len(wa | wb)
    return max(ratio, jaccard)


def last_name(author: str) -> str:
    """``"Wei Wang 0001"`` → ``"wang"`` (DBLP's homonym numbers dropped)."""
    words = re.sub(r"\s+\d{4}$", "", author.strip()).replace(".", " ").split()
    words = [w for w in words if w.lower() not in {"jr", "sr", "ii", "iii"}]
    return _fold(words[-1]) if words else ""


def author_overlap(a: Sequence[str], b: Sequence[str]) -> tuple[float, int]:
    """Share of the shorter author list found in the other (by last name), and the count."""
    la = {last_name(x) for x in a} - {""}
    lb = {last_name(x) for x in b} - {""}
    if not la or not lb:
        return 0.0, 0
    common = len(la & lb)
    return common / min(len(la), len(lb)), common


def _split_title(title: str) -> tuple[str, str]:
    head, sep, tail = title.partition(":")
    return (head.strip(), tail.strip()) if sep else ("", title.strip())


def judge(title: str, authors: Sequence[str], hit: DblpHit, query: str) -> DblpMatch | None:
    """The match between a paper and a formal hit, or None when it is not the same paper."""
    if hit.informal or not authors or not hit.authors:
        return None
    t_score = title_similarity(title, hit.title)
    a_score, common = author_overlap(authors, hit.authors)
    if t_score >= 0.9 and a_score >= 0.5:
        strength = "strong"
    elif t_score >= 0.7 and a_score >= 0.75:
        strength = "medium"
    else:
        _, tail = _split_title(title)
        _, hit_tail = _split_title(hit.title.rstrip("."))
        tail_score = title_similarity(tail, hit_tail) if tail and hit_tail else 0.0
        if tail_score >= 0.6 and a_score >= 0.8 and common >= 2:
            strength = "weak"  # renamed system, same authors and subject
            t_score = max(t_score, tail_score)
        else:
            return None
    return DblpMatch(hit=hit, title_score=round(t_score, 3), author_score=round(a_score, 3),
                     strength=strength, query=query)


_RANK = {"strong": 3, "medium": 2, "weak": 1}


def best_match(title: str, authors: Sequence[str], hits: Sequence[DblpHit],
               query: str = "") -> DblpMatch | None:
    """The most convincing formal hit; ties go to the earliest year, then the key."""
    matches = [m for m in (judge(title, authors, h, query) for h in hits) if m]
    if not matches:
        return None
    return max(matches, key=lambda m: (_RANK[m.strength], m.title_score + m.author_score,
                                       -(m.hit.year or 9999), m.hit.key))


def queries(title: str, authors: Sequence[str]) -> tuple[str, ...]:
    """Search strings to try in order, most specific first."""

    def words(text: str) -> str:
        return " ".join(re.sub(r"[^\w\s-]", " ", text).replace("-", " ").split())

    found: list[str] = [words(title)]
    head, tail = _split_title(title)
    first = last_name(authors[0]) if authors else ""
    if head:
        found.append(" ".join(x for x in (words(head), first) if x))
        if tail:
            found.append(" ".join(x for x in (words(tail), first) if x))
    elif first:
        found.append(f"{words(title)} {first}")
    return tuple(dict.fromkeys(q for q in found if q))


async def search(query: str, *, context: SourceContext,
                 api_url: str = API_URL) -> tuple[DblpHit, ...]:
    """Hits for one query, from the cache when fresh. Raises DblpError / MalformedAnswer."""
    entry = cache.get_many(context.cache, NAMESPACE, [query]).get(query)
    if cache.is_fresh(entry, context.now, context.max_age_s):
        cached = cache.decode(entry)
        if cached is not None:
            return parse_hits(cached)
    response = await net.send(
        context.network, DBLP, "GET", api_url,
        params={"q": query, "format": "json", "h": str(HITS)},
    )
    try:
        data = response.json()
    except ValueError:
        raise MalformedAnswer("not JSON") from None
    hits = parse_hits(data)
    cache.put(context.cache, NAMESPACE, query, data, now=context.now)
    return hits


async def record(key: str, *, context: SourceContext,
                 rec_url: str = REC_URL) -> DblpHit | None:
    """The record filed under ``key`` (None: DBLP has none), from the cache when fresh.

    Raises DblpError / MalformedAnswer.
    """
    entry = cache.get_many(context.cache, RECORD_NAMESPACE, [key]).get(key)
    if cache.is_fresh(entry, context.now, context.max_age_s):
        cached = cache.decode(entry)
        if isinstance(cached, dict):
            text = cached.get("xml")
            return parse_record(text, key) if isinstance(text, str) else None
    response = await net.send(context.network, DBLP, "GET", f"{rec_url}/{key}.xml",
                               ok_statuses=frozenset({200, 404}))
    if response.status_code == 404:
        cache.put(context.cache, RECORD_NAMESPACE, key, {"xml": None}, now=context.now)
        return None
    hit = parse_record(response.content, key)
    cache.put(context.cache, RECORD_NAMESPACE, key, {"xml": response.text}, now=context.now)
    return hit


async def lookup(title: str, authors: Sequence[str], *, context: SourceContext,
                 api_url: str = API_URL) -> DblpLookup:
    """Search DBLP for the formal publication of a paper; stops at the first good match."""
    log = context.network.requests
    before = log.count(DBLP.key)
    warnings: list[str] = []
    best: DblpMatch | None = None
    down = False
    for query in queries(title, authors):
        try:
            hits = await search(query, context=context, api_url=api_url)
        except MalformedAnswer as exc:
            warnings.append(f"dblp.org: malformed answer for {query!r}: {exc}")
            break
        except DblpError as exc:
            warnings.append(str(exc))
            down = True
            break
        match = best_match(title, authors, hits, query)
        if match and (best is None or _RANK[match.strength] > _RANK[best.strength]):
            best = match
        if best and best.strength != "weak":  # a weak match may still be bettered
            break
    return DblpLookup(match=best, warnings=tuple(warnings),
                      requests=log.count(DBLP.key) - before, down=down)


class DblpMatches(Source[DblpMatch]):
    """Formal DBLP records for papers, by the keys of ``papers`` (arXiv ids).

    A paper whose DBLP key is known (``records``, from Semantic Scholar) is read by
    key; the others, and those whose record is gone or is not the paper, are
    searched. Papers are asked one after the other; once DBLP fails, it is not asked
    again in the run. ``unknown`` holds the keys without a match.
    """

    service = DBLP

    def __init__(self, context: SourceContext, papers: Mapping[str, PaperQuery], *,
                 api_url: str = API_URL, records: Mapping[str, str] | None = None,
                 rec_url: str = REC_URL) -> None:
        super().__init__(context)
        self.papers = papers
        self.api_url = api_url
        self.records = records or {}
        self.rec_url = rec_url

    async def _by_key(self, arxiv_id: str, paper: PaperQuery) -> DblpLookup | None:
        """The outcome of reading the paper's named record; None when it settles nothing."""
        key = self.records.get(arxiv_id)
        if not key:
            return None
        if key == corr_key(arxiv_id):
            return DblpLookup(match=None, warnings=(), requests=0)  # a preprint on DBLP
        try:
            hit = await record(key, context=self.context, rec_url=self.rec_url)
        except MalformedAnswer as exc:
            return DblpLookup(None, (f"dblp.org: malformed record {key!r}: {exc}",), 0)
        except DblpError as exc:
            return DblpLookup(None, (str(exc),), 0, down=True)
        if hit is None or hit.informal:
            return None
        match = best_match(paper.title, paper.authors, [hit], f"key:{key}")
        return DblpLookup(match=match, warnings=(), requests=0) if match else None

    async def _fetch(self, keys: Iterable[str]) -> SourceResult[DblpMatch]:
        matches: dict[str, DblpMatch] = {}
        unknown: list[str] = []
        warnings: list[str] = []
        for key in keys:
            paper = self.papers.get(key)
            if paper is None or not paper.title or not paper.authors:
                continue
            found = await self._by_key(key, paper)
            if found is None:
                found = await lookup(paper.title, paper.authors, context=self.context,
                                     api_url=self.api_url)
            warnings.extend(found.warnings)
            if found.match:
                matches[key] = found.match
            else:
                unknown.append(key)
            if found.down:
                warnings.append("dblp.org: not asked again this run")
                break
        return SourceResult(facts=matches, unknown=tuple(unknown), warnings=tuple(warnings))
