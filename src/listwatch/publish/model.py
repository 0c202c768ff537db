"""What a run found and did, as plain values for the report renderers and the publisher."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

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
class FileChange:
    """One list file as read (``old``) and as the edits leave it (``new``)."""

    path: str
    old: str
    new: str


@dataclass(frozen=True)
class TargetChanges:
    """What one target repository would get: its edited files and its pull request.

    ``base`` is the branch read, ``commit`` and ``tree`` its commit and tree SHAs
    (None for a list read from a local checkout).
    """

    repository: str
    base: str | None
    commit: str | None
    tree: str | None
    files: tuple[FileChange, ...]
    proposals: tuple[Proposal, ...]
    pull_request: PullRequestDraft | None

    @property
    def local(self) -> bool:
        return self.commit is None


PublishAction = Literal["created", "updated", "unchanged", "closed", "declined", "left-alone",
                        "none"]


@dataclass(frozen=True)
class Outcome:
    """What happened to a pull request or the dashboard issue (``number`` None: none)."""

    action: PublishAction
    number: int | None = None
    url: str | None = None


@dataclass(frozen=True)
class Published:
    """What publishing did (or, in a dry run, would do) for one target; ``pushed``: a
    commit was (would be) pushed to the branch, which then is at ``commit``."""

    target: str
    repository: str
    branch: str
    push: Literal["target", "fork"]
    commit: str | None
    pull_request: Outcome
    dashboard: Outcome
    dry_run: bool = False
    notes: tuple[str, ...] = ()
    pushed: bool = False


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
    published: tuple[Published, ...] = ()
    changed_since: str | None = None

    @property
    def status_counts(self) -> Counter[str]:
        """How many distinct URLs ended in each status."""
        seen = {result.verdict.url: result.verdict.status for result in self.links}
        return Counter(seen.values())

    @property
    def has_broken(self) -> bool:
        return any(result.verdict.status == "broken" for result in self.links)
