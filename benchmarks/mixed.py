"""The mixed list (the issue's second real-list shape): arXiv papers, GitHub repositories,
shields.io badges naming those repositories, and web pages.

Each entry links an arXiv paper (the corpus's ids, topped up with ids of the same
shape); the first ``repos`` entries a GitHub repository (the corpus's), the first
``badges`` of those a shields.io badge of it (stars, forks, license…), the first ``web``
a page from the corpus on an ordinary host (in the corpus's order). Drawn with the
seed: arXiv ids that do not exist, deleted and renamed repositories (their badges show
the deleted or renamed repository: ``dead-badge``, ``moved-badge``), pages answering 404.
The badge host and the web hosts answer after ``latency_ms``; the fake APIs add none.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from pathlib import Path

from tests.world.model import World

from benchmarks import scholar
from benchmarks.corpus_pool import Pool, host_of
from benchmarks.scoring import Truth
from benchmarks.tools import write_list

SHIELDS = "img.shields.io"
BADGE_KINDS = ("stars", "forks", "license", "last-commit", "issues", "v/release")
SHAPE = {"papers": 300, "repos": 240, "badges": 220, "web": 100}
COUNTS = {"dead-arxiv": 6, "dead-repo": 4, "moved-repo": 4, "dead-404": 5}


@dataclasses.dataclass(frozen=True)
class Entry:
    """One paper line; ``fates`` maps each of its URLs that is not ``ok`` to its truth."""

    n: int
    arxiv: str
    repo: str | None = None
    badge_kind: str | None = None
    page: str | None = None
    fates: tuple[tuple[str, str], ...] = ()

    @property
    def arxiv_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv}"

    @property
    def repo_url(self) -> str | None:
        return f"https://github.com/{self.repo}" if self.repo else None

    def badge_url(self, repo: str | None = None) -> str | None:
        if not self.repo or not self.badge_kind:
            return None
        return f"https://{SHIELDS}/github/{self.badge_kind}/{repo or self.repo}?style=social"

    @property
    def urls(self) -> list[str]:
        return [u for u in (self.arxiv_url, self.repo_url, self.badge_url(), self.page) if u]

    def fate(self, url: str) -> str:
        return dict(self.fates).get(url, "ok")


@dataclasses.dataclass(frozen=True)
class MixedList:
    """The list; ``build`` makes the world answer for it."""

    entries: tuple[Entry, ...]
    seed: int
    latency_ms: int = 100
    name: str = "the mixed list"
    dominated: bool = True  # by GitHub and arXiv links (the 0.2× time target)

    @property
    def urls(self) -> list[str]:
        return [u for e in self.entries for u in e.urls]

    @property
    def truths(self) -> dict[str, Truth]:
        return dict(self._truths())

    def _truths(self) -> Iterator[tuple[str, Truth]]:
        for e in self.entries:
            for url in e.urls:
                kind = e.fate(url)
                dest = None
                if kind == "moved-repo" and e.repo:
                    dest = f"https://github.com/{e.repo}-renamed"
                elif kind == "moved-badge" and e.repo:
                    dest = e.badge_url(f"{e.repo}-renamed")
                yield url, Truth(url, kind, dest)

    def markdown(self) -> str:
        lines = ["# Mixed list", "", f"Papers with code (seed {self.seed}).", ""]
        for e in self.entries:
            parts = [f"* Paper {e.n} \\[[arXiv]({e.arxiv_url})]"]
            if e.repo_url:
                parts.append(f"\\[[Code]({e.repo_url})]")
            if badge := e.badge_url():
                parts.append(f"![{e.badge_kind}]({badge})")
            if e.page:
                parts.append(f"\\[[Page]({e.page})]")
            lines.append(" ".join(parts))
        return "\n".join(lines) + "\n"

    def describe(self) -> str:
        """What the list is, for BENCHMARKS.md."""
        n = {k: sum(1 for e in self.entries if getattr(e, k)) for k in ("repo", "badge_kind",
                                                                         "page")}
        return (f"A list of {len(self.entries)} papers: each links its arXiv abstract (the "
                "corpus's arXiv ids, topped up with ids of the same shape); "
                f"{n['repo']} link a GitHub repository (the corpus's), {n['badge_kind']} of "
                f"those a {SHIELDS} badge of it ({', '.join(BADGE_KINDS)}), and "
                f"{n['page']} a web page from the corpus (in its order, so "
                "www.usenix.org has many). Drawn with the seed: arXiv ids that do not exist "
                "(`dead-arxiv`), deleted and renamed repositories, whose badges show the "
                "deleted or renamed repository (`dead-badge`, `moved-badge`: the badge "
                "service still answers 200 with an image), and pages answering 404. "
                f"{SHIELDS} and the web hosts answer after {self.latency_ms} ms; the fake "
                "APIs add none.")

    def write(self, directory: Path) -> Path:
        return write_list(directory, self.markdown())

    def papers(self) -> list[scholar.Paper]:
        """The papers arXiv (and so Semantic Scholar) knows: all but the dead ids."""
        return [scholar.Paper(e.arxiv, f"Paper {e.arxiv}") for e in self.entries
                if e.fate(e.arxiv_url) != "dead-arxiv"]

    def build(self, world: World) -> None:
        delay = self.latency_ms
        with world.batch():
            scholar.register(world, self.papers())
            world.host(SHIELDS).default(status=200, body="<svg/>", content_type="image/svg+xml",
                                        delay_ms=delay)
            for host in sorted({host_of(e.page) for e in self.entries if e.page}):
                world.host(host).default(status=200, delay_ms=delay)
            for e in self.entries:
                if e.repo:
                    kind = e.fate(e.repo_url or "")
                    if kind == "dead-repo":
                        world.github.repo(e.repo, deleted=True)
                    elif kind == "moved-repo":
                        world.github.repo(e.repo, renamed_to=f"{e.repo}-renamed", stars=10)
                    else:
                        world.github.repo(e.repo, stars=10)
                if e.page and e.fate(e.page) == "dead-404":
                    path = "/" + e.page.split("/", 3)[3]
                    world.host(host_of(e.page)).route(path, status=404, delay_ms=delay)


def arxiv_ids(pool: Pool, n: int) -> list[str]:
    """The corpus's arXiv ids, topped up to ``n`` with ids of the same shape."""
    ids = list(pool.arxiv_ids[:n])
    k = 0
    while len(ids) < n:
        candidate = f"2402.{10000 + k}"
        k += 1
        if candidate not in ids:
            ids.append(candidate)
    return ids


