"""Small URL helpers shared by the rules: fragments, comparisons, https twins.

Which repository or arXiv paper a URL names is ``listwatch.identifiers``.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


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
