"""github.com repository links (and deep links) judged from the GitHub API's facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from listwatch.probe.model import Hop, Verdict
from listwatch.sources.model import RepoFacts

HOSTS = ("github.com", "www.github.com")
# First path segments that are GitHub pages, not owners.
RESERVED = frozenset({
    "about", "account", "apps", "blog", "collections", "contact", "customer-stories",
    "dashboard", "enterprise", "events", "explore", "features", "gist", "issues",
    "login", "logout", "marketplace", "new", "notifications", "orgs", "organizations",
    "pricing", "pulls", "search", "security", "settings", "site", "sponsors", "team",
    "topics", "trending", "users", "codespaces", "readme", "join", "signup",
})


@dataclass(frozen=True)
class RepoLink:
    """A link into a repository: ``owner/name`` plus the rest of the path."""

    owner: str
    name: str
    rest: str  # path after owner/name, starting with "/" or empty

    @property
    def key(self) -> str:
        return f"{self.owner}/{self.name}".lower()


def parse(url: str) -> RepoLink | None:
    """The repository a github.com URL points into, or None."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in HOSTS:
        return None
    segments = parts.path.split("/")[1:]
    if len(segments) < 2 or not segments[0] or not segments[1]:
        return None
    owner, name = segments[0], segments[1]
    if owner.lower() in RESERVED:
        return None
    if name.endswith(".git"):
        name = name[:-4]
    rest = "/" + "/".join(segments[2:]) if len(segments) > 2 else ""
    return RepoLink(owner, name, rest)


def api_url(key: str) -> str:
    return f"https://api.github.com/repos/{key}"


def verify(url: str, facts: Mapping[str, RepoFacts]) -> Verdict | None:
    """The verdict from GitHub facts, or None when there are none (check over HTTP)."""
    link = parse(url)
    if link is None:
        return None
    repo = facts.get(link.key)
    if repo is None:
        return None
    evidence = (api_url(link.key),)
    if not repo.exists:
        return Verdict(url=url, status="broken", via="github-api", evidence=evidence,
                       detail=f"repository {link.owner}/{link.name} not found "
                              f"(GitHub API: {api_url(link.key)})")
    if repo.disabled:
        return Verdict(url=url, status="broken", via="github-api", evidence=evidence,
                       detail="repository disabled by GitHub")
    notes = []
    if repo.archived:
        notes.append("archived (read-only)")
    if link.rest.strip("/"):
        notes.append("repository exists; the path inside it was not checked")
    if repo.renamed and repo.name_with_owner:
        parts = urlsplit(url)
        final = urlunsplit(("https", "github.com", f"/{repo.name_with_owner}{link.rest}",
                            parts.query, parts.fragment))
        detail = f"repository renamed to {repo.name_with_owner}; moved permanently to {final}"
        return Verdict(url=url, status="redirect", http_status=301, final_url=final,
                       permanent=True, via="github-api", evidence=evidence,
                       detail="; ".join([detail, *notes]), chain=(Hop(url, 301, final),))
    return Verdict(url=url, status="ok", via="github-api", evidence=evidence,
                   detail="; ".join(notes))
