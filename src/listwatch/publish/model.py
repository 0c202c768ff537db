"""What a run found, as plain values for the report renderers and the publisher."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from listwatch.model import Entry, Link, PaperFacts, Proposal, Publication, RepoFacts, Verdict


@dataclass(frozen=True)
class LinkResult:
    """One link occurrence with the verdict on its URL."""

    link: Link
    verdict: Verdict


@dataclass(frozen=True)
class EntryFacts:
    """One entry with the facts gathered about it."""

    entry: Entry
    repos: tuple[RepoFacts, ...] = ()
    paper: PaperFacts | None = None
    publication: Publication | None = None


@dataclass(frozen=True)
class PullRequestDraft:
    """The pull request a run opens or updates (or, in a dry run, would)."""

    title: str
    body: str
    branch: str
    base: str | None
    labels: tuple[str, ...]
    url: str | None = None
    action: str = "dry-run"


@dataclass(frozen=True)
class Report:
    """Everything `check` or `run` prints."""

    mode: str
    started_at: datetime
    finished_at: datetime
    files: tuple[str, ...]
    links: tuple[LinkResult, ...]
    entries: tuple[EntryFacts, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    diff: str = ""
    pull_request: PullRequestDraft | None = None
    warnings: tuple[str, ...] = ()
    requests: tuple[tuple[str, int], ...] = ()

    @property
    def status_counts(self) -> Counter[str]:
        """How many distinct URLs ended in each status."""
        seen = {result.verdict.url: result.verdict.status for result in self.links}
        return Counter(seen.values())

    @property
    def has_broken(self) -> bool:
        return any(result.verdict.status == "broken" for result in self.links)
