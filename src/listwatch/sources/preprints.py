"""For each preprint entry, find where it was published (the network side of ``decide``).

Semantic Scholar is asked first, once per 500 ids; it needs only the ids
(``scholar_records``), so a run asks it while the arXiv facts are on their way,
and ``place_preprints`` goes on from its answer. A paper whose DBLP record it
names (``externalIds.DBLP``) costs at most one DBLP request, reading that record
by key (none when it is the paper's own CoRR record); only the papers Semantic
Scholar does not place are searched on DBLP, once to three times each, one
request at a time with spacing. Every answer, negative ones included, is cached
for ``[sources] cache_max_age``. A service that is down is reported once and not
asked again in the run; the other sources still decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from listwatch.config import Config
from listwatch.identifiers import arxiv_id
from listwatch.model import PaperFacts, Publication
from listwatch.sources import dblp, semantic_scholar
from listwatch.sources.dblp import DblpMatch, DblpMatches, PaperQuery
from listwatch.sources.interface import SourceContext
from listwatch.sources.publication import decide
from listwatch.sources.semantic_scholar import S2Record, SemanticScholarPapers


@dataclass(frozen=True)
class PublicationReport:
    """``publications[arxiv_id]`` is None when the paper is (still) only a preprint."""

    publications: Mapping[str, Publication | None]
    warnings: tuple[str, ...]
    requests: Mapping[str, int] = field(default_factory=dict)  # by service


def _ids(entries_or_ids: Iterable[Any]) -> list[str]:
    found: list[str] = []
    for item in entries_or_ids:
        if not isinstance(item, str) and getattr(item, "is_preprint", True) is False:
            continue  # an entry already tagged with its venue
        raw = item if isinstance(item, str) else getattr(item, "arxiv_id", None)
        ident = arxiv_id(raw) if isinstance(raw, str) else None
        if ident:
            found.append(ident)
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class ScholarRecords:
    """Semantic Scholar's answer for a set of arXiv ids (``None``: it does not know one)."""

    records: Mapping[str, S2Record | None] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    requests: int = 0


async def scholar_records(
    entries_or_ids: Iterable[Any],
    *,
    context: SourceContext,
    config: Config,
    s2_url: str = semantic_scholar.API_URL,
) -> ScholarRecords:
    """Semantic Scholar's records for the preprints: needs only their ids, so it can be
    asked before the arXiv facts arrive."""
    ids = _ids(entries_or_ids)
    if not (config.sources.semantic_scholar and ids):
        return ScholarRecords()
    s2 = await SemanticScholarPapers(context, key=semantic_scholar.api_key(),
                                     api_url=s2_url).fetch(ids)
    return ScholarRecords(records=dict(s2.facts), warnings=tuple(s2.warnings),
                          requests=s2.requests)


async def find_publications(
    entries_or_ids: Iterable[Any],
    papers: Mapping[str, PaperFacts],
    *,
    context: SourceContext,
    config: Config,
    dblp_url: str = dblp.API_URL,
    s2_url: str = semantic_scholar.API_URL,
) -> PublicationReport:
    """Publication facts for arXiv ids: id strings, or entries with an ``arxiv_id`` (entries
    whose ``is_preprint`` is False — already tagged with a venue — are skipped)."""
    ids = _ids(entries_or_ids)
    scholar = await scholar_records(ids, context=context, config=config, s2_url=s2_url)
    return await place_preprints(ids, papers, scholar, context=context, config=config,
                                 dblp_url=dblp_url)


async def place_preprints(
    entries_or_ids: Iterable[Any],
    papers: Mapping[str, PaperFacts],
    scholar: ScholarRecords,
    *,
    context: SourceContext,
    config: Config,
    dblp_url: str = dblp.API_URL,
) -> PublicationReport:
    """Where each preprint was published, from Semantic Scholar's records (``scholar``) and
    DBLP: read by key where Semantic Scholar names a record, searched (with the arXiv
    title and authors) where it does not place the paper."""
    ids = _ids(entries_or_ids)
    warnings = list(scholar.warnings)
    requests = {"dblp": 0, "semantic_scholar": scholar.requests}
    records = scholar.records
    matches: dict[str, DblpMatch] = {}
    if config.sources.dblp:
        queries: dict[str, PaperQuery] = {}
        named = {arxiv_id: record.dblp_key for arxiv_id, record in records.items()
                 if record is not None and record.dblp_key}
        for arxiv_id in ids:
            paper = papers.get(arxiv_id)
            record = records.get(arxiv_id)
            title = paper.title if paper else (record.title if record else None)
            authors = paper.authors if paper else (record.authors if record else ())
            if title and authors:
                queries[arxiv_id] = PaperQuery(title, tuple(authors))
        found = await DblpMatches(context, queries, api_url=dblp_url,
                                  records=named,
                                  rec_url=dblp.rec_url_for(dblp_url)).fetch(queries)
        matches.update(found.facts)
        warnings.extend(found.warnings)
        requests["dblp"] = found.requests
    publications = {
        arxiv_id: decide(papers.get(arxiv_id), matches.get(arxiv_id), records.get(arxiv_id),
                         arxiv_id=arxiv_id)
        for arxiv_id in ids
    }
    return PublicationReport(publications=publications, warnings=tuple(warnings),
                             requests=requests)