def generate(pool: Pool, seed: int, latency_ms: int = 100,
             shape: dict[str, int] | None = None,
             counts: dict[str, int] | None = None) -> MixedList:
    """The mixed list of ``shape``; which links are dead or moved is drawn with ``seed``."""
    size = shape or SHAPE
    truths = counts or COUNTS
    rng = random.Random(seed)
    ids = arxiv_ids(pool, size["papers"])
    repos = list(pool.repos[:size["repos"]])
    pages = list(pool.web[:size["web"]])
    fated: dict[int, str] = {}  # entry number -> the truth of its one bad link
    for kind, limit in (("dead-arxiv", len(ids)), ("dead-repo", len(repos)),
                        ("moved-repo", len(repos)), ("dead-404", len(pages))):
        free = [n for n in range(limit) if n not in fated]
        for n in rng.sample(free, min(truths.get(kind, 0), len(free))):
            fated[n] = kind
    entries = []
    for n, arxiv in enumerate(ids):
        repo = repos[n] if n < len(repos) else None
        badge_kind = BADGE_KINDS[n % len(BADGE_KINDS)] if repo and n < size["badges"] else None
        entry = Entry(n, arxiv, repo, badge_kind, pages[n] if n < len(pages) else None)
        entries.append(dataclasses.replace(entry, fates=fates_of(entry, fated.get(n))))
    return MixedList(tuple(entries), seed, latency_ms)


def fates_of(entry: Entry, kind: str | None) -> tuple[tuple[str, str], ...]:
    """The truths of ``entry``'s URLs when its ``kind`` link is bad (a repository's badge
    shows the same repository, so it is dead or moved with it)."""
    if kind == "dead-arxiv":
        return ((entry.arxiv_url, kind),)
    if kind in ("dead-repo", "moved-repo") and entry.repo_url:
        badge = entry.badge_url()
        return ((entry.repo_url, kind),) + (((badge, kind.replace("repo", "badge")),)
                                            if badge else ())
    if kind == "dead-404" and entry.page:
        return ((entry.page, kind),)
    return ()
