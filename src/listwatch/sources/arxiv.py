"""arXiv facts through the ``arxiv`` package, within arXiv's API terms.

All ids go out in as few ``id_list`` requests as possible (``CHUNK`` ids each), and
never faster than one request every ``DELAY`` seconds, across chunks and across
calls in the same process (the package spaces requests only within one client).
The package is synchronous (``requests``); it runs in a worker thread, with the
proxy and CA settings of ``listwatch.net``.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import arxiv

from listwatch import net
from listwatch.identifiers import arxiv_id as bare_id  # "…/abs/2312.07104v2" → "2312.07104"
from listwatch.identifiers import arxiv_ref
from listwatch.model import FactCache, PaperFacts
from listwatch.sources import cache

NAMESPACE = "arxiv.paper"
CHUNK = 100
DELAY = 3.0
RETRIES = 2

_WITHDRAWN = re.compile(r"\b(withdrawn|withdraw this paper|has been withdrawn)\b", re.I)

_pace_lock = threading.Lock()
_last_request: float | None = None


@dataclass(frozen=True)
class PaperReport:
    facts: Mapping[str, PaperFacts]  # by bare id (no version)
    unknown: tuple[str, ...]  # ids arXiv does not know
    warnings: tuple[str, ...]
    requests: int


def facts_from_result(result: Any) -> PaperFacts:
    """PaperFacts from an ``arxiv.Result``."""
    comment = (result.comment or "").strip() or None
    summary = result.summary or ""
    withdrawn = bool(
        (comment and _WITHDRAWN.search(comment)) or _WITHDRAWN.search(summary[:300])
    )
    entry_id = result.entry_id.rstrip("/")
    ref = arxiv_ref(entry_id)
    return PaperFacts(
        arxiv_id=ref.id if ref else entry_id,
        version=(ref.version or 1) if ref else 1,
        title=" ".join((result.title or "").split()),
        authors=tuple(str(a.name).strip() for a in result.authors if str(a.name).strip()),
        published=result.published,
        updated=result.updated,
        journal_ref=(result.journal_ref or "").strip() or None,
        doi=(result.doi or "").strip() or None,
        comment=" ".join(comment.split()) if comment else None,
        withdrawn=withdrawn,
        url=f"https://arxiv.org/abs/{ref.id if ref else entry_id}",
    )


def _to_json(facts: PaperFacts) -> dict[str, Any]:
    data = asdict(facts)
    for name in ("published", "updated"):
        data[name] = data[name].isoformat() if data[name] else None
    data["authors"] = list(facts.authors)
    return data


def _from_json(data: dict[str, Any]) -> PaperFacts:
    values = dict(data)
    for name in ("published", "updated"):
        values[name] = datetime.fromisoformat(values[name]) if values.get(name) else None
    values["authors"] = tuple(values.get("authors") or ())
    return PaperFacts(**values)


def default_client() -> arxiv.Client:
    """An arxiv client: large pages, 3 s spacing, a few retries, our CA bundle."""
    client = arxiv.Client(page_size=CHUNK, delay_seconds=DELAY, num_retries=RETRIES)
    client._session.verify = net.requests_verify()
    return client


def _paced(delay: float) -> None:
    """Wait until ``delay`` seconds have passed since the last arXiv request."""
    global _last_request
    with _pace_lock:
        if _last_request is not None:
            wait = _last_request + delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        _last_request = time.monotonic()


def _fetch_chunk(client: arxiv.Client, ids: list[str], delay: float) -> list[Any]:
    """One ``id_list`` request for ``ids`` (one page; no follow-up page requests).

    ``Client.results`` asks for a further page whenever fewer entries come back
    than the feed's total (as happens with unknown ids), and retries that empty
    page; asking for exactly one page avoids those wasted requests.
    """
    global _last_request
    _paced(delay)
    search = arxiv.Search(id_list=ids, max_results=len(ids))
    try:
        parse_one_page = getattr(client, "_parse_feed", None)
        format_url = getattr(client, "_format_url", None)
        if parse_one_page is not None and format_url is not None:
            feed = parse_one_page(format_url(search, 0, len(ids)), first_page=True)
            if hasattr(feed, "results"):
                return list(feed.results)
        return list(client.results(search))
    finally:
        with _pace_lock:
            _last_request = time.monotonic()


async def fetch_papers(
    ids: Iterable[str],
    *,
    store: FactCache | None,
    now: datetime,
    max_age_s: float,
    client_factory: Callable[[], arxiv.Client] = default_client,
    delay: float = DELAY,
) -> PaperReport:
    """Facts for arXiv ``ids`` (versions ignored), cached ones not asked again."""
    wanted = list(dict.fromkeys(i for i in (bare_id(x) for x in ids) if i))
    facts: dict[str, PaperFacts] = {}
    cached = cache.get_many(store, NAMESPACE, wanted)
    todo: list[str] = []
    for arxiv_id in wanted:
        entry = cached.get(arxiv_id)
        data = cache.decode(entry) if cache.is_fresh(entry, now, max_age_s) else None
        if isinstance(data, dict):
            try:
                facts[arxiv_id] = _from_json(data)
                continue
            except (TypeError, ValueError):
                pass
        todo.append(arxiv_id)
    warnings: list[str] = []
    unknown: list[str] = []
    requests = 0
    client = client_factory() if todo else None
    for start in range(0, len(todo), CHUNK):
        chunk = todo[start:start + CHUNK]
        assert client is not None
        requests += 1
        try:
            results = await asyncio.to_thread(_fetch_chunk, client, chunk, delay)
        except (arxiv.ArxivError, OSError) as exc:
            warnings.append(f"export.arxiv.org: {_describe(exc)}; "
                            f"{len(todo) - start} paper(s) not checked")
            break
        got: dict[str, PaperFacts] = {}
        for result in results:
            try:
                paper = facts_from_result(result)
            except (AttributeError, TypeError, ValueError):
                warnings.append("export.arxiv.org: an entry could not be read; skipped")
                continue
            got[paper.arxiv_id] = paper
        for arxiv_id in chunk:
            if arxiv_id in got:
                facts[arxiv_id] = got[arxiv_id]
                cache.put(store, NAMESPACE, arxiv_id, _to_json(got[arxiv_id]), now=now)
            else:
                unknown.append(arxiv_id)
    if unknown:
        warnings.append(f"export.arxiv.org: unknown id(s): {', '.join(unknown)}")
    return PaperReport(facts=facts, unknown=tuple(unknown), warnings=tuple(warnings),
                       requests=requests)


def _describe(exc: Exception) -> str:
    if isinstance(exc, arxiv.HTTPError):
        return f"HTTP {exc.status} after retries"
    if isinstance(exc, arxiv.UnexpectedEmptyPageError):
        return "empty answer after retries"
    return f"request failed ({type(exc).__name__})"
