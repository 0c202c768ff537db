"""Badge images judged from what they show, not from the badge service's answer.

A badge service (img.shields.io, badgen.net, badge.fury.io) answers 200 with an
image whatever the state of the repository the badge names, so fetching a badge
only proves the service is up. A badge whose path names a GitHub repository
(``/github/stars/<owner>/<name>``, ``/gh/<owner>%2F<name>.svg``, GitHub's own
``/<owner>/<name>/actions/workflows/<file>/badge.svg``) is judged from that
repository's facts; a static badge (``/badge/…``) from its service answering.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from listwatch.identifiers import GITHUB_HOSTS, github_repo, is_full_name
from listwatch.model import RepoFacts, Verdict

SHIELDS = "img.shields.io"
BADGEN = "badgen.net"
FURY = "badge.fury.io"
SERVICES = frozenset({SHIELDS, BADGEN, FURY})
_IMAGE_SUFFIXES = (".svg", ".png", ".json")
# shields.io /github/<kind>/… routes: how many path words come before <owner>/<name>.
_SHIELDS_WORDS = {
    "v": 2, "commit-activity": 2, "languages": 2, "workflow": 2, "milestones": 2,
    "package-json": 2, "manifest-json": 2, "go-mod": 2, "hacktoberfest": 2,
    "actions": 3,
}
# shields.io /github/<kind> routes that name a user, a gist or a search, not a repository.
_SHIELDS_NOT_REPO = frozenset({"followers", "sponsors", "gist", "issues-search", "search"})


@dataclass(frozen=True)
class Badge:
    """A badge URL: its service host, the repository it shows (``owner/name``) and where
    that sits in the URL (``start``/``end`` offsets), or ``static`` when it shows text only."""

    host: str
    repo: str | None = None
    start: int = 0
    end: int = 0
    static: bool = False

    @property
    def needs_host_check(self) -> bool:
        """Judged by its service answering once (GitHub's own badges by its API instead)."""
        return self.host not in GITHUB_HOSTS


def parse(url: str) -> Badge | None:
    """The badge ``url`` is, when it names a repository or is static; None otherwise
    (a package or build badge of another service is checked like any link)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("http", "https"):
        return None
    if host in GITHUB_HOSTS:
        return _github_actions(url)
    if host not in SERVICES:
        return None
    segments = parts.path.split("/")
    if host in (SHIELDS, BADGEN) and len(segments) > 2 and segments[1] in ("badge", "static"):
        return Badge(host=host, static=True)
    offset = url.index(parts.path, len(parts.scheme) + 3) if parts.path else len(url)
    if host == FURY:
        return _fury(host, segments, offset)
    if len(segments) < 3 or segments[1] != "github":
        return None
    kind = segments[2]
    if host == SHIELDS:
        if kind in _SHIELDS_NOT_REPO:
            return None
        words = _SHIELDS_WORDS.get(kind, 1)
        if kind in ("issues", "pulls") and len(segments) > 3 and segments[3] == "detail":
            words = 3
    else:
        words = 1
    first = 2 + words  # index of <owner>
    if len(segments) < first + 2:
        return None
    owner, name = segments[first], segments[first + 1]
    if first + 2 == len(segments):
        name = _without_image_suffix(name)
    if not is_full_name(f"{owner}/{name}"):
        return None
    start = offset + sum(len(s) + 1 for s in segments[:first])
    return Badge(host=host, repo=f"{owner}/{name}", start=start,
                 end=start + len(owner) + 1 + len(name))


def _fury(host: str, segments: list[str], offset: int) -> Badge | None:
    """badge.fury.io ``/gh/<owner>%2F<name>.svg`` (the repository's latest tag)."""
    if len(segments) != 3 or segments[1] != "gh":
        return None
    raw = _without_image_suffix(segments[2])
    owner, slash, name = unquote(raw).partition("/")
    if not slash or not is_full_name(f"{owner}/{name}"):
        return None
    start = offset + len(segments[1]) + 2
    return Badge(host=host, repo=f"{owner}/{name}", start=start, end=start + len(raw))


def _github_actions(url: str) -> Badge | None:
    """GitHub's workflow status badge, ``/<owner>/<name>/actions/workflows/<file>/badge.svg``
    (and the older ``/<owner>/<name>/workflows/<name>/badge.svg``)."""
    link = github_repo(url)
    if link is None or not link.rest.endswith("/badge.svg"):
        return None
    if not link.rest.startswith(("/actions/workflows/", "/workflows/")):
        return None
    parts = urlsplit(url)
    owner, name = parts.path.split("/")[1:3]  # as written (github_repo unquotes them)
    start = len(parts.scheme) + 3 + len(parts.netloc) + 1
    return Badge(host=(parts.hostname or "").lower(), repo=link.full_name, start=start,
                 end=start + len(owner) + 1 + len(name))


def _without_image_suffix(segment: str) -> str:
    for suffix in _IMAGE_SUFFIXES:
        if segment.lower().endswith(suffix):
            return segment[: -len(suffix)]
    return segment


def renamed_url(url: str, badge: Badge, full_name: str) -> str:
    """``url`` showing ``full_name`` instead: only the owner/name bytes change."""
    written = url[badge.start:badge.end]
    new = full_name.replace("/", "%2F") if "%2F" in written.upper() else full_name
    return url[:badge.start] + new + url[badge.end:]


def verify(url: str, badge: Badge, facts: Mapping[str, RepoFacts]) -> Verdict | None:
    """The verdict on a repository badge from the repository's facts; None without facts."""
    if badge.repo is None:
        return None
    repo = facts.get(badge.repo.lower())
    if repo is None:
        return None
    evidence = (repo.api_url,) if repo.api_url else ()
    shows = f"badge of the GitHub repository {badge.repo}"
    if not repo.exists:
        return Verdict(url=url, status="broken", via="badge", evidence=evidence,
                       detail=f"{shows}, which does not exist")
    if repo.disabled:
        return Verdict(url=url, status="broken", via="badge", evidence=evidence,
                       detail=f"{shows}, disabled by GitHub")
    archived = "; archived (read-only)" if repo.archived else ""
    current = repo.name_with_owner
    if repo.renamed and current and current.lower() != badge.repo.lower():
        final = renamed_url(url, badge, current)
        return Verdict(url=url, status="redirect", final_url=final, permanent=True,
                       via="badge", evidence=evidence,
                       detail=f"{shows}, renamed to {current}{archived}")
    return Verdict(url=url, status="ok", via="badge", evidence=evidence,
                   detail=f"{shows}{archived}")


def static(url: str, host_check: Verdict) -> Verdict:
    """A static badge: fine when its service answered the host check."""
    return Verdict(url=url, status="ok", via="badge",
                   detail=f"static badge; {host_check.url} answered")


def service_down(url: str, host_check: Verdict) -> Verdict | None:
    """The verdict on every badge of a service whose host check failed, or None if it is up.

    Up means an HTTP answer below 500: a 404 for one badge path says nothing of the others.
    """
    status = host_check.http_status
    if host_check.status in ("ok", "redirect") or (status is not None and status < 500):
        return None
    host = urlsplit(url).hostname or ""
    return Verdict(url=url, status=host_check.status, via="badge",
                   http_status=host_check.http_status, evidence=(host_check.url,),
                   detail=f"badge service {host} does not answer: {host_check.detail}")
