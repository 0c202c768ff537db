"""Wires the stages together; the only module that knows them all.

config → targets → documents → links + entries → (sources, probe, state) →
proposals → edits → diff / pull request → report.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from listwatch import net
from listwatch.config import Config, load_config
from listwatch.credentials import github_api_url, github_token
from listwatch.errors import InputError, ServiceError
from listwatch.identifiers import arxiv_ref, github_repo
from listwatch.markdown import Document, apply_edits, extract_entries, extract_links
from listwatch.model import Entry, Link, PaperFacts, Proposal, Publication, RepoFacts, Verdict
from listwatch.probe import ProbeContext, assess, fresh_ok, probe_urls
from listwatch.probe.filters import is_relative
from listwatch.proposals import ProposalInputs, propose
from listwatch.publish.diff import unified_diff
from listwatch.publish.model import EntryFacts, LinkResult, PullRequestDraft, Report
from listwatch.publish.pull_request import draft_pull_request
from listwatch.sources.arxiv import fetch_papers
from listwatch.sources.github import fetch_repos
from listwatch.sources.preprints import find_publications
from listwatch.sources.wayback import find_snapshots
from listwatch.state import Store
from listwatch.targets import ListSource, read_paths, read_targets


@dataclass(frozen=True)
class CheckOptions:
    """`listwatch check`: the config (None: ./config.toml if present) and optional paths."""

    config_path: Path | None
    paths: tuple[str, ...] = ()
    use_cache: bool = True
    interactive: bool = False


@dataclass(frozen=True)
class RunOptions:
    """`listwatch run`."""

    config_path: Path | None
    dry_run: bool = True
    use_cache: bool = True
    interactive: bool = False


@dataclass(frozen=True)
class Parsed:
    """One document with its links and entries, and the list source it came from."""

    source: ListSource = field(repr=False)
    document: Document
    links: tuple[Link, ...] = field(repr=False)
    entries: tuple[Entry, ...] = field(repr=False)


@dataclass(frozen=True)
class Findings:
    """Everything the network stages found in one run (large: kept out of its repr)."""

    parsed: tuple[Parsed, ...] = field(repr=False)
    verdicts: Mapping[str, Verdict] = field(repr=False)
    repos: Mapping[str, RepoFacts] = field(repr=False)
    papers: Mapping[str, PaperFacts] = field(repr=False)
    publications: Mapping[str, Publication | None] = field(repr=False)
    snapshots: Mapping[str, str] = field(repr=False)
    warnings: tuple[str, ...]
    requests: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Changes:
    """What a run would change: proposals, the diff, the pull request."""

    proposals: tuple[Proposal, ...]
    diff: str
    pull_request: PullRequestDraft | None


def resolve_config(config_path: Path | None, *, paths: Sequence[str] = ()) -> Config:
    """The config to use: the named file, else ./config.toml, else defaults for PATHs."""
    if config_path is not None:
        return load_config(config_path)
    default = Path("config.toml")
    if default.exists() or not paths:
        return load_config(default)
    return Config(targets=())


def _now() -> datetime:
    return datetime.now(UTC)


def _parse(sources: Iterable[ListSource]) -> tuple[Parsed, ...]:
    parsed = []
    for source in sources:
        for document in source.documents:
            links = extract_links(document)
            parsed.append(Parsed(source, document, links, extract_entries(document, links)))
    return tuple(parsed)


class _Progress:
    """A progress bar on a terminal (rich, on stderr); silent otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and not os.environ.get("CI")
        self._progress = None
        self._task = None

    def start(self, total: int) -> Callable[[Verdict], None] | None:
        if not self.enabled or not total:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        console = Console(stderr=True, no_color=bool(os.environ.get("NO_COLOR")))
        self._progress = Progress(TextColumn("checking links"), BarColumn(),
                                  MofNCompleteColumn(), console=console, transient=True)
        self._task = self._progress.add_task("links", total=total)
        self._progress.start()
        progress, task = self._progress, self._task
        return lambda _verdict: progress.advance(task)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()


