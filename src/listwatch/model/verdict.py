"""The verdict on one link, and the names of its statuses (defined here only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

Status = Literal["ok", "redirect", "failing", "broken", "blocked", "timeout", "error", "skipped"]
STATUSES: tuple[Status, ...] = get_args(Status)
# The link is alive (a redirect still reaches a page).
OK_STATUSES: frozenset[Status] = frozenset({"ok", "redirect"})
# Failures that count toward the flakiness window (fail_runs / fail_hours).
FAILURE_STATUSES: frozenset[Status] = frozenset({"broken", "timeout", "error", "failing"})
# Most severe first: the order reports list statuses in.
SEVERITY: tuple[Status, ...] = (
    "broken", "failing", "blocked", "timeout", "error", "redirect", "ok", "skipped",
)


def as_status(text: str) -> Status:
    """``text`` as a verdict status; ValueError when it is not one (e.g. from old data)."""
    for status in STATUSES:
        if status == text:
            return status
    raise ValueError(f"unknown verdict status {text!r}")


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a redirect chain."""

    url: str
    http_status: int
    location: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """What listwatch concluded about a URL, and how.

    ``via`` names how it was verified (``head``, ``get``, ``github-api``,
    ``arxiv-api``, ``crossref``, ``doi``, ``badge``, ``repo-tree``, ``cache``, ``config``).
    ``permanent`` is True only when every hop of the redirect chain is 301/308.
    ``evidence`` lists URLs that support the verdict (e.g. the GitHub API URL
    that says a repository does not exist).
    """

    url: str
    status: Status
    http_status: int | None = None
    final_url: str | None = None
    permanent: bool = False
    via: str = "head"
    detail: str = ""
    checked_at: datetime | None = None
    chain: tuple[Hop, ...] = ()
    evidence: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown verdict status {self.status!r}")
