"""The politeness floor of a list: the least time any polite tool needs to check it.

A page that no API covers has to be requested once; requests to one host start
``host_interval`` apart, so the busiest host's distinct uncovered pages need
``(n - 1) × host_interval``. Covered by an API: github.com repositories (GitHub's API),
arxiv.org papers (arXiv's API), DOI links and DOI-carrying publisher pages (Crossref,
and doi.org's handle API for the DOIs Crossref does not list), and badges that name a
repository or are static (the repository's facts; their service is asked once).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from benchmarks.corpus_pool import host_of
from benchmarks.scoring import normal
from listwatch.markdown.entries import arxiv_id_of, repo_of
from listwatch.probe.verifiers import badge
from listwatch.probe.verifiers.doi import extract as doi_of

GITHUB = ("github.com", "www.github.com")
ARXIV = ("arxiv.org", "browse.arxiv.org")
DOI = ("doi.org", "dx.doi.org", "dl.acm.org")


@dataclasses.dataclass(frozen=True)
class Floor:
    """The busiest host's uncovered pages and the time they need at ``interval``."""

    host: str
    pages: int
    interval: float

    @property
    def seconds(self) -> float:
        return max(self.pages - 1, 0) * self.interval


def covered(url: str) -> bool:
    """Whether an API (or one check of a badge service) answers for ``url``."""
    host = host_of(url)
    if host in GITHUB:
        return repo_of(url) is not None
    if host in ARXIV:
        return arxiv_id_of(url) is not None
    if host in DOI:
        return doi_of(url) is not None
    return badge.parse(url) is not None


def floor(urls: Iterable[str], interval: float) -> Floor:
    """The floor of a list with these links (a badge host counts one request)."""
    pages: dict[str, set[str]] = defaultdict(set)
    for url in urls:
        host = host_of(url)
        if not covered(url):
            pages[host].add(normal(url))
        elif host not in GITHUB and badge.parse(url) is not None:
            pages[host].add("(service check)")
    counts = {h: len(p) for h, p in pages.items() if p}
    if not counts:
        return Floor("-", 0, interval)
    host = max(sorted(counts), key=lambda h: counts[h])
    return Floor(host, counts[host], interval)
