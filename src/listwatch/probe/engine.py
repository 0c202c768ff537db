"""``probe_urls``: every URL judged once, politely, by the cheapest truthful means."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Iterable, Mapping
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
        self._http: dict[str, asyncio.Task[Verdict]] = {}
        self._doi: dict[str, asyncio.Task[tuple[Status, str] | None]] = {}
        self._badge_hosts: dict[str, asyncio.Task[Verdict]] = {}

    async def run(self, urls: Iterable[str],
                  on_result: Callable[[Verdict], None] | None) -> dict[str, Verdict]:
        results: dict[str, Verdict] = {}

        async def deliver(url: str) -> None:
            verdict = await self.judge(url)
            results[url] = verdict
            if on_result is not None:
                on_result(verdict)

        unique = list(dict.fromkeys(urls))
        async with asyncio.TaskGroup() as group:
            for url in unique:
                group.create_task(deliver(url))
        return {url: results[url] for url in unique}

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
        return dataclasses.replace(verdict, url=url, checked_at=self.context.now)

    async def _judge(self, url: str) -> Verdict:
        reason = skip_reason(url, self.config.check)
        if reason:
            return Verdict(url=url, status="skipped", via="config", detail=reason)
        if is_relative(url):
            return repo_tree.verify(url, self.context.repo_paths, self.context.read_repo_file)
        target = f"https:{url}" if url.startswith("//") else url
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
        if github_repo(url) is not None:
            return github.verify(url, await self._repo_facts())
        ref = arxiv_ref(url)
        if ref is not None and ref.is_url:
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
        task = self._badge_hosts.get(host)
        if task is None:
            task = self._badge_hosts[host] = asyncio.ensure_future(self._http_verdict(url))
        return await asyncio.shield(task)

    async def _http_verdict(self, url: str) -> Verdict:
        """HTTP check, shared by URLs that differ only in their fragment."""
        key = without_fragment(url)
        task = self._http.get(key)
        if task is None:
            task = self._http[key] = asyncio.ensure_future(self._check(url))
        return await asyncio.shield(task)

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
        task = self._doi.get(carried.lower())
        if task is None:
            task = self._doi[carried.lower()] = asyncio.ensure_future(self._ask_doi(carried))
        found = await asyncio.shield(task)
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
