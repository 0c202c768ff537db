"""arXiv facts through the ``arxiv`` package, within arXiv's API terms.

All ids go out in as few ``id_list`` requests as possible: ``CHUNK`` ids each,
the most results one API request returns (2,000), so 10,000 papers cost 5
requests. Such a list does not fit in a URL, so the form fields go in a POST
body (the API takes GET or POST on ``/api/query``); the package's own parser
reads the Atom answer, one entry at a time (``read_feed``). The package is
synchronous (``requests``); each request runs in a worker thread, with the
proxy and CA settings of ``listwatch.net``. Nothing spaces or retries in the
package: the run's shared limiter keeps export.arxiv.org at one request every
3 s (``net.POLITENESS``) and the run's retry policy retries.
"""

from __future__ import annotations

import asyncio
import io
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import datetime
from typing import Any

import arxiv
from arxiv import _feed
from lxml import etree
from requests import Session

from listwatch import net
from listwatch.errors import ArxivError
from listwatch.identifiers import arxiv_id as bare_id  # "…/abs/2312.07104v2" → "2312.07104"
from listwatch.identifiers import arxiv_ref
from listwatch.model import PaperFacts
from listwatch.net.services import ARXIV
from listwatch.sources import cache
from listwatch.sources.interface import Source, SourceContext, SourceResult

NAMESPACE = "arxiv.paper"
CHUNK = 2000  # the API's most results per request
QUERY_URL = "https://export.arxiv.org/api/query"

ENTRY = "{http://www.w3.org/2005/Atom}entry"

_WITHDRAWN = re.compile(r"\b(withdrawn|withdraw this paper|has been withdrawn)\b", re.I)

# Facts by bare id (no version); ``unknown``: ids arXiv does not know.
PaperReport = SourceResult[PaperFacts]


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
        arxiv_id=sys.intern(ref.id) if ref else entry_id,  # the entries' string (arxiv_id_of)
        version=(ref.version or 1) if ref else 1,
        title=" ".join((result.title or "").split()),
        # A name recurs across a list's papers: one string each.
        authors=tuple(sys.intern(name) for a in result.authors if (name := str(a.name).strip())),
        published=result.published,
        # A paper never revised was updated when published: one datetime, not two.
        updated=_shared(result.updated, result.published),
        journal_ref=(result.journal_ref or "").strip() or None,
        doi=(result.doi or "").strip() or None,
        comment=" ".join(comment.split()) if comment else None,
        withdrawn=withdrawn,
        url=f"https://arxiv.org/abs/{ref.id if ref else entry_id}",
    )


def _shared(when: datetime | None, other: datetime | None) -> datetime | None:
    """``when``, as ``other`` itself when they are the same moment written the same way."""
    if when is not None and other is not None and when == other and when.tzinfo == other.tzinfo:
        return other
    return when


def _readable(result: Any) -> PaperFacts | None:
    """``facts_from_result``, or None for an entry that cannot be read."""
    try:
        return facts_from_result(result)
    except (AttributeError, TypeError, ValueError):
        return None


def read_feed(content: bytes) -> list[PaperFacts | None]:
    """The entries of an Atom answer as facts (None: an entry that could not be read).

    Read as the package's ``_feed.parse`` reads them (the same parser settings, the
    same entries: the feed's own), but one entry at a time: each entry's XML and its
    ``arxiv.Result`` are let go once read, so a 2,000-entry answer is never held as
    one tree. An answer that is not XML has no entries, as with ``_feed.parse``.
    """
    found: list[PaperFacts | None] = []
    try:
        for _, element in etree.iterparse(io.BytesIO(content), events=("end",), tag=ENTRY,
                                          recover=True, resolve_entities=False,
                                          no_network=True, huge_tree=False):
            feed = element.getparent()
            if feed is not None and feed.getparent() is None:
                result = _feed._build_result(element)
                if result is not None:
                    found.append(_readable(result))
            element.clear()
            while feed is not None and element.getprevious() is not None:
                del feed[0]
    except etree.XMLSyntaxError:
        return []
    return found


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
    """An arxiv client: no spacing or retries of its own, our CA bundle."""
    client = arxiv.Client(page_size=CHUNK, delay_seconds=0, num_retries=0)
    client._session.verify = net.requests_verify()
    return client


