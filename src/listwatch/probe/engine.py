"""``probe_urls``: every URL judged once, politely, by the cheapest truthful means."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal, TypeVar, cast
from urllib.parse import urlsplit

from listwatch import net
from listwatch.config import Config
from listwatch.identifiers import arxiv_ref, github_repo
from listwatch.model import DoiFacts, PaperFacts, RepoFacts, Status, Verdict
from listwatch.probe.addresses import AddressGuard
from listwatch.probe.classify import clean
from listwatch.probe.context import ProbeContext
from listwatch.probe.fetch import Fetcher, Stop
from listwatch.probe.filters import is_relative, skip_reason, url_problem
from listwatch.probe.hosts import HostBook, origin_of
from listwatch.probe.redirects import without_fragment
from listwatch.probe.verifiers import arxiv, badge, doi, github, repo_tree

# Consecutive failed attempts (timeouts, refused/reset connections) after which
# a host is given up for the rest of the run, on top of one URL's own retries.
EXTRA_HOST_FAILURES = 2

# Links being judged at once, per request allowed in flight (``[http] max_concurrency``).
# A link waiting for its host's turn holds memory (its task, the retry state), so the
# rest wait as plain URLs; a few times the request limit keeps every request slot busy.
WINDOW_PER_REQUEST = 8
MIN_WINDOW = 256

Awaited = Literal["repos", "papers", "dois"]
T = TypeVar("T")


# Work shared by every link that needs it: its task while it runs, then only its result
# (in a 1-tuple), so that the finished task and its coroutine are let go.
Shared = asyncio.Task[T] | tuple[T]


async def once(work: dict[str, Shared[T]], key: str, start: Callable[[], Awaitable[T]]) -> T:
    """The result of ``start()`` for ``key``, started by the first caller, shared by all."""
    found = work.get(key)
    if found is None:
        found = work[key] = asyncio.ensure_future(start())
    if not isinstance(found, asyncio.Task):
        return found[0]
    result = await asyncio.shield(found)
    work[key] = (result,)
    return result


async def probe_urls(
    urls: Iterable[str],
    *,
    config: Config,
    network: net.Network,
    context: ProbeContext,
    on_result: Callable[[Verdict], None] | None = None,
) -> dict[str, Verdict]:
    """Judge every URL once; return ``{url: verdict}`` (``on_result`` sees each as it lands).

    ``on_result`` runs on the event loop thread (record verdicts from there).
    """
    engine = Engine(config=config, network=network, context=context)
    return await engine.run(urls, on_result)


class Engine:
    """One run of the probe: shared limits, per-host state, deduplicated work."""

    def __init__(self, *, config: Config, network: net.Network,
                 context: ProbeContext) -> None:
        self.config = config
        self.context = context
        proxy = net.proxy_configured() if context.proxy is None else context.proxy
        self.hosts = HostBook(failure_limit=network.policy.attempts + EXTRA_HOST_FAILURES)
        self.guard = AddressGuard(allow_private=config.check.private_addresses, proxy=proxy,
                                  resolve=context.resolve)
        self.fetcher = Fetcher(config=config, network=network, hosts=self.hosts,
                               guard=self.guard, proxy=proxy)
        self._http: dict[str, Shared[Verdict]] = {}
        self._doi: dict[str, Shared[tuple[Status, str] | None]] = {}
        self._badge_hosts: dict[str, Shared[Verdict]] = {}

    async def run(self, urls: Iterable[str],
                  on_result: Callable[[Verdict], None] | None) -> dict[str, Verdict]:
        """Judge every URL once, with at most ``window`` of them in progress at a time.

        Links judged from facts still on their way wait as plain URLs until the facts
        are in; the others are taken one host at a time in turn, so that the links in
        progress spread over many hosts instead of queueing for one.
        """
        # Every URL once, in the order given; each gets its verdict in place (no second
        # table of every verdict at the end).
        results: dict[str, Verdict | None] = dict.fromkeys(urls)

        async def deliver(url: str) -> None:
            verdict = await self.judge(url)
            results[url] = verdict
            if on_result is not None:
                on_result(verdict)

        now: list[str] = []
        later: dict[Awaited, list[str]] = {"repos": [], "papers": [], "dois": []}
        for url in results:
            awaited = self._awaits(url)
            (now if awaited is None else later[awaited]).append(url)
        window = asyncio.Semaphore(max(MIN_WINDOW,
                                       WINDOW_PER_REQUEST * self.config.http.max_concurrency))

        async with asyncio.TaskGroup() as group:
            def released(_: asyncio.Task[None]) -> None:
                window.release()

            async def feed(batch: Iterable[str], first: Callable[[], Awaitable[Any]] | None
                           ) -> None:
                if first is not None:
                    with contextlib.suppress(Exception):  # each link then says what failed
                        await first()
                for url in batch:
                    await window.acquire()
                    group.create_task(deliver(url)).add_done_callback(released)

            group.create_task(feed(in_turn(now), None))
            facts: dict[Awaited, Callable[[], Awaitable[Any]]] = {
                "repos": self._repo_facts, "papers": self._paper_facts,
                "dois": self._doi_facts}
            for kind, waiting in later.items():
                if waiting:
                    group.create_task(feed(waiting, facts[kind]))
        return cast(dict[str, Verdict], results)  # every URL has its verdict by now

    def _awaits(self, url: str) -> Awaited | None:
        """The facts still on their way that ``url`` is judged from (None: judge it now);
        the path ``_judge`` takes, without its requests."""
        if self.context.arriving is None or url in self.context.ok_cache:
            return None
        if skip_reason(url, self.config.check) or is_relative(url):
            return None
        target = _absolute(url)
        if url_problem(target):
            return None
        shown = badge.parse(target)
        if shown is not None and (shown.static or shown.repo):
            return None
        return _facts_kind(target)

    async def judge(self, url: str) -> Verdict:
        """The verdict on one URL, stamped with the run's time."""
        cached = self.context.ok_cache.get(url)
        if cached is not None:
            return dataclasses.replace(cached, url=url)
        try:
            verdict = await self._judge(url)
        except Exception as exc:  # one odd URL must not end the run
            verdict = Verdict(url=url, status="error", via="engine",
                              detail=f"could not check: {type(exc).__name__}: {clean(str(exc))}")
        return self._stamped(verdict, url)

    def _stamped(self, verdict: Verdict, url: str) -> Verdict:
        """``verdict`` as the verdict on ``url`` at the run's time (itself when it is)."""
        if verdict.url == url and verdict.checked_at == self.context.now:
            return verdict
        return dataclasses.replace(verdict, url=url, checked_at=self.context.now)

    async def _judge(self, url: str) -> Verdict:
        reason = skip_reason(url, self.config.check)
        if reason:
            return Verdict(url=url, status="skipped", via="config", detail=reason)
        if is_relative(url):
            return repo_tree.verify(url, self.context.repo_paths, self.context.read_repo_file)
        target = _absolute(url)
        problem = url_problem(target)
        if problem:
            return Verdict(url=url, status="error", via="config", detail=problem)
        shown = badge.parse(target)
        if shown is not None and (shown.static or shown.repo):
            return await self._badge_verdict(target, shown)
        verdict = await self._from_facts(target)
        if verdict is not None:
            return verdict
        carried = doi.extract(target)
        if carried:
            found = (doi.from_crossref(target, carried, await self._doi_facts())
                     or await self._doi_verdict(target, carried))
            if found is not None:
                return found
        return await self._http_verdict(target)

    async def _repo_facts(self) -> Mapping[str, RepoFacts]:
        arriving = self.context.arriving
        return self.context.repo_facts if arriving is None else await arriving.repos()

    async def _paper_facts(self) -> tuple[Mapping[str, PaperFacts], frozenset[str]]:
        arriving = self.context.arriving
        if arriving is None:
            return self.context.paper_facts, self.context.arxiv_missing
        return await arriving.papers()

    async def _doi_facts(self) -> Mapping[str, DoiFacts]:
        arriving = self.context.arriving
        return self.context.doi_facts if arriving is None else await arriving.dois()

    async def _from_facts(self, url: str) -> Verdict | None:
        """A github.com or arxiv.org link judged from the sources' facts (waiting for them
        when they are still on their way); None for other links or without facts."""
        kind = _facts_kind(url)
        if kind == "repos":
            return github.verify(url, await self._repo_facts())
        if kind == "papers":
            papers, missing = await self._paper_facts()
            return arxiv.verify(url, papers, missing)
        return None

    async def _badge_verdict(self, url: str, shown: badge.Badge) -> Verdict:
        """A badge: its service answers (one request per service host), and the
        repository it shows is judged from GitHub's facts."""
        if shown.needs_host_check:
            checked = await self._badge_host(shown.host, url)
            down = badge.service_down(url, checked)
            if down is not None:
                return down
            if shown.static:
                return badge.static(url, checked)
        found = badge.verify(url, shown, await self._repo_facts())
        return found if found is not None else await self._http_verdict(url)

    async def _badge_host(self, host: str, url: str) -> Verdict:
        """The one check of a badge service: the first of its badges asked for."""
        return await once(self._badge_hosts, host, lambda: self._http_verdict(url))

    async def _http_verdict(self, url: str) -> Verdict:
        """HTTP check, shared by URLs that differ only in their fragment (kept stamped, so
        that the verdict ``judge`` gives is the one kept here, not a copy of it)."""
        async def check() -> Verdict:
            verdict = await self._check(url)
            return self._stamped(verdict, verdict.url)

        return await once(self._http, without_fragment(url), check)

    async def _check(self, url: str) -> Verdict:
        host = urlsplit(url).hostname or ""
        refusal = await self.guard.refusal(host)
        if refusal:
            status, detail = refusal
            return Verdict(url=url, status=status, via="address", detail=detail)
        down = self.hosts.state(origin_of(url)).down
        if down:
            return Verdict(url=url, status=down[0], via="host-backoff", detail=down[1])
        verdict = await self.fetcher.check(url)
        return verdict

    async def _doi_verdict(self, url: str, carried: str) -> Verdict | None:
        found = await once(self._doi, carried.lower(), lambda: self._ask_doi(carried))
        if found is None:
            return None  # the resolver said nothing usable: check the page itself
        status, detail = found
        return Verdict(url=url, status=status, via="doi", detail=detail,
                       evidence=(doi.handle_api_url(carried),))

    async def _ask_doi(self, carried: str) -> tuple[Status, str] | None:
        try:
            answer = await self.fetcher.get(doi.handle_api_url(carried))
        except Stop:
            return None
        return doi.interpret(carried, answer.status, answer.body)


def _absolute(url: str) -> str:
    """A scheme-relative URL (``//host/…``) as https."""
    return f"https:{url}" if url.startswith("//") else url


def _facts_kind(url: str) -> Awaited | None:
    """Which facts judge ``url``: a github.com repository's, an arxiv.org paper's, a DOI's
    registration (Crossref's, for a link that carries a DOI), none."""
    if github_repo(url) is not None:
        return "repos"
    ref = arxiv_ref(url)
    if ref is not None and ref.is_url:
        return "papers"
    return "dois" if doi.extract(url) else None


def in_turn(urls: Sequence[str]) -> Iterator[str]:
    """``urls`` one host at a time in turn (hosts in order of first appearance, each
    host's URLs in their own order)."""
    lanes: dict[str, deque[str]] = {}
    for url in urls:
        lanes.setdefault(_host_key(url), deque()).append(url)
    while lanes:
        for key in list(lanes):
            lane = lanes[key]
            yield lane.popleft()
            if not lane:
                del lanes[key]


def _host_key(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
