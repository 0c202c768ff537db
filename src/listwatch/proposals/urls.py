"""Small URL helpers shared by the rules: GitHub repositories, arXiv ids, comparisons."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

# github.com/<owner>/... paths that are not repositories.
_NOT_OWNERS = frozenset({
    "about", "apps", "collections", "contact", "customer-stories", "enterprise", "events",
    "explore", "features", "login", "marketplace", "new", "notifications", "orgs", "pricing",
    "search", "settings", "site", "sponsors", "topics", "trending", "users",
})
_ARXIV_HOSTS = frozenset({"arxiv.org", "www.arxiv.org", "browse.arxiv.org", "export.arxiv.org"})
_ARXIV_PATH = re.compile(
    r"^/(?P<kind>abs|pdf)/(?P<id>(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?)"
    r"(?:\.pdf)?/?$"
)


def github_repo(url: str) -> tuple[str, str, str] | None:
    """``(owner, name, rest)`` for a github.com repository URL; ``rest`` keeps the tail.

    ``https://github.com/o/r/tree/main/x?y#z`` → ``("o", "r", "/tree/main/x?y#z")``.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in ("github.com",
                                                                       "www.github.com"):
        return None
    segments = parts.path.split("/")
    if len(segments) < 3 or not segments[1] or not segments[2]:
        return None
    owner, name = segments[1], segments[2]
    if owner.lower() in _NOT_OWNERS:
        return None
    if name.endswith(".git"):
        name = name[:-4]
    rest = "/".join(["", *segments[3:]]) if len(segments) > 3 else ""
    if parts.query:
        rest += "?" + parts.query
    if parts.fragment:
        rest += "#" + parts.fragment
    return owner, name, rest


def arxiv_parts(url: str) -> tuple[str, str] | None:
    """``(kind, id)`` for an arXiv ``abs``/``pdf`` URL (``id`` may carry a version)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in _ARXIV_HOSTS:
        return None
    match = _ARXIV_PATH.match(parts.path)
    return (match.group("kind"), match.group("id")) if match else None


def without_version(arxiv_id: str) -> str:
    return re.sub(r"v\d+$", "", arxiv_id)


def fragment(url: str) -> str:
    return urlsplit(url).fragment


def with_fragment(url: str, frag: str) -> str:
    """``url`` carrying ``frag`` unless it already has a fragment of its own."""
    if not frag or urlsplit(url).fragment:
        return url
    return f"{url}#{frag}"


def comparable(url: str) -> str:
    """A comparison key: lowercase scheme and host, no default port, no trailing slash."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.port and (parts.scheme, parts.port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), host, path, parts.query, parts.fragment))


def same_resource(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ at most by a trailing slash or host case."""
    return comparable(a) == comparable(b)


def https_twin(url: str) -> str | None:
    """``https://…`` for an ``http://…`` URL, else None."""
    return "https://" + url[len("http://"):] if url.lower().startswith("http://") else None


def is_root(url: str) -> bool:
    return urlsplit(url).path.strip("/") == ""
