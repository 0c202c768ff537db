"""The network stages of one run as a graph of tasks: facts, verdicts, publications.

Everything starts at once and each task waits only for what it needs::

    GitHub facts ──────┬───────────────► github.com links, badges ─┐
    arXiv facts ───────┼──► arxiv.org links                        │
    Crossref DOIs ─────┼──► DOI links (the rest: doi.org handles)  ├─► verdicts ─► snapshots
                       └──┐                                        │
    Semantic Scholar ─────┴─► DBLP ─► publications                 │
    other web links (probed from the first second) ────────────────┘

so the wall time is the longest chain, not the sum of the stages. The probe and
the sources share the run's network (one client, one set of per-host limits).
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from listwatch import net
from listwatch.allocator import large_buffers_mapped
from listwatch.config import Config
from listwatch.credentials import github_api_url, github_token
from listwatch.errors import ServiceError
from listwatch.gitdiff import Changed
from listwatch.identifiers import arxiv_ref, github_repo
from listwatch.markdown import Document, read_list
from listwatch.model import DoiFacts, Entry, Link, PaperFacts, Publication, RepoFacts, Verdict
from listwatch.probe import ProbeContext, assess, fresh_ok, needs_history, probe_urls
from listwatch.probe.context import Arriving
from listwatch.probe.filters import is_relative, skip_reason
from listwatch.probe.outage import network_outage
from listwatch.probe.verifiers import badge, doi
from listwatch.sources.arxiv import ArxivPapers
from listwatch.sources.crossref import CrossrefWorks
from listwatch.sources.github import GitHubRepos
from listwatch.sources.interface import SourceContext, SourceResult
from listwatch.sources.preprints import (
    PublicationReport,
    ScholarRecords,
    place_preprints,
    scholar_records,
)
from listwatch.sources.wayback import WaybackSnapshots
from listwatch.state import Store
from listwatch.targets import ListSource

T = TypeVar("T")
U = TypeVar("U")


class Progress(Protocol):
    """What the pipeline tells a progress display (the CLI's; none in the worker)."""

    def start(self, total: int) -> None:
        """``total`` links are about to be checked."""

    def advance(self, verdict: Verdict) -> None:
        """One more link has its verdict."""

    def stop(self) -> None:
        """Checking is over."""


@dataclass(frozen=True)
class RunContext:
    """What every stage of one run shares: config, the network (client, host limits,
    retry policy, request log), store, clock, run id."""

    config: Config
    network: net.Network = field(repr=False)
    store: Store = field(repr=False)
    now: datetime
    run_id: int
    use_cache: bool
    environ: Mapping[str, str] = field(repr=False)
    progress: Progress | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Parsed:
    """One document with its links and entries, and the list source it came from.

    ``focus`` (`check --changed`): only links and entries on these lines are checked.
    """

    source: ListSource = field(repr=False)
    document: Document
    links: tuple[Link, ...] = field(repr=False)
    entries: tuple[Entry, ...] = field(repr=False)
    focus: Changed | None = field(default=None, repr=False)
    problems: tuple[str, ...] = ()

    @property
    def checked_links(self) -> tuple[Link, ...]:
        focus = self.focus
        return self.links if focus is None else tuple(
            link for link in self.links if focus.touches(link.line))

    @property
    def checked_entries(self) -> tuple[Entry, ...]:
        focus = self.focus
        if focus is None:
            return self.entries
        last = self.document.position
        return tuple(entry for entry in self.entries
                     if focus.touches(entry.line, last(max(entry.span.end - 1, 0))[0]))


@dataclass(frozen=True)
class Facts:
    """What the sources said about the links' repositories and papers."""

    repos: Mapping[str, RepoFacts] = field(default_factory=dict, repr=False)
    papers: Mapping[str, PaperFacts] = field(default_factory=dict, repr=False)
    unknown_papers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Findings:
    """Everything the network stages found in one run (large: kept out of its repr)."""

    sources: tuple[ListSource, ...] = field(repr=False)
    parsed: tuple[Parsed, ...] = field(repr=False)
    verdicts: Mapping[str, Verdict] = field(repr=False)
    facts: Facts = field(repr=False)
    publications: Mapping[str, Publication | None] = field(repr=False)
    snapshots: Mapping[str, str] = field(repr=False)
    warnings: tuple[str, ...]
    requests: tuple[tuple[str, int], ...]


def parse(sources: Iterable[ListSource],
          focus: Mapping[tuple[int, str], Changed] | None = None) -> tuple[Parsed, ...]:
    """Every document's links and entries (only the changed lines', with ``focus``)."""
    parsed = []
    for source in sources:
        for document in source.documents:
            reading = read_list(document)
            lines = None if focus is None else focus.get((id(source), document.path), Changed())
            parsed.append(Parsed(source, document, reading.links, reading.entries, lines,
                                 reading.problems))
    return tuple(parsed)


async def gather(context: RunContext, sources: Sequence[ListSource], *, snapshots: bool,
                 focus: Mapping[tuple[int, str], Changed] | None = None) -> Findings:
    """Facts, verdicts and publications of every checked link and entry, side by side;
    then (``snapshots``) archived copies of the dead links."""
    with large_buffers_mapped():  # the answers and indexes freed within leave no holes
        return await _gather(context, sources, snapshots=snapshots, focus=focus)


async def _gather(context: RunContext, sources: Sequence[ListSource], *, snapshots: bool,
                  focus: Mapping[tuple[int, str], Changed] | None) -> Findings:
    config = context.config
    parsed = parse(sources, focus)
    links = [link for item in parsed for link in item.checked_links]
    entries = [entry for item in parsed for entry in item.checked_entries]
    facts_context = SourceContext(network=context.network, cache=context.store,
                                  now=context.now,
                                  max_age_s=config.sources.cache_max_age_seconds)
    preprints = [entry for entry in entries if entry.is_preprint and entry.arxiv_id]
    try:
        async with asyncio.TaskGroup() as graph:
            repos = graph.create_task(_repos(context, facts_context, links))
            papers = graph.create_task(_papers(context, facts_context, links, entries))
            dois = graph.create_task(_dois(context, facts_context, links))
            arriving = Arriving(repos=lambda: _facts_of(repos),
                                papers=lambda: _papers_of(papers),
                                dois=lambda: _facts_of(dois))
            verdicts = graph.create_task(_probe(context, parsed, arriving,
                                                flakiness=focus is None))
            scholar = graph.create_task(scholar_records(preprints, context=facts_context,
                                                        config=config))
            found = graph.create_task(_publications(facts_context, config, preprints,
                                                    papers, scholar))
            archived = graph.create_task(_after(verdicts, lambda judged: _snapshots(
                facts_context, judged if snapshots and config.sources.wayback else {})))
    except BaseExceptionGroup as group:  # one clear error, as when the stages ran in turn
        raise group.exceptions[0] from None
    github, arxiv, wayback = repos.result(), papers.result(), archived.result()
    crossref = dois.result()
    publications = found.result()
    problems = [problem for source in sources for problem in source.problems]
    problems.extend(problem for item in parsed for problem in item.problems)
    return Findings(
        sources=tuple(sources), parsed=parsed, verdicts=verdicts.result(),
        facts=Facts(repos=github.facts, papers=arxiv.facts,
                    unknown_papers=frozenset(arxiv.unknown)),
        publications=publications.publications, snapshots=wayback.facts,
        warnings=tuple(dict.fromkeys([*problems, *github.warnings, *arxiv.warnings,
                                      *crossref.warnings, *publications.warnings,
                                      *wayback.warnings])),
        requests=_requests(github, arxiv, crossref, publications, wayback),
    )


async def _after(first: Awaitable[T], then: Callable[[T], Awaitable[U]]) -> U:
    """``then(result of first)``, once ``first`` is done."""
    return await then(await first)


async def _facts_of(task: asyncio.Task[SourceResult[T]]) -> Mapping[str, T]:
    return (await task).facts


async def _papers_of(task: asyncio.Task[SourceResult[PaperFacts]]
                     ) -> tuple[Mapping[str, PaperFacts], frozenset[str]]:
    result = await task
    return result.facts, frozenset(result.unknown)


def _requests(repos: SourceResult[RepoFacts], papers: SourceResult[PaperFacts],
              dois: SourceResult[DoiFacts], publications: PublicationReport,
              archived: SourceResult[str]) -> tuple[tuple[str, int], ...]:
    """Requests per service, for the services that were asked (as the report shows them)."""
    counts: dict[str, int] = {}
    asked: tuple[tuple[str, SourceResult[Any]], ...] = (
        ("github", repos), ("arxiv", papers), ("crossref", dois), ("wayback", archived))
    for service, result in asked:
        if result is not _NOT_ASKED:
            counts[service] = result.requests
    for service, count in publications.requests.items():
        counts[service] = counts.get(service, 0) + count
    return tuple(sorted(counts.items()))


# What a source that had nothing to do (or was turned off) "answered".
_NOT_ASKED: SourceResult[Any] = SourceResult()


async def _repos(context: RunContext, sources: SourceContext, links: Sequence[Link]
                 ) -> SourceResult[RepoFacts]:
    """GitHub facts for every repository a link or a badge names."""
    config = context.config
    names = {sys.intern(repo.full_name) for link in links
             if (repo := github_repo(link.resolved))}  # the entries' strings (repo_of)
    names.update(shown.repo for link in links
                 if (shown := badge.parse(link.resolved)) is not None and shown.repo)
    if not (config.sources.github and names):
        return _NOT_ASKED
    return await GitHubRepos(
        sources, token=github_token(context.environ),
        api_url=github_api_url(context.environ), user_agent=config.http.user_agent,
        timeout=config.http.timeout).fetch(sorted(names))


async def _papers(context: RunContext, sources: SourceContext, links: Sequence[Link],
                  entries: Sequence[Entry]) -> SourceResult[PaperFacts]:
    """arXiv facts for every paper a link or a venue tag (`arXiv 2312.07104`) names."""
    ids = {ref.id for link in links if (ref := arxiv_ref(link.resolved)) is not None
           and ref.is_url}
    ids.update(entry.arxiv_id for entry in entries if entry.arxiv_id)
    if not (context.config.sources.arxiv and ids):
        return _NOT_ASKED
    return await ArxivPapers(sources).fetch(sorted(ids))


async def _dois(context: RunContext, sources: SourceContext, links: Sequence[Link]
                ) -> SourceResult[DoiFacts]:
    """Crossref's facts for the DOIs that checked links carry (doi.org, dl.acm.org/doi/…),
    except links the probe will not ask about (excluded, or OK in the cache)."""
    config = context.config
    carried = {link.resolved: found for link in links
               if (found := doi.extract(link.resolved))
               and not skip_reason(link.resolved, config.check)}
    if context.use_cache and carried:
        cached = fresh_ok(context.store.last_ok_many(sorted(carried)),
                          config.check.cache_max_age_seconds, context.now)
        carried = {url: found for url, found in carried.items() if url not in cached}
    if not (config.sources.crossref and carried):
        return _NOT_ASKED
    return await CrossrefWorks(sources).fetch(sorted(set(carried.values())))


async def _publications(sources: SourceContext, config: Config, preprints: Sequence[Entry],
                        papers: asyncio.Task[SourceResult[PaperFacts]],
                        scholar: asyncio.Task[ScholarRecords]) -> PublicationReport:
    """Where the preprints were published: Semantic Scholar was asked with the ids from the
    start; DBLP goes on once its answer and the arXiv facts (titles, authors) are in."""
    if not preprints:
        return PublicationReport(publications={}, warnings=())
    known, records = await papers, await scholar
    return await place_preprints(preprints, known.facts, records, context=sources,
                                 config=config)


async def _snapshots(sources: SourceContext, verdicts: Mapping[str, Verdict]
                     ) -> SourceResult[str]:
    """Archived copies of the links found dead (only for `run`: asked with its verdicts)."""
    dead = sorted(url for url, v in verdicts.items()
                  if v.status == "broken" and url.startswith(("http://", "https://")))
    if not dead:
        return _NOT_ASKED
    return await WaybackSnapshots(sources).fetch(dead)


def _urls_to_probe(parsed: Sequence[Parsed]
                   ) -> tuple[list[str], list[tuple[ListSource, list[str]]]]:
    """The distinct web URLs of the checked links, sorted, and the relative ones per list
    source (as sorted lists: the sets that dedupe them are let go before the probe)."""
    web: set[str] = set()
    relative: dict[int, tuple[ListSource, set[str]]] = {}
    for item in parsed:
        for link in item.checked_links:
            if is_relative(link.resolved):
                relative.setdefault(id(item.source), (item.source, set()))[1].add(link.resolved)
            else:
                web.add(link.resolved)
    return sorted(web), [(source, sorted(urls)) for source, urls in relative.values()]


async def _probe(context: RunContext, parsed: Sequence[Parsed], arriving: Arriving, *,
                 flakiness: bool = True) -> dict[str, Verdict]:
    """Probe every link once, record the verdicts, then judge flakiness (not for the
    new links of `check --changed`: a contributor needs the answer now).

    Web links of all lists go through one probe, so per-host limits hold across
    lists; relative links are checked against their own repository's files.
    """
    config, store = context.config, context.store
    web, relative = _urls_to_probe(parsed)
    all_urls = sorted({*web, *(url for _, urls in relative for url in urls)})
    total = len(all_urls)
    cached = fresh_ok(store.last_ok_many(all_urls), config.check.cache_max_age_seconds,
                      context.now) if context.use_cache else {}
    del all_urls
    probe_context = ProbeContext(now=context.now, ok_cache=cached, arriving=arriving)
    progress = context.progress
    on_result: Callable[[Verdict], None] | None = None
    if progress is not None and total:
        progress.start(total)
        on_result = progress.advance
    try:
        raw = await probe_urls(web, config=config, network=context.network,
                               context=probe_context, on_result=on_result)
        for source, urls in relative:
            local = dataclasses.replace(probe_context, repo_paths=source.repo_paths,
                                        read_repo_file=source.read_file)
            raw.update(await probe_urls(urls, config=config, network=context.network,
                                        context=local, on_result=on_result))
    finally:
        if on_result is not None and progress is not None:
            progress.stop()
    if outage := network_outage(raw.values()):  # the network failed, not the links
        raise ServiceError(outage)
    keep = config.check.fail_runs + 5
    # Earlier runs are read only for the failures they judge (not one query a link).
    histories = {v.url: store.history(v.url, limit=keep, finished_only=True)
                 for v in raw.values() if v.via != "cache" and flakiness and needs_history(v)}
    store.record_verdicts(context.run_id, (v for v in raw.values() if v.via != "cache"))
    store.prune_verdicts(keep, context.now - timedelta(days=90, hours=config.check.fail_hours))
    for url, history in histories.items():  # in place: no second table of every verdict
        raw[url] = assess(raw[url], history, config.check, context.now)
    return raw
