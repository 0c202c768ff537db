"""The politeness floor of a list: the least time and requests any polite tool needs.

A page that no API covers has to be requested once; requests to one host start
``host_interval`` apart, so the busiest host's requests need ``(n - 1) × host_interval``.
Covered by an API: github.com repositories (GitHub's API), arxiv.org papers (arXiv's API),
DOI links and DOI-carrying publisher pages (Crossref, and doi.org's handle API for the
DOIs Crossref does not list), and badges that name a repository or are static (the
repository's facts; their service is asked once).

Given the world's truths, the floor also counts what the world makes necessary: one more
request for a page that fails once (a 503, a 429) and for each redirect's destination,
and a host's pause after a 429's ``Retry-After``. The least requests add one for each
API a list needs: no tool that verifies every link by an answer can send fewer.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping

from benchmarks.corpus_pool import host_of
from benchmarks.scoring import Truth, normal
from listwatch.markdown.entries import arxiv_id_of, repo_of
from listwatch.probe.verifiers import badge
from listwatch.probe.verifiers.doi import extract as doi_of

GITHUB = ("github.com", "www.github.com")
ARXIV = ("arxiv.org", "browse.arxiv.org")
DOI = ("doi.org", "dx.doi.org", "dl.acm.org")
# Truths whose first answer is a failure and whose second is the page: one more request.
ONCE_FAILING = frozenset({"flaky-503", "throttled-429"})
THROTTLED = "throttled-429"  # the host waits out Retry-After before its next request
REDIRECTS = frozenset({"moved-301", "moved-308", "temp-302", "temp-307"})


@dataclasses.dataclass(frozen=True)
class Floor:
    """The busiest host's necessary requests, the time they need at ``interval``, and
    the least requests for the whole list (0 when the truths were not given)."""

    host: str
    pages: int  # the busiest host's distinct pages that no API covers
    interval: float
    retries: int = 0  # its pages' second requests and redirect destinations
    pause: float = 0.0  # its Retry-After waits
    requests: int = 0

    @property
    def seconds(self) -> float:
        return max(self.pages + self.retries - 1, 0) * self.interval + self.pause

    def describe(self) -> str:
        """The floor's time in words, for a table row."""
        if self.host == "-":
            return "no page needs a request of its own"
        more = [f"{self.retries} retries and redirect destinations"] if self.retries else []
        more += [f"a {self.pause:g} s Retry-After"] if self.pause else []
        return (f"{self.host} has {self.pages} pages no API covers"
                + (f" ({', '.join(more)})" if more else "")
                + f", {self.interval} s apart")


def covered(url: str) -> bool:
    """Whether an API (or one check of a badge service) answers for ``url``."""
    return _api_of(url) is not None


def _api_of(url: str) -> str | None:
    """The API that answers for ``url`` (a badge: the repository's, or none if static)."""
    host = host_of(url)
    if host in GITHUB:
        return "github" if repo_of(url) is not None else None
    if host in ARXIV:
        return "arxiv" if arxiv_id_of(url) is not None else None
    if host in DOI:
        return "doi" if doi_of(url) is not None else None
    found = badge.parse(url)
    if found is None:
        return None
    return "github" if found.repo else "badge"


def floor(urls: Iterable[str], interval: float, truths: Mapping[str, Truth] | None = None,
          retry_after: float = 0.0) -> Floor:
    """The floor of a list with these links (a badge host counts one request); with the
    world's ``truths``, the retries, redirects and Retry-After waits they make necessary."""
    pages: dict[str, set[str]] = defaultdict(set)
    again: dict[str, set[str]] = defaultdict(set)  # second requests, destinations
    paused: set[str] = set()
    apis: set[str] = set()
    known = truths or {}
    for url in urls:
        host = host_of(url)
        api = _api_of(url)
        if api is not None:
            if api != "badge":
                apis.add(api)
            if host not in GITHUB and badge.parse(url) is not None:
                pages[host].add("(service check)")
            continue
        pages[host].add(normal(url))
        truth = known.get(url)
        if truth is None:
            continue
        if truth.kind in ONCE_FAILING:
            again[host].add(normal(url))
        if truth.kind == THROTTLED:
            paused.add(host)
        if truth.kind in REDIRECTS and truth.dest and not covered(truth.dest):
            again[host_of(truth.dest)].add(normal(truth.dest) + " (destination)")
    hosts = {h for h, p in pages.items() if p} | {h for h, p in again.items() if p}
    if not hosts:
        return Floor("-", 0, interval, requests=len(apis) if truths is not None else 0)

    def needs(host: str) -> Floor:
        return Floor(host, len(pages[host]), interval, len(again[host]),
                     retry_after if host in paused else 0.0)

    busiest = max((needs(h) for h in sorted(hosts)), key=lambda f: f.seconds)
    total = sum(len(p) for p in pages.values()) + sum(len(a) for a in again.values())
    return dataclasses.replace(busiest, requests=total + len(apis) if truths is not None else 0)


def times_floor(wall: float, seconds: float) -> str:
    """A wall time as a multiple of the floor, for a table cell."""
    return f"{wall / seconds:.2f}×" if seconds else "n/a (floor 0)"


def explained(interval: float) -> str:
    """What the floor counts, for BENCHMARKS.md."""
    return ("The politeness floor is the least time any polite tool needs: the busiest "
            "host's requests, n of them needing n − 1 gaps of "
            f"{interval} s, plus its waits for `Retry-After`. Its requests are its distinct "
            "pages that no API covers (GitHub repositories, arXiv papers, DOI links and "
            "DOI-carrying publisher pages, badges naming a repository; a badge service is "
            "asked once), one more for each page that fails once (503, 429), and each "
            "redirect's destination. The least requests are those of every host, plus one "
            "for each API the list needs (GitHub, arXiv, DOIs). Where a target's share of "
            "lychee's figure is below the floor, no polite tool can meet it.")
