"""Semantic Scholar graph API: venue facts for arXiv papers, in batches.

``POST /graph/v1/paper/batch?fields=…`` with ``{"ids": ["ARXIV:2310.01234", …]}``
(at most 500 ids) answers a list in the same order, ``null`` for ids it does not
know. ``publicationVenue`` carries the venue's name and ``alternate_names``;
``venue`` is a free string ("arXiv.org" for preprints). ``year`` is often the
year the paper first appeared, not the venue's year, so it is kept apart
(``year``) from the publication date.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from listwatch.model import FactCache
from listwatch.sources import cache
from listwatch.sources.http import Counter, Pacer, ServiceDown, send

API_URL = "https://api.semanticscholar.org/graph/v1"
FIELDS = "title,venue,year,externalIds,publicationVenue,journal,publicationDate,authors"
NAMESPACE = "s2.paper"
BATCH = 500
KEY_VARIABLES = ("S2_API_KEY", "SEMANTIC_SCHOLAR_API_KEY")


@dataclass(frozen=True)
class S2Record:
    """What Semantic Scholar knows about one arXiv paper."""

    arxiv_id: str
    paper_id: str | None
    title: str | None
    authors: tuple[str, ...]
    venue: str | None
    venue_names: tuple[str, ...]  # publicationVenue name and alternate names
    venue_type: str | None
    journal: str | None
    year: int | None
    publication_date: str | None
    doi: str | None
    dblp_key: str | None

    @property
    def url(self) -> str | None:
        return f"https://www.semanticscholar.org/paper/{self.paper_id}" if self.paper_id else None

    def venue_strings(self) -> tuple[str, ...]:
        """Venue spellings to try, most specific first."""
        found = [*self.venue_names, self.venue or "", self.journal or ""]
        return tuple(dict.fromkeys(v for v in found if v))


@dataclass(frozen=True)
class S2Report:
    records: Mapping[str, S2Record | None]  # None: Semantic Scholar does not know the id
    warnings: tuple[str, ...]
    requests: int


def api_key(environ: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if environ is None else environ
    for name in KEY_VARIABLES:
        if env.get(name):
            return env[name]
    return None


def parse_record(arxiv_id: str, item: Any) -> S2Record | None:
    """One element of the batch answer; None for ``null``; ValueError if malformed."""
    if item is None:
        return None
    if not isinstance(item, dict):
        raise ValueError("an element is not an object")
    ext = item.get("externalIds") if isinstance(item.get("externalIds"), dict) else {}
    pv = item.get("publicationVenue") if isinstance(item.get("publicationVenue"), dict) else {}
    journal = item.get("journal") if isinstance(item.get("journal"), dict) else {}
    names = [pv.get("name"), *(pv.get("alternate_names") or [])]
    authors = tuple(
        a["name"] for a in item.get("authors") or []
        if isinstance(a, dict) and isinstance(a.get("name"), str)
    )
    year = item.get("year")
    doi = ext.get("DOI")
    return S2Record(
        arxiv_id=arxiv_id,
        paper_id=item.get("paperId") if isinstance(item.get("paperId"), str) else None,
        title=item.get("title") if isinstance(item.get("title"), str) else None,
        authors=authors,
        venue=item.get("venue") or None if isinstance(item.get("venue"), str) else None,
        venue_names=tuple(n for n in names if isinstance(n, str) and n),
        venue_type=pv.get("type") if isinstance(pv.get("type"), str) else None,
        journal=journal.get("name") if isinstance(journal.get("name"), str) else None,
        year=year if isinstance(year, int) else None,
        publication_date=item.get("publicationDate")
        if isinstance(item.get("publicationDate"), str) else None,
        doi=doi if isinstance(doi, str) and doi else None,
        dblp_key=ext.get("DBLP") if isinstance(ext.get("DBLP"), str) else None,
    )


async def fetch_batch(
    arxiv_ids: Iterable[str],
    *,
    client: httpx.AsyncClient,
    store: FactCache | None,
    now: datetime,
    max_age_s: float,
    key: str | None = None,
    api_url: str = API_URL,
    pacer: Pacer | None = None,
    backoff: float = 2.0,
) -> S2Report:
    """Records for ``arxiv_ids`` (cached ones are not asked again)."""
    ids = list(dict.fromkeys(arxiv_ids))
    records: dict[str, S2Record | None] = {}
    warnings: list[str] = []
    counter = Counter()
    cached = cache.get_many(store, NAMESPACE, ids)
    todo: list[str] = []
    for arxiv_id in ids:
        entry = cached.get(arxiv_id)
        if cache.is_fresh(entry, now, max_age_s):
            try:
                records[arxiv_id] = parse_record(arxiv_id, cache.decode(entry))
                continue
            except ValueError:
                pass
        todo.append(arxiv_id)
    headers = {"x-api-key": key} if key else None
    pacer = pacer or Pacer(1.0)
    for start in range(0, len(todo), BATCH):
        chunk = todo[start:start + BATCH]
        try:
            response = await send(
                client, "POST", f"{api_url}/paper/batch", service="api.semanticscholar.org",
                params={"fields": FIELDS}, json={"ids": [f"ARXIV:{i}" for i in chunk]},
                headers=headers, pacer=pacer, counter=counter, backoff=backoff,
            )
            data = response.json()
            if not isinstance(data, list) or len(data) != len(chunk):
                raise ValueError("the answer is not a list matching the ids")
            parsed = [parse_record(i, item) for i, item in zip(chunk, data, strict=True)]
        except ServiceDown as exc:
            warnings.append(str(exc))
            break
        except ValueError as exc:
            warnings.append(f"api.semanticscholar.org: malformed batch answer: {exc}")
            continue
        for arxiv_id, item, record in zip(chunk, data, parsed, strict=True):
            records[arxiv_id] = record
            cache.put(store, NAMESPACE, arxiv_id, item, now=now)
    return S2Report(records=records, warnings=tuple(warnings), requests=counter.sent)
