"""Facts gathered from GitHub, arXiv, DBLP, Semantic Scholar and Crossref."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class RepoFacts:
    """A GitHub repository as the API describes it now.

    ``requested`` is ``owner/name`` as linked from the list; ``name_with_owner``
    is its current name (differs after a rename). ``exists`` is False when
    GitHub says NOT_FOUND; the other fields are then empty. ``api_url`` is the
    REST URL that answers for ``requested`` under the configured API base
    (``https://api.github.com/repos/o/r``, or GitHub Enterprise's): the
    evidence for these facts.
    """

    requested: str
    exists: bool
    name_with_owner: str | None = None
    stars: int | None = None
    archived: bool = False
    disabled: bool = False
    fork: bool = False
    default_branch: str | None = None
    pushed_at: datetime | None = None
    description: str | None = None
    homepage: str | None = None
    url: str | None = None
    fetched_at: datetime | None = None
    api_url: str | None = None

    @property
    def renamed(self) -> bool:
        # GitHub names are case-insensitive: "Org/Repo" linked as "org/repo" is no rename.
        return (
            self.exists
            and self.name_with_owner is not None
            and self.name_with_owner.lower() != self.requested.lower()
        )


@dataclass(frozen=True, slots=True)
class PaperFacts:
    """An arXiv record (latest version)."""

    arxiv_id: str
    version: int
    title: str
    authors: tuple[str, ...]
    published: datetime | None
    updated: datetime | None
    journal_ref: str | None = None
    doi: str | None = None
    comment: str | None = None
    withdrawn: bool = False
    url: str = ""


@dataclass(frozen=True, slots=True)
class DoiFacts:
    """A DOI its registration agency lists: ``doi`` as the agency spells it, ``url`` the
    landing page it resolves to (None when not said)."""

    doi: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Publication:
    """Where a preprint was published, as the sources agree.

    ``venue`` is the canonical short name (``listwatch.venues.canonical``), not
    any list's spelling of it; ``sources`` lists the services that support this
    venue (``arxiv``, ``dblp``, ``semantic_scholar``); ``evidence`` their URLs;
    ``confidence`` is in ``[0, 1]``.
    """

    arxiv_id: str
    venue: str
    year: int | None
    url: str | None
    title: str | None
    sources: tuple[str, ...]
    evidence: tuple[str, ...]
    confidence: float
    notes: tuple[str, ...] = ()  # conflicts between sources, doubtful years
