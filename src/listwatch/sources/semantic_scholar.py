"""Semantic Scholar graph API: venue facts for arXiv papers, in batches.

``POST /graph/v1/paper/batch?fields=…`` with ``{"ids": ["ARXIV:2310.01234", …]}``
(at most 500 ids) answers a list in the same order, ``null`` for ids it does not
know. ``publicationVenue`` carries the venue's name and ``alternate_names``;
``venue`` is a free string ("arXiv.org" for preprints). ``year`` is often the
year the paper first appeared, not the venue's year, so it is kept apart
(``year``) from the publication date. Requests are spaced by the shared limiter
(api.semanticscholar.org: one at a time, 1 s apart).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from listwatch import net
from listwatch.errors import SemanticScholarError
from listwatch.net.services import SEMANTIC_SCHOLAR
from listwatch.sources import cache
from listwatch.sources.interface import Source, SourceContext, SourceResult

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


# Records by arXiv id; ``unknown``: ids Semantic Scholar does not know.
S2Report = SourceResult[S2Record]


def api_key(environ: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if environ is None else environ
    for name in KEY_VARIABLES:
        if env.get(name):
            return env[name]
    return None


def _object(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def parse_record(arxiv_id: str, item: Any) -> S2Record | None:
    """One element of the batch answer; None for ``null``; ValueError if malformed."""
    if item is None:
        return None
    if not isinstance(item, dict):
        raise ValueError("an element is not an object")
    ext = _object(item.get("externalIds"))
    pv = _object(item.get("publicationVenue"))
    journal = _object(item.get("journal"))
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


class SemanticScholarPapers(Source[S2Record]):
    """Semantic Scholar records by arXiv id, ``BATCH`` ids a request."""

    service = SEMANTIC_SCHOLAR

    def __init__(self, context: SourceContext, *, key: str | None = None,
                 api_url: str = API_URL) -> None:
        super().__init__(context)
        self.key = key
        self.api_url = api_url

    async def _fetch(self, keys: Iterable[str]) -> S2Report:
        """Records for arXiv ids (cached answers are not asked again)."""
        context = self.context
        ids = list(dict.fromkeys(keys))
        records: dict[str, S2Record | None] = {}
        warnings: list[str] = []
        cached = cache.get_many(context.cache, NAMESPACE, ids)
        todo: list[str] = []
        for arxiv_id in ids:
            entry = cached.get(arxiv_id)
            if cache.is_fresh(entry, context.now, context.max_age_s):
                try:
                    records[arxiv_id] = parse_record(arxiv_id, cache.decode(entry))
                    continue
                except ValueError:
                    pass
            todo.append(arxiv_id)
        headers = {"x-api-key": self.key} if self.key else None
        for start in range(0, len(todo), BATCH):
            chunk = todo[start:start + BATCH]
            try:
                response = await net.send(
                    self.network, SEMANTIC_SCHOLAR, "POST", f"{self.api_url}/paper/batch",
                    params={"fields": FIELDS}, json={"ids": [f"ARXIV:{i}" for i in chunk]},
                    headers=headers,
                )
                data = response.json()
                if not isinstance(data, list) or len(data) != len(chunk):
                    raise ValueError("the answer is not a list matching the ids")
                parsed = [parse_record(i, item) for i, item in zip(chunk, data, strict=True)]
            except SemanticScholarError as exc:
                warnings.append(str(exc))
                break
            except ValueError as exc:
                warnings.append(f"api.semanticscholar.org: malformed batch answer: {exc}")
                continue
            for arxiv_id, item, record in zip(chunk, data, parsed, strict=True):
                records[arxiv_id] = record
                cache.put(context.cache, NAMESPACE, arxiv_id, item, now=context.now)
        return S2Report(facts={k: v for k, v in records.items() if v is not None},
                        unknown=tuple(k for k, v in records.items() if v is None),
                        warnings=tuple(warnings))
