"""arXiv abstract/PDF links judged from the arXiv API's facts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

from listwatch.probe.model import Verdict
from listwatch.sources.model import PaperFacts

HOSTS = ("arxiv.org", "www.arxiv.org", "export.arxiv.org", "browse.arxiv.org")
_PATH = re.compile(
    r"^/(?:abs|pdf|html|format)/"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})"
    r"(?:v(?P<version>\d+))?(?:\.pdf)?/?$"
)


def parse(url: str) -> tuple[str, int | None] | None:
    """``(id without version, version or None)`` for an arXiv paper URL, or None."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in HOSTS:
        return None
    match = _PATH.match(unquote(parts.path))
    if not match:
        return None
    version = match.group("version")
    return match.group("id"), int(version) if version else None


def api_url(arxiv_id: str) -> str:
    return f"https://export.arxiv.org/api/query?id_list={arxiv_id}"


def verify(url: str, facts: Mapping[str, PaperFacts], missing: frozenset[str]) -> Verdict | None:
    """The verdict from arXiv facts, or None when there are none (check over HTTP)."""
    parsed = parse(url)
    if parsed is None:
        return None
    arxiv_id, version = parsed
    evidence = (api_url(arxiv_id),)
    paper = facts.get(arxiv_id)
    if paper is None:
        if arxiv_id in missing:
            return Verdict(url=url, status="broken", via="arxiv-api", evidence=evidence,
                           detail=f"arXiv has no paper {arxiv_id}")
        return None
    if version is not None and version > paper.version:
        return Verdict(url=url, status="broken", via="arxiv-api", evidence=evidence,
                       detail=f"arXiv {arxiv_id} has no v{version} (latest is v{paper.version})")
    return Verdict(url=url, status="ok", via="arxiv-api", evidence=evidence,
                   detail="withdrawn" if paper.withdrawn else "")
