"""Crossref: which DOIs are registered, and where they land, many DOIs a request.

What the REST API does (its documentation in CrossRef/rest-api-doc, its answers as
clients have recorded them, and Crossref's 2025 rate-limit announcement):

- ``GET /works?filter=doi:A,doi:B,…`` lists the works with those DOIs: the same filter
  named twice is an OR, different filters an AND. A DOI Crossref does not hold is simply
  missing from ``message.items`` (Crossref knows only its own DOIs: DataCite's, such as
  arXiv's ``10.48550``, or mEDRA's are absent, and that says nothing about doi.org).
  DOIs come back in lower case.
- ``rows`` is at most 1,000 (more answers 400, ``integer-not-valid``); an unknown filter
  answers 400 ``filter-not-available``; ``select`` takes top-level fields only (``DOI``,
  ``URL``, ``resource``…; others answer 400). ``URL`` is the ``doi.org`` link itself;
  ``resource.primary.URL`` is the landing page the DOI resolves to.
- The request line may be 4,096 bytes (longer answers 414): a request carries as many
  DOIs as fit in ``MAX_REQUEST_LINE``, at most ``MAX_ROWS``.
- Limits since December 2025: the public pool (no contact address) 5 requests a second,
  one at a time; the polite pool (``mailto=`` in the query or the User-Agent) 10 a second,
  5 at a time. Past them: 429. ``x-rate-limit-limit`` / ``x-rate-limit-interval`` say the
  rate. listwatch has no contact address to give, so it keeps to the public pool
  (``net.POLITENESS``: one request in flight, 0.2 s apart).

Registered DOIs are cached for ``cache_max_age``; a DOI Crossref does not list is not
cached and is left to the doi.org handle API (it may be another agency's).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote_plus

from listwatch import net
from listwatch.errors import CrossrefError
from listwatch.model import DoiFacts
from listwatch.net.services import CROSSREF
from listwatch.sources import cache
from listwatch.sources.interface import Source, SourceContext, SourceResult

API_URL = "https://api.crossref.org/works"
NAMESPACE = "crossref.doi"
SELECT = "DOI,resource"
MAX_ROWS = 1000  # the API's most rows per request
# Crossref takes a request line of 4,096 bytes; stay well inside it.
MAX_REQUEST_LINE = 3000
_LINE_OVERHEAD = len("GET /works?filter=&rows=1000&select= HTTP/1.1") + len(quote_plus(SELECT))

# Registered DOIs by lower-case DOI; ``unknown``: asked, and not listed by Crossref.
DoiReport = SourceResult[DoiFacts]


def askable(doi: str) -> bool:
    """Whether a DOI can go in a ``doi:`` filter (values are separated by commas)."""
    return "," not in doi and doi.startswith("10.")


def batches(dois: Iterable[str], *, limit: int = MAX_REQUEST_LINE,
            rows: int = MAX_ROWS) -> Iterator[list[str]]:
    """``dois`` in request-sized groups: each request line within ``limit`` bytes and at
    most ``rows`` DOIs."""
    chunk: list[str] = []
    size = _LINE_OVERHEAD
    for doi in dois:
        cost = len(quote_plus(f"doi:{doi}", safe="")) + len("%2C")
        if chunk and (size + cost > limit or len(chunk) >= rows):
            yield chunk
            chunk, size = [], _LINE_OVERHEAD
        chunk.append(doi)
        size += cost
    if chunk:
        yield chunk


def parse_works(data: Any) -> dict[str, DoiFacts]:
    """A ``work-list`` answer as facts by lower-case DOI; ValueError when malformed."""
    if not isinstance(data, dict) or data.get("status") != "ok":
        raise ValueError("not an 'ok' answer")
    message = data.get("message")
    items = message.get("items") if isinstance(message, dict) else None
    if not isinstance(items, list):
        raise ValueError("no list of items")
    found: dict[str, DoiFacts] = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("DOI"), str):
            raise ValueError("an item has no DOI")
        found[item["DOI"].lower()] = DoiFacts(doi=item["DOI"], url=_landing_page(item))
    return found


def _landing_page(item: dict[str, Any]) -> str | None:
    resource = item.get("resource")
    primary = resource.get("primary") if isinstance(resource, dict) else None
    url = primary.get("URL") if isinstance(primary, dict) else None
    return url if isinstance(url, str) and url else None


def _to_json(facts: DoiFacts) -> dict[str, Any]:
    return {"doi": facts.doi, "url": facts.url}


def _from_json(data: Any) -> DoiFacts | None:
    if isinstance(data, dict) and isinstance(data.get("doi"), str):
        url = data.get("url")
        return DoiFacts(doi=data["doi"], url=url if isinstance(url, str) else None)
    return None


class CrossrefWorks(Source[DoiFacts]):
    """Registered DOIs and their landing pages, by lower-case DOI."""

    service = CROSSREF

    def __init__(self, context: SourceContext, *, api_url: str = API_URL) -> None:
        super().__init__(context)
        self.api_url = api_url

    async def _fetch(self, keys: Iterable[str]) -> DoiReport:
        """Facts for DOIs; cached ones are not asked again."""
        context = self.context
        wanted = list(dict.fromkeys(d.lower() for d in keys if askable(d)))
        facts: dict[str, DoiFacts] = {}
        cached = cache.get_many(context.cache, NAMESPACE, wanted)
        todo: list[str] = []
        for doi in wanted:
            entry = cached.get(doi)
            known = (_from_json(cache.decode(entry))
                     if cache.is_fresh(entry, context.now, context.max_age_s) else None)
            if known is not None:
                facts[doi] = known
            else:
                todo.append(doi)
        warnings: list[str] = []
        unknown: list[str] = []
        asked = 0
        for chunk in batches(todo):
            try:
                found = await self._ask(chunk)
            except CrossrefError as exc:
                warnings.append(f"{exc}; {len(todo) - asked} DOI(s) checked with doi.org "
                                "instead")
                break
            except ValueError as exc:
                warnings.append(f"api.crossref.org: malformed answer ({exc}); "
                                f"{len(chunk)} DOI(s) checked with doi.org instead")
                asked += len(chunk)
                continue
            asked += len(chunk)
            for doi in chunk:
                if doi in found:
                    facts[doi] = found[doi]
                    cache.put(context.cache, NAMESPACE, doi, _to_json(found[doi]),
                              now=context.now)
                else:
                    unknown.append(doi)
        return DoiReport(facts=facts, unknown=tuple(unknown), warnings=tuple(warnings))

    async def _ask(self, chunk: list[str]) -> dict[str, DoiFacts]:
        """One ``/works`` request for ``chunk``."""
        response = await net.send(
            self.network, CROSSREF, "GET", self.api_url,
            params={"filter": ",".join(f"doi:{doi}" for doi in chunk),
                    "rows": str(len(chunk)), "select": SELECT})
        return parse_works(response.json())