async def _gather(config: Config, sources: Sequence[ListSource], *, store: Store,
                  client: httpx.AsyncClient, now: datetime, use_cache: bool,
                  interactive: bool, run_id: int, snapshots: bool) -> Findings:
    """Facts first (they let the probe verify GitHub and arXiv links without scraping),
    then the probe and the publication search side by side."""
    parsed = _parse(sources)
    warnings: list[str] = [problem for source in sources for problem in source.problems]
    requests: dict[str, int] = {}
    environ = os.environ
    all_links = [link for item in parsed for link in item.links]
    entries = [entry for item in parsed for entry in item.entries]

    # Every repository an entry names comes from one of these links.
    repo_names = {repo.full_name for link in all_links if (repo := github_repo(link.resolved))}
    repos: Mapping[str, RepoFacts] = {}
    if config.sources.github and repo_names:
        report = await fetch_repos(
            sorted(repo_names), client=client, token=github_token(environ),
            api_url=github_api_url(environ), store=store, now=now,
            max_age_s=config.sources.cache_max_age_seconds, user_agent=config.http.user_agent,
            timeout=config.http.timeout)
        repos, requests["github"] = report.facts, report.requests
        warnings.extend(report.warnings)

    arxiv_ids = {ref.id for link in all_links
                 if (ref := arxiv_ref(link.resolved)) is not None and ref.is_url}
    # Venue tags (`arXiv 2312.07104`) name papers that no link may point to.
    arxiv_ids.update(entry.arxiv_id for entry in entries if entry.arxiv_id)
    papers: Mapping[str, PaperFacts] = {}
    missing: frozenset[str] = frozenset()
    if config.sources.arxiv and arxiv_ids:
        paper_report = await fetch_papers(sorted(arxiv_ids), store=store, now=now,
                                          max_age_s=config.sources.cache_max_age_seconds)
        papers, missing = paper_report.facts, frozenset(paper_report.unknown)
        requests["arxiv"] = paper_report.requests
        warnings.extend(paper_report.warnings)

    preprints = [entry for entry in entries if entry.is_preprint and entry.arxiv_id]
    publication_task = asyncio.create_task(
        find_publications(preprints, papers, client=client, store=store, now=now,
                          config=config)
    ) if preprints else None

    verdicts = await _probe(config, parsed, store=store, client=client, now=now,
                            use_cache=use_cache, interactive=interactive, run_id=run_id,
                            repos=repos, papers=papers, missing=missing)
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
        wayback = await find_snapshots(dead, client=client, store=store, now=now,
                                       max_age_s=config.sources.cache_max_age_seconds)
        archived, requests["wayback"] = wayback.snapshots, wayback.requests
        warnings.extend(wayback.warnings)
    return Findings(parsed=parsed, verdicts=verdicts, repos=repos, papers=papers,
                    publications=publications, snapshots=archived,
                    warnings=tuple(dict.fromkeys(warnings)),
                    requests=tuple(sorted(requests.items())))


async def _probe(config: Config, parsed: Sequence[Parsed], *, store: Store,
                 client: httpx.AsyncClient, now: datetime, use_cache: bool, interactive: bool,
                 run_id: int, repos: Mapping[str, RepoFacts], papers: Mapping[str, PaperFacts],
                 missing: frozenset[str]) -> dict[str, Verdict]:
    """Probe every link once, then judge flakiness.

    Web links of all lists go through one probe, so per-host limits hold across
    lists; relative links are checked against their own repository's files.
    """
    web: set[str] = set()
    relative: dict[int, tuple[ListSource, set[str]]] = {}
    for item in parsed:
        for link in item.links:
            if is_relative(link.resolved):
                relative.setdefault(id(item.source), (item.source, set()))[1].add(link.resolved)
            else:
                web.add(link.resolved)
    all_urls = sorted(web.union(*(urls for _, urls in relative.values())))
    cached = fresh_ok(store.last_ok_many(all_urls), config.check.cache_max_age_seconds, now) \
        if use_cache else {}
    context = ProbeContext(now=now, repo_facts=repos, paper_facts=papers,
                           arxiv_missing=missing, ok_cache=cached)
    progress = _Progress(interactive)
    on_result = progress.start(len(all_urls))
    try:
        raw = await probe_urls(sorted(web), config=config, client=client, context=context,
                               on_result=on_result)
        for source, urls in relative.values():
            local = dataclasses.replace(context, repo_paths=source.repo_paths,
                                        read_repo_file=_file_reader(source))
            raw.update(await probe_urls(sorted(urls), config=config, client=client,
                                        context=local, on_result=on_result))
    finally:
        progress.stop()
    fresh = [v for v in raw.values() if v.via != "cache"]
    histories = {v.url: store.history(v.url, limit=config.check.fail_runs + 5) for v in fresh}
    store.record_verdicts(run_id, fresh)
    return {url: (assess(v, histories[url], config.check, now) if url in histories else v)
            for url, v in raw.items()}


