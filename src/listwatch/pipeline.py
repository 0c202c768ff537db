"""Wires the stages together; the only module that knows them all. No UI.

config → targets → documents → links + entries → (sources, probe, state) →
proposals → edits → diff / pull request → report.

``run(JobOptions(...))`` serves both `check` (verdicts and facts) and `run`
(the same, then proposals, the diff and the pull request draft). The network
stages (sources, probe, publication search, snapshots) run side by side as one
graph of tasks in ``gather``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from listwatch import net
from listwatch.config import Config, load_config
from listwatch.credentials import github_api_url, github_token
from listwatch.errors import InputError, ServiceError
from listwatch.gather import Findings, Progress, RunContext, gather
from listwatch.model import Proposal
from listwatch.net.services import GITHUB_PUBLISH
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
from listwatch.state import Store
from listwatch.targets import ListSource, read_local, read_paths, read_targets

# What only some runs need (`run`'s proposals and publishing, `check --changed`'s git)
# is imported where it is used: a `check` starts probing sooner without it.
if TYPE_CHECKING:
    from listwatch.gitdiff import Changed
    from listwatch.publish.github_api import GitHubAPI
    from listwatch.publish.publisher import Observation
    from listwatch.publish.suggestions import Suggestion

Mode = Literal["check", "run"]


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
class Changes:
    """What a run would change, per target: files, proposals, suggestions, the draft."""

    targets: tuple[TargetChanges, ...] = ()
    suggestions: Mapping[str, tuple[Suggestion, ...]] = field(default_factory=dict)

    @property
    def proposals(self) -> tuple[Proposal, ...]:
        return tuple(p for target in self.targets for p in target.proposals)

    @property
    def diff(self) -> str:
        from listwatch.publish.diff import unified_diff

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
    with Store.open(config.state.path) as store, \
            store.run_record(options.mode, started) as run_id:
        done = asyncio.run(_job(config, options, store=store, now=started, run_id=run_id,
                                token=token))
        findings = done.findings
        from listwatch.publish.report import summary_json

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
        findings = await gather(context, sources, snapshots=options.mode == "run",
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
    from listwatch.publish.github_api import GitHubAPI

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
    from listwatch.publish.publisher import observe, record_declines

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
    from listwatch.publish.dashboard import draft_dashboard
    from listwatch.publish.publisher import publish

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
        from listwatch.gitdiff import toplevel

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
    from listwatch.gitdiff import changed_lines

    focus: dict[tuple[int, str], Changed] = {}
    for source in sources:
        if source.root is None:
            continue
        paths = [document.path for document in source.documents]
        found = await asyncio.to_thread(changed_lines, source.root, base, paths)
        focus.update(((id(source), path), lines) for path, lines in found.items())
    return focus


def _changes(config: Config, findings: Findings, entry_facts: Sequence[EntryFacts], *,
             declined: frozenset[str], now: datetime) -> Changes:
    """Proposals per target, applied to its documents, with its suggestions and draft."""
    from listwatch.markdown import apply_edits
    from listwatch.proposals import ProposalInputs, propose
    from listwatch.publish.pull_request import draft_pull_request
    from listwatch.publish.suggestions import suggestions

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
