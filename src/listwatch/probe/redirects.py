"""Redirect chains followed by hand: resolving Location, permanence, describing a move."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

from listwatch.model import Hop
from listwatch.probe.classify import PERMANENT_STATUSES, clean


def resolve_location(base: str, location: str) -> str | None:
    """Absolute URL of a ``Location`` value relative to ``base``; None if unusable."""
    location = location.strip()
    if not location or any(ord(c) < 32 for c in location):
        return None
    target = urljoin(base, location)
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if not parts.fragment:
        fragment = urlsplit(base).fragment
        if fragment:  # browsers keep the fragment across redirects
            target = urlunsplit(parts._replace(fragment=fragment))
    return target


def without_fragment(url: str) -> str:
    """The URL as sent on the wire."""
    return url.split("#", 1)[0]


def is_permanent(chain: tuple[Hop, ...]) -> bool:
    """True only when every hop is 301/308."""
    return bool(chain) and all(hop.http_status in PERMANENT_STATUSES for hop in chain)


def describe(chain: tuple[Hop, ...], final_url: str) -> str:
    """``moved permanently to …`` or ``redirects (302) to …``."""
    target = clean(final_url, limit=300)
    if is_permanent(chain):
        return f"moved permanently to {target}"
    codes = ", ".join(str(hop.http_status) for hop in chain)
    return f"redirects ({codes}) to {target}"
