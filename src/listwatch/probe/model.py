"""The verdict on one link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

STATUSES = ("ok", "redirect", "failing", "broken", "blocked", "timeout", "error", "skipped")


@dataclass(frozen=True)
class Hop:
    """One step of a redirect chain."""

    url: str
    http_status: int
    location: str


@dataclass(frozen=True)
class Verdict:
    """What listwatch concluded about a URL, and how.

    ``via`` names how it was verified (``head``, ``get``, ``github-api``,
    ``arxiv-api``, ``doi``, ``repo-tree``, ``cache``, ``config``).
    ``permanent`` is True only when every hop of the redirect chain is 301/308.
    ``evidence`` lists URLs that support the verdict (e.g. the GitHub API URL
    that says a repository does not exist).
    """

    url: str
    status: str
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