def _fetch_chunk(client: arxiv.Client, ids: list[str]) -> list[PaperFacts | None]:
    """One ``id_list`` request for ``ids``, as a form POST, read by ``read_feed``.

    One page only: unknown ids are simply absent from the feed, and asking for a
    further page (as ``Client.results`` does when fewer entries come back than
    expected) would only waste requests.
    """
    form = {"id_list": ",".join(ids), "start": "0", "max_results": str(len(ids))}
    response = client._session.post(QUERY_URL, data=form,
                                     headers={"user-agent": arxiv._USER_AGENT})
    if response.status_code != 200:
        raise arxiv.HTTPError(QUERY_URL, 0, response.status_code)
    return read_feed(response.content)


class ArxivPapers(Source[PaperFacts]):
    """arXiv records by bare id (versions ignored)."""

    service = ARXIV

    def __init__(self, context: SourceContext, *,
                 client_factory: Callable[[], arxiv.Client] = default_client) -> None:
        super().__init__(context)
        self.client_factory = client_factory

    async def _fetch(self, keys: Iterable[str]) -> PaperReport:
        """Facts for arXiv ids, cached ones not asked again."""
        context = self.context
        wanted = list(dict.fromkeys(sys.intern(i) for i in (bare_id(x) for x in keys) if i))
        facts: dict[str, PaperFacts] = {}
        cached = cache.get_many(context.cache, NAMESPACE, wanted)
        todo: list[str] = []
        for arxiv_id in wanted:
            entry = cached.get(arxiv_id)
            fresh = cache.is_fresh(entry, context.now, context.max_age_s)
            data = cache.decode(entry) if fresh else None
            if isinstance(data, dict):
                try:
                    facts[arxiv_id] = _from_json(data)
                    continue
                except (TypeError, ValueError):
                    pass
            todo.append(arxiv_id)
        warnings: list[str] = []
        unknown: list[str] = []
        client = self.client_factory() if todo else None
        if client is not None and isinstance(getattr(client, "_session", None), Session):
            net.bound_session(client._session, context.network.client.timeout.read)
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start:start + CHUNK]
            assert client is not None
            try:
                results = await self._ask(client, chunk)
            except ArxivError as exc:
                warnings.append(f"{exc}; {len(todo) - start} paper(s) not checked")
                break
            got: dict[str, PaperFacts] = {}
            for paper in results:
                if paper is None:
                    warnings.append("export.arxiv.org: an entry could not be read; skipped")
                    continue
                got[paper.arxiv_id] = paper
            for arxiv_id in chunk:
                if arxiv_id in got:
                    facts[arxiv_id] = got[arxiv_id]
                else:
                    unknown.append(arxiv_id)
            cache.put_many(context.cache, NAMESPACE,
                           ((arxiv_id, _to_json(got[arxiv_id])) for arxiv_id in chunk
                            if arxiv_id in got), now=context.now)
        if unknown:
            warnings.append(f"export.arxiv.org: unknown id(s): {', '.join(unknown)}")
        return PaperReport(facts=facts, unknown=tuple(unknown), warnings=tuple(warnings))

    async def _ask(self, client: arxiv.Client, ids: list[str]) -> list[PaperFacts | None]:
        """One chunk, paced by the shared limiter and retried by the run's policy."""

        async def once() -> list[PaperFacts | None]:
            try:
                results = await asyncio.to_thread(_fetch_chunk, client, ids)
            except arxiv.HTTPError as exc:
                raise net.Failed(f"HTTP {exc.status}", exc.status) from None
            except arxiv.UnexpectedEmptyPageError:
                raise net.Failed("empty answer") from None
            except (arxiv.ArxivError, OSError) as exc:
                raise net.Failed(f"request failed ({type(exc).__name__})") from None
            if not results:  # arXiv at times answers an empty feed: no evidence of absence
                raise net.Failed("empty answer")
            return results

        return await net.call(self.network, ARXIV, once)