def _file_reader(source: ListSource) -> Callable[[str], str | None]:
    texts = {document.path: document.text for document in source.documents}
    root = source.root

    def read(path: str) -> str | None:
        if path in texts:
            return texts[path]
        if root is None:
            return None
        try:
            return (root / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    return read


def _entry_facts(findings: Findings) -> tuple[EntryFacts, ...]:
    out = []
    for item in findings.parsed:
        for entry in item.entries:
            repos = tuple(findings.repos[name.lower()] for name in entry.repos
                          if name.lower() in findings.repos)
            paper = findings.papers.get(entry.arxiv_id) if entry.arxiv_id else None
            publication = findings.publications.get(entry.arxiv_id) if entry.arxiv_id else None
            if repos or paper or publication or entry.venue:
                out.append(EntryFacts(entry=entry, repos=repos, paper=paper,
                                      publication=publication))
    return tuple(out)


def _link_results(findings: Findings) -> tuple[LinkResult, ...]:
    return tuple(
        LinkResult(link=link, verdict=findings.verdicts[link.resolved])
        for item in findings.parsed for link in item.links if link.resolved in findings.verdicts
    )


async def _collect(config: Config, sources_or_paths: Sequence[str] | None, *, store: Store,
                   now: datetime, use_cache: bool, interactive: bool,
                   run_id: int, snapshots: bool = False
                   ) -> tuple[tuple[ListSource, ...], Findings]:
    problem = await asyncio.to_thread(net.proxy_problem)
    if problem:
        raise ServiceError(f"{problem}; nothing was checked")
    async with net.async_client(config.http) as client:
        if sources_or_paths:
            found, problems = await asyncio.to_thread(read_paths, sources_or_paths)
            if not found:
                raise InputError("; ".join(problems) or "nothing to check")
            sources = tuple(dataclasses.replace(s, problems=tuple(problems)) if i == 0 else s
                            for i, s in enumerate(found))
        else:
            sources = await read_targets(config.targets, client=client, environ=os.environ)
        findings = await _gather(config, sources, store=store, client=client, now=now,
                                 use_cache=use_cache, interactive=interactive, run_id=run_id,
                                 snapshots=snapshots)
    return sources, findings


def _summary(report: Report) -> str:
    import json

    from listwatch.publish.report import summary_json

    return json.dumps(summary_json(report))


def run_check(options: CheckOptions) -> Report:
    """`listwatch check`: verdicts and facts, no proposals."""
    config = resolve_config(options.config_path, paths=options.paths)
    started = _now()
    with Store.open(config.state.path) as store:
        run_id = store.begin_run("check", started)
        _, findings = asyncio.run(_collect(
            config, options.paths, store=store, now=started, use_cache=options.use_cache,
            interactive=options.interactive, run_id=run_id))
        report = Report(
            mode="check", started_at=started, finished_at=_now(),
            files=tuple(item.document.path for item in findings.parsed),
            links=_link_results(findings), entries=_entry_facts(findings),
            warnings=findings.warnings, requests=findings.requests,
        )
        store.finish_run(run_id, report.finished_at, _summary(report))
    _write_step_summary(report)
    return report


def _changes(config: Config, sources: Sequence[ListSource], findings: Findings,
             entry_facts: Sequence[EntryFacts], *, declined: frozenset[str],
             now: datetime) -> Changes:
    """Proposals per list source, applied to the documents, as one diff and one PR draft."""
    publications = {k: v for k, v in findings.publications.items() if v is not None}
    proposals: list[Proposal] = []
    diffs: list[str] = []
    base: str | None = None
    for source in sources:
        items = [item for item in findings.parsed if item.source is source]
        if not items:
            continue
        found = propose(ProposalInputs(
            documents=tuple(item.document for item in items), config=config,
            links={item.document.path: item.links for item in items},
            entries={item.document.path: item.entries for item in items},
            verdicts=findings.verdicts, repos=findings.repos, papers=findings.papers,
            publications=publications, snapshots=findings.snapshots,
            repo_paths=source.repo_paths, declined=declined, now=now,
        ))
        proposals.extend(found)
        for item in items:
            edits = [edit for p in found
                     if p.file == item.document.path and (edit := p.edit) is not None]
            if edits:
                changed = apply_edits(item.document, edits)
                diffs.append(unified_diff(item.document.path, item.document.text, changed))
        base = base or source.ref
    draft = draft_pull_request(config, proposals, entry_facts, base) if proposals else None
    return Changes(proposals=tuple(proposals), diff="".join(diffs), pull_request=draft)


def run_job(options: RunOptions) -> Report:
    """`listwatch run`: the whole pipeline; with ``dry_run`` nothing is written but state."""
    if not options.dry_run:
        raise InputError(
            "publishing pull requests is not available in this version; "
            "run `listwatch run --dry-run` to see the diff and the pull request it would open"
        )
    config = resolve_config(options.config_path)
    started = _now()
    with Store.open(config.state.path) as store:
        run_id = store.begin_run("run", started)
        sources, findings = asyncio.run(_collect(
            config, None, store=store, now=started, use_cache=options.use_cache,
            interactive=options.interactive, run_id=run_id, snapshots=True))
        entry_facts = _entry_facts(findings)
        changes = _changes(config, sources, findings, entry_facts,
                           declined=store.declined_ids(), now=started)
        report = Report(
            mode="run", started_at=started, finished_at=_now(),
            files=tuple(item.document.path for item in findings.parsed),
            links=_link_results(findings), entries=entry_facts,
            proposals=changes.proposals, diff=changes.diff,
            pull_request=changes.pull_request,
            warnings=findings.warnings, requests=findings.requests,
        )
        store.finish_run(run_id, report.finished_at, _summary(report))
    _write_step_summary(report)
    return report


def _write_step_summary(report: Report) -> None:
    """In GitHub Actions, append the Markdown report to the job summary."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    from listwatch.publish.report import render_markdown

    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(render_markdown(report))
    except OSError as exc:
        print(f"listwatch: warning: cannot write GITHUB_STEP_SUMMARY: {exc.strerror}",
              file=sys.stderr)
