"""Which URLs are not checked at all: other schemes, config include/exclude."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from listwatch.config import CheckConfig

HTTP_SCHEMES = ("http", "https")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def scheme_of(url: str) -> str | None:
    """The URL's scheme in lowercase, or None for a relative link."""
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


def is_relative(url: str) -> bool:
    """A repository-relative link (no scheme, not protocol-relative)."""
    return scheme_of(url) is None and not url.startswith("//")


@lru_cache(maxsize=64)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def url_problem(url: str) -> str | None:
    """Why an absolute http(s) URL cannot be requested at all, or None."""
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if any(c.isspace() or ord(c) < 32 for c in parts.netloc):
        return "not a valid URL (space or control character in the host)"
    return None


def skip_reason(url: str, check: CheckConfig) -> str | None:
    """Why ``url`` is skipped, or None when it is to be checked.

    ``include`` (when not empty) is an allow-list; ``exclude`` then removes URLs.
    Relative links are never skipped here (the repository tree checks them).
    """
    scheme = scheme_of(url)
    if scheme is not None and scheme not in HTTP_SCHEMES:
        return f"not an http(s) link ({scheme}:)"
    if scheme is not None and not url_problem(url) and not urlsplit(url).hostname:
        return "no host in the URL"
    if check.include and not any(p.search(url) for p in _compiled(check.include)):
        return "not matched by [check] include"
    for pattern in _compiled(check.exclude):
        if pattern.search(url):
            return f"excluded by [check] exclude {pattern.pattern!r}"
    return None
