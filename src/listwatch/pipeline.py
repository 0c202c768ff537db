"""Wires the stages together; the only module that knows them all. No UI.

config → targets → documents → links + entries → (sources, probe, state) →
proposals → edits → diff / pull request → report.

``run(JobOptions(...))`` serves both `check` (verdicts and facts) and `run`
(the same, then proposals, the diff and the pull request draft).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal, Protocol

from listwatch import net
from listwatch.config import Config, load_config
from listwatch.credentials import github_api_url, github_token
from listwatch.errors import InputError, ServiceError
from listwatch.gitdiff import Changed, changed_lines, toplevel
from listwatch.identifiers import arxiv_ref, github_repo
from listwatch.markdown import Document, apply_edits, read_list
from listwatch.model import Entry, Link, PaperFacts, Proposal, Publication, RepoFacts, Verdict
from listwatch.net.services import GITHUB_PUBLISH
from listwatch.probe import ProbeContext, assess, fresh_ok, probe_urls
from listwatch.probe.filters import is_relative
from listwatch.proposals import ProposalInputs, propose
from listwatch.publish.dashboard import draft_dashboard
from listwatch.publish.diff import unified_diff
from listwatch.publish.github_api import GitHubAPI
from listwatch.publish.model import (
    EntryFacts,
    FileChange,
    LinkResult,
    Outcome,
    Published,
    PullRequestDraft,
    Report,
    TargetChanges,
)
from listwatch.publish.publisher import Observation, observe, publish, record_declines
from listwatch.publish.pull_request import draft_pull_request
from listwatch.publish.report import summary_json
from listwatch.publish.suggestions import Suggestion, suggestions
from listwatch.sources.arxiv import ArxivPapers
from listwatch.sources.github import GitHubRepos
from listwatch.sources.interface import SourceContext
from listwatch.sources.preprints import find_publications
from listwatch.sources.wayback import WaybackSnapshots
from listwatch.state import Store
from listwatch.targets import ListSource, read_local, read_paths, read_targets

Mode = Literal["check", "run"]


class Progress(Protocol):
    """What the pipeline tells a progress display (the CLI's; none in the worker)."""

    def start(self, total: int) -> None:
        """``total`` links are about to be checked."""

    def advance(self, verdict: Verdict) -> None:
        """One more link has its verdict."""

    def stop(self) -> None:
        """Checking is over."""


@dataclass(frozen=True)
class JobOptions:
    """One `check` or `run`: the config file (None: ./config.toml if present), the
    PATHs for `check`, and whether to reuse fresh OK verdicts."""

    mode: Mode
    config_path: Path | None
    paths: tuple[str, ...] = ()
    changed_since: str | None = None
    use_cache: bool = True
    dry_run: bool = True
    progress: Progress | None = field(default=None, compare=False)


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


@dataclass(frozen=True)
class Changes:
    """What a run would change, per target: files, proposals, suggestions, the draft."""

    targets: tuple[TargetChanges, ...] = ()
    suggestions: Mapping[str, tuple[Suggestion, ...]] = field(default_factory=dict)

    @property
    def proposals(self) -> tuple[Proposal, ...]:
        return tuple(p for target in self.targets for p in target.proposals)

    @property
    def diff(self) -> str:
        return "".join(unified_diff(f.path, f.old, f.new)
                       for target in self.targets for f in target.files)

    @property
    def pull_request(self) -> PullRequestDraft | None:
        """The first target's draft (the only one in the common one-list case)."""
        return next((t.pull_request for t in self.targets if t.pull_request), None)


def resolve_config(config_path: Path | None, *, paths: Sequence[str] = ()) -> Config:
    """The config to use: the named file, else ./config.toml, else defaults for PATHs."""
    if config_path is not None:
        return load_config(config_path)
    default = Path("config.toml")
    if default.exists() or not paths:
        return load_config(default)
    return Config(targets=())


def run(options: JobOptions) -> Report:
    """One `check` or `run`, recorded in the state store; returns what it found."""
    config = resolve_config(options.config_path, paths=options.paths)
    publishing = options.mode == "run"
    token = github_token(os.environ)
    if publishing and not options.dry_run and token is None:
        raise InputError("publishing needs a GitHub token with contents, pull-requests and "
                         "issues write: set GITHUB_TOKEN or GH_TOKEN, or use --dry-run")
    started = _now()
    with Store.open(config.state.path) as store:
        run_id = store.begin_run(options.mode, started)
        done = asyncio.run(_job(config, options, store=store, now=started, run_id=run_id,
                                token=token))
        findings = done.findings
        report = Report(
            mode=options.mode, started_at=started, finished_at=_now(),
            files=tuple(item.document.path for item in findings.parsed),
            links=_link_results(findings), entries=done.entry_facts,
            proposals=done.changes.proposals, diff=done.changes.diff,
            pull_request=done.changes.pull_request, warnings=(*findings.warnings, *done.notes),
            requests=done.requests, published=done.published,
            changed_since=options.changed_since,
        )
        store.finish_run(run_id, report.finished_at, json.dumps(summary_json(report)))
    return report


@dataclass(frozen=True)
class _Done:
    """What one job found, changed and published (the report is made from it)."""

    findings: Findings = field(repr=False)
    entry_facts: tuple[EntryFacts, ...] = field(repr=False)
    changes: Changes = field(default_factory=Changes, repr=False)
    published: tuple[Published, ...] = ()
    notes: tuple[str, ...] = ()
    requests: tuple[tuple[str, int], ...] = ()


async def _job(config: Config, options: JobOptions, *, store: Store, now: datetime,
               run_id: int, token: str | None) -> _Done:
    """Read the lists, gather facts and verdicts, then (for `run`) propose and publish,
    all through one network: one client, one set of host limits, one request log."""
    problem = await asyncio.to_thread(net.proxy_problem)
    if problem:
        raise ServiceError(f"{problem}; nothing was checked")
    async with net.async_client(config.http) as client:
        context = RunContext(config=config, network=net.Network.for_run(config, client),
                             store=store, now=now, run_id=run_id, use_cache=options.use_cache,
                             environ=os.environ, progress=options.progress)
        sources = await _read(context, options.paths, changed=options.changed_since is not None)
        focus = await _focus(sources, options.changed_since)
        findings = await _gather(context, sources, snapshots=options.mode == "run",
                                 focus=focus)
        entry_facts = _entry_facts(findings)
        if options.mode != "run":
            return _Done(findings, entry_facts, requests=findings.requests,
                         changes=_on_changed_lines(config, findings, entry_facts, store, now)
                         if focus is not None else Changes())
        session = _session(context, token) if token else None
        try:
            seen = await _observe(session, context, findings)
            changes = _changes(config, findings, entry_facts, declined=store.declined_ids(),
                               now=now)
            published, notes = await _publish(session, seen, context, findings, changes,
                                              dry_run=options.dry_run)
        finally:
            if session is not None:
                session.close()
    requests = dict(findings.requests)
    if session is not None:
        requests[GITHUB_PUBLISH.key] = context.network.requests.count(GITHUB_PUBLISH.key)
    return _Done(findings, entry_facts, changes, published, notes,
                 tuple(sorted(requests.items())))


def _session(context: RunContext, token: str) -> GitHubAPI:
    config = context.config
    return GitHubAPI(context.network, token=token, api_url=github_api_url(context.environ),
                     user_agent=config.http.user_agent, timeout=config.http.timeout,
                     write_interval=config.pr.write_interval)


async def _observe(session: GitHubAPI | None, context: RunContext, findings: Findings
                   ) -> dict[str, tuple[Observation, Outcome | None]]:
    """What GitHub shows for each target read from GitHub; pull requests closed without
    merging are recorded as declines before anything is proposed."""
    if session is None:
        return {}
    seen = {}
    for source in findings.sources:
        if source.commit is None:
            continue
        observation = await observe(session, source.target.repo, context.config.pr.branch)
        declined = record_declines(observation, context.store, context.now)
        seen[source.target.repo] = (observation, declined)
    return seen


async def _publish(session: GitHubAPI | None,
                   seen: Mapping[str, tuple[Observation, Outcome | None]], context: RunContext,
                   findings: Findings, changes: Changes, *, dry_run: bool
                   ) -> tuple[tuple[Published, ...], tuple[str, ...]]:
    """Publish (or, in a dry run, plan) each target's changes; notes for the report."""
    config = context.config
    if not changes.targets:
        return (), ()
    if session is None:
        return (), ("dry run without a GitHub token: whether it would push to the list's "
                    "repository or to a fork, and what it would do with an open pull request, "
                    "needs GITHUB_TOKEN or GH_TOKEN",)
    notes: list[str] = []
    done = []
    for target in changes.targets:
        if target.repository not in seen:
            notes.append(f"{target.repository}: read from a local checkout, so not published "
                         "(remove `path` from its [[targets]] to publish from GitHub)")
            continue
        observation, declined = seen[target.repository]
        dashboard = draft_dashboard(
            observation.repository, _link_results(findings, target.repository),
            findings.snapshots, title=config.dashboard.title, label=config.dashboard.label,
            checked_at=context.now) if config.dashboard.enabled else None
        done.append(await publish(session, observation, target,
                                  suggestions=changes.suggestions.get(target.repository, ()),
                                  dashboard=dashboard, config=config, dry_run=dry_run,
                                  declined=declined, warn=notes.append))
    return tuple(done), tuple(notes)


async def _read(context: RunContext, paths: Sequence[str], *, changed: bool
                ) -> tuple[ListSource, ...]:
    """The lists named on the command line, else the configured targets (from the
    checkout around the working directory for `check --changed`)."""
    if not paths and changed:
        root = await asyncio.to_thread(toplevel, Path.cwd())
        return tuple([await asyncio.to_thread(read_local, dataclasses.replace(target, path=root))
                      for target in context.config.targets])
    if not paths:
        return await read_targets(context.config.targets, network=context.network,
                                  environ=context.environ)
    found, problems = await asyncio.to_thread(read_paths, paths)
    if not found:
        raise InputError("; ".join(problems) or "nothing to check")
    first, *rest = found
    return (dataclasses.replace(first, problems=tuple(problems)), *rest)


async def _focus(sources: Sequence[ListSource], base: str | None
                 ) -> Mapping[tuple[int, str], Changed] | None:
    """`check --changed BASE`: the changed lines of every document, by source and path."""
    if base is None:
        return None
    focus: dict[tuple[int, str], Changed] = {}
    for source in sources:
        if source.root is None:
            continue
        paths = [document.path for document in source.documents]
        found = await asyncio.to_thread(changed_lines, source.root, base, paths)
        focus.update(((id(source), path), lines) for path, lines in found.items())
    return focus


async def _gather(context: RunContext, sources: Sequence[ListSource], *, snapshots: bool,
                  focus: Mapping[tuple[int, str], Changed] | None = None) -> Findings:
    """Facts first (they let the probe verify GitHub and arXiv links without scraping),
    then the probe and the publication search side by side, then archived copies."""
    config = context.config
    parsed = _parse(sources, focus)
    warnings: list[str] = [problem for source in sources for problem in source.problems]
    warnings.extend(problem for item in parsed for problem in item.problems)
    requests: dict[str, int] = {}
    links = [link for item in parsed for link in item.checked_links]
    entries = [entry for item in parsed for entry in item.checked_entries]

    sources_context = SourceContext(network=context.network, cache=context.store,
                                    now=context.now,
                                    max_age_s=config.sources.cache_max_age_seconds)
    facts = await _facts(context, sources_context, links, entries, warnings, requests)
    preprints = [entry for entry in entries if entry.is_preprint and entry.arxiv_id]
    publication_task = asyncio.create_task(find_publications(
        preprints, facts.papers, context=sources_context, config=config)) if preprints else None

    verdicts = await _probe(context, parsed, facts, flakiness=focus is None)
    publications: Mapping[str, Publication | None] = {}
    if publication_task is not None:
        found = await publication_task
        publications = found.publications
        warnings.extend(found.warnings)
        for service, count in found.requests.items():
            requests[service] = requests.get(service, 0) + count
    archived: Mapping[str, str] = {}
    dead = sorted(url for url, v in verdicts.items()
                  if v.status == "broken" and url.startswith(("http://", "https://")))
    if snapshots and dead:
        wayback = await WaybackSnapshots(sources_context).fetch(dead)
        archived, requests["wayback"] = wayback.facts, wayback.requests
        warnings.extend(wayback.warnings)
    return Findings(sources=tuple(sources), parsed=parsed, verdicts=verdicts, facts=facts,
                    publications=publications, snapshots=archived,
                    warnings=tuple(dict.fromkeys(warnings)),
                    requests=tuple(sorted(requests.items())))


async def _facts(context: RunContext, sources: SourceContext, links: Sequence[Link],
                 entries: Sequence[Entry], warnings: list[str], requests: dict[str, int]
                 ) -> Facts:
    """GitHub facts for every linked repository, arXiv facts for every named paper."""
    config = context.config
    repo_names = {repo.full_name for link in links if (repo := github_repo(link.resolved))}
    repos: Mapping[str, RepoFacts] = {}
    if config.sources.github and repo_names:
        report = await GitHubRepos(
            sources, token=github_token(context.environ),
            api_url=github_api_url(context.environ), user_agent=config.http.user_agent,
            timeout=config.http.timeout).fetch(sorted(repo_names))
        repos, requests["github"] = report.facts, report.requests
        warnings.extend(report.warnings)
    arxiv_ids = {ref.id for link in links
                 if (ref := arxiv_ref(link.resolved)) is not None and ref.is_url}
    # Venue tags (`arXiv 2312.07104`) name papers that no link may point to.
    arxiv_ids.update(entry.arxiv_id for entry in entries if entry.arxiv_id)
    if not (config.sources.arxiv and arxiv_ids):
        return Facts(repos=repos)
    papers = await ArxivPapers(sources).fetch(sorted(arxiv_ids))
    requests["arxiv"] = papers.requests
    warnings.extend(papers.warnings)
    return Facts(repos=repos, papers=papers.facts, unknown_papers=frozenset(papers.unknown))


async def _probe(context: RunContext, parsed: Sequence[Parsed], facts: Facts, *,
                 flakiness: bool = True) -> dict[str, Verdict]:
    """Probe every link once, record the verdicts, then judge flakiness (not for the
    new links of `check --changed`: a contributor needs the answer now).

    Web links of all lists go through one probe, so per-host limits hold across
    lists; relative links are checked against their own repository's files.
    """
    config, store = context.config, context.store
    web: set[str] = set()
    relative: dict[int, tuple[ListSource, set[str]]] = {}
    for item in parsed:
        for link in item.checked_links:
            if is_relative(link.resolved):
                relative.setdefault(id(item.source), (item.source, set()))[1].add(link.resolved)
            else:
                web.add(link.resolved)
    all_urls = sorted(web.union(*(urls for _, urls in relative.values())))
    cached = fresh_ok(store.last_ok_many(all_urls), config.check.cache_max_age_seconds,
                      context.now) if context.use_cache else {}
    probe_context = ProbeContext(now=context.now, repo_facts=facts.repos,
                                 paper_facts=facts.papers, arxiv_missing=facts.unknown_papers,
                                 ok_cache=cached)
    progress = context.progress
    on_result: Callable[[Verdict], None] | None = None
    if progress is not None and all_urls:
        progress.start(len(all_urls))
        on_result = progress.advance
    try:
        raw = await probe_urls(sorted(web), config=config, network=context.network,
                               context=probe_context, on_result=on_result)
        for source, urls in relative.values():
            local = dataclasses.replace(probe_context, repo_paths=source.repo_paths,
                                        read_repo_file=source.read_file)
            raw.update(await probe_urls(sorted(urls), config=config, network=context.network,
                                        context=local, on_result=on_result))
    finally:
        if on_result is not None and progress is not None:
            progress.stop()
    fresh = [v for v in raw.values() if v.via != "cache"]
    keep = config.check.fail_runs + 5
    histories = {v.url: store.history(v.url, limit=keep) for v in fresh}
    store.record_verdicts(context.run_id, fresh)
    store.prune_verdicts(keep, context.now - timedelta(days=90, hours=config.check.fail_hours))
    return {url: (assess(v, histories[url], config.check, context.now)
                  if flakiness and url in histories else v)
            for url, v in raw.items()}


def _changes(config: Config, findings: Findings, entry_facts: Sequence[EntryFacts], *,
             declined: frozenset[str], now: datetime) -> Changes:
    """Proposals per target, applied to its documents, with its suggestions and draft."""
    publications = {k: v for k, v in findings.publications.items() if v is not None}
    targets: list[TargetChanges] = []
    suggested: dict[str, tuple[Suggestion, ...]] = {}
    for source in findings.sources:
        items = [item for item in findings.parsed if item.source is source]
        if not items:
            continue
        found = propose(ProposalInputs(
            documents=tuple(item.document for item in items), config=config,
            links={item.document.path: item.links for item in items},
            entries={item.document.path: item.entries for item in items},
            verdicts=findings.verdicts, repos=findings.facts.repos,
            papers=findings.facts.papers, publications=publications,
            snapshots=findings.snapshots, repo_paths=source.repo_paths, declined=declined,
            now=now,
        ))
        files: list[FileChange] = []
        review: list[Suggestion] = []
        for item in items:
            document = item.document
            mine = [p for p in found if p.file == document.path]
            edits = [edit for p in mine if (edit := p.edit) is not None]
            if edits:
                changed = apply_edits(document, edits)
                files.append(FileChange(document.path, document.text, changed))
                review.extend(suggestions(document.path, document.text, changed, edits,
                                          [p for p in mine if p.edit is None]))
        draft = draft_pull_request(
            config, found, entry_facts, source.ref,
            suggested=frozenset(s.proposal_id for s in review)) if found else None
        targets.append(TargetChanges(
            repository=source.target.repo, base=source.ref, commit=source.commit,
            tree=source.tree, files=tuple(files), proposals=tuple(found), pull_request=draft))
        suggested[source.target.repo] = tuple(review)
    return Changes(targets=tuple(targets), suggestions=suggested)


def _parse(sources: Iterable[ListSource],
           focus: Mapping[tuple[int, str], Changed] | None = None) -> tuple[Parsed, ...]:
    parsed = []
    for source in sources:
        for document in source.documents:
            reading = read_list(document)
            lines = None if focus is None else focus.get((id(source), document.path), Changed())
            parsed.append(Parsed(source, document, reading.links, reading.entries, lines,
                                 reading.problems))
    return tuple(parsed)


def _on_changed_lines(config: Config, findings: Findings, entry_facts: Sequence[EntryFacts],
                      store: Store, now: datetime) -> Changes:
    """`check --changed`: the changes listwatch would propose on the changed lines (a
    published preprint, a renamed repository, a duplicate entry…), reported, not made."""
    everything = _changes(config, findings, entry_facts, declined=store.declined_ids(),
                          now=now)
    focus = {item.document.path: item.focus for item in findings.parsed}
    kept = []
    for target in everything.targets:
        mine = tuple(p for p in target.proposals
                     if (lines := focus.get(p.file)) is not None and lines.touches(p.line))
        kept.append(dataclasses.replace(target, proposals=mine, files=(), pull_request=None))
    return Changes(targets=tuple(kept))


def _entry_facts(findings: Findings) -> tuple[EntryFacts, ...]:
    repos, papers = findings.facts.repos, findings.facts.papers
    out = []
    for item in findings.parsed:
        for entry in item.checked_entries:
            found = tuple(repos[name.lower()] for name in entry.repos if name.lower() in repos)
            paper = papers.get(entry.arxiv_id) if entry.arxiv_id else None
            publication = findings.publications.get(entry.arxiv_id) if entry.arxiv_id else None
            if found or paper or publication or entry.venue:
                out.append(EntryFacts(entry=entry, repos=found, paper=paper,
                                      publication=publication))
    return tuple(out)


def _link_results(findings: Findings, repository: str | None = None
                  ) -> tuple[LinkResult, ...]:
    """Every link with its verdict (of one target's lists, when ``repository`` is given)."""
    return tuple(
        LinkResult(link=link, verdict=findings.verdicts[link.resolved])
        for item in findings.parsed
        if repository is None or item.source.target.repo == repository
        for link in item.checked_links if link.resolved in findings.verdicts
    )


def _now() -> datetime:
    return datetime.now(UTC)
