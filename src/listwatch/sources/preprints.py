"""For each preprint entry, find where it was published (the network side of ``decide``).

Semantic Scholar is asked once per 500 ids; DBLP once to three times per paper,
one request at a time with spacing. A service that is down is reported once and
not asked again in the run; the other sources still decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from listwatch.config import Config
from listwatch.identifiers import arxiv_id
from listwatch.model import FactCache, PaperFacts, Publication
from listwatch.sources import dblp, semantic_scholar
from listwatch.sources.dblp import DblpMatch
from listwatch.sources.http import Pacer
from listwatch.sources.publication import decide
from listwatch.sources.semantic_scholar import S2Record

DBLP_INTERVAL = 1.0  # seconds between DBLP requests


@dataclass(frozen=True)
class PublicationReport:
    """``publications[arxiv_id]`` is None when the paper is (still) only a preprint."""

    publications: Mapping[str, Publication | None]
    dblp_matches: Mapping[str, DblpMatch]
    s2_records: Mapping[str, S2Record | None]
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


async def find_publications(
    entries_or_ids: Iterable[Any],
    papers: Mapping[str, PaperFacts],
    *,
    client: httpx.AsyncClient,
    store: FactCache | None,
    now: datetime,
    config: Config,
    dblp_url: str = dblp.API_URL,
    s2_url: str = semantic_scholar.API_URL,
    dblp_interval: float = DBLP_INTERVAL,
    backoff: float = 1.0,
) -> PublicationReport:
    """Publication facts for arXiv ids: id strings, or entries with an ``arxiv_id`` (entries
    whose ``is_preprint`` is False — already tagged with a venue — are skipped)."""
    ids = _ids(entries_or_ids)
    max_age = config.sources.cache_max_age_seconds
    warnings: list[str] = []
    requests = {"dblp": 0, "semantic_scholar": 0}
    records: dict[str, S2Record | None] = {}
    if config.sources.semantic_scholar and ids:
        s2 = await semantic_scholar.fetch_batch(
            ids, client=client, store=store, now=now, max_age_s=max_age,
            key=semantic_scholar.api_key(), api_url=s2_url, backoff=backoff)
        records.update(s2.records)
        warnings.extend(s2.warnings)
        requests["semantic_scholar"] = s2.requests
    matches: dict[str, DblpMatch] = {}
    if config.sources.dblp:
        pacer = Pacer(dblp_interval)
        for arxiv_id in ids:
            paper = papers.get(arxiv_id)
            record = records.get(arxiv_id)
            title = paper.title if paper else (record.title if record else None)
            authors = paper.authors if paper else (record.authors if record else ())
            if not title or not authors:
                continue
            found = await dblp.lookup(title, authors, client=client, store=store, now=now,
                                      max_age_s=max_age, pacer=pacer, api_url=dblp_url,
                                      backoff=backoff)
            requests["dblp"] += found.requests
            warnings.extend(found.warnings)
            if found.match:
                matches[arxiv_id] = found.match
            if found.down:
                warnings.append("dblp.org: not asked again this run")
                break
    publications = {
        arxiv_id: decide(papers.get(arxiv_id), matches.get(arxiv_id), records.get(arxiv_id),
                         arxiv_id=arxiv_id)
        for arxiv_id in ids
    }
    return PublicationReport(publications=publications, dblp_matches=matches,
                             s2_records=records, warnings=tuple(warnings), requests=requests)
