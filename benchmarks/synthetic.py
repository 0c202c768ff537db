"""A seeded synthetic paper list of any size, and the world that answers for it.

Each entry has an arXiv link, a GitHub link and a homepage on one of ~300 hosts. A
share of the entries has one dead link (a 404 homepage, a deleted repository or an arXiv
id that does not exist) and another share one moved link (a homepage answering 301, a
renamed repository). The rest is valid. Every paper is a preprint that Semantic Scholar
knows (``scholar.py``). The truths are known per URL, so both tools'
reports can be scored.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from pathlib import Path

from tests.world.model import World

from benchmarks import scholar
from benchmarks.scoring import Truth
from benchmarks.tools import write_list

HOSTS = 300
DEAD_SHARE = 0.03
MOVED_SHARE = 0.05
ENTRIES_PER_SECTION = 100
DEAD_KINDS = ("dead-404", "dead-repo", "dead-arxiv")
MOVED_KINDS = ("moved-301", "moved-repo")


@dataclasses.dataclass(frozen=True)
class Entry:
    """One paper of the list; ``fate`` is ``ok`` or the kind of its one bad link."""

    title: str
    arxiv: str
    repo: str
    host: str
    path: str
    fate: str = "ok"

    @property
    def arxiv_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv}"

    @property
    def repo_url(self) -> str:
        return f"https://github.com/{self.repo}"

    @property
    def homepage(self) -> str:
        return f"https://{self.host}{self.path}"

    @property
    def renamed_to(self) -> str:
        return f"{self.repo}-renamed"

    @property
    def moved_to(self) -> str:
        return f"https://{self.host}/moved{self.path}"


@dataclasses.dataclass(frozen=True)
class SyntheticList:
    """The list's entries plus the world settings; ``build`` makes the world answer."""

    entries: tuple[Entry, ...]
    seed: int
    latency_ms: int = 0

    @property
    def hosts(self) -> list[str]:
        return sorted({e.host for e in self.entries})

    @property
    def truths(self) -> dict[str, Truth]:
        return dict(truths_of(self.entries))

    def markdown(self) -> str:
        """The list as Markdown: sections of entries, one line each."""
        lines = [f"# Synthetic papers ({len(self.entries)} entries, seed {self.seed})", ""]
        for n, e in enumerate(self.entries):
            if n % ENTRIES_PER_SECTION == 0:
                lines += ["", f"## Topic {n // ENTRIES_PER_SECTION + 1}", ""]
            lines.append(f"- [{e.title}]({e.arxiv_url}) [[code]]({e.repo_url}) "
                         f"[[homepage]]({e.homepage})")
        return "\n".join(lines) + "\n"

    def write(self, directory: Path) -> Path:
        """Write the list as ``README.md`` in ``directory``; returns its path."""
        return write_list(directory, self.markdown())

    def papers(self) -> list[scholar.Paper]:
        """The papers arXiv and Semantic Scholar know (preprints): all but the dead ids."""
        return [scholar.Paper(e.arxiv, e.title) for e in self.entries if e.fate != "dead-arxiv"]

    def build(self, world: World) -> None:
        """Register papers, repositories and hosts (with the latency) in ``world``."""
        delay = self.latency_ms
        with world.batch():
            scholar.register(world, self.papers())
            for host in self.hosts:
                world.host(host).default(status=200, delay_ms=delay)
            for e in self.entries:
                if e.fate == "dead-repo":
                    world.github.repo(e.repo, deleted=True)
                elif e.fate == "moved-repo":
                    world.github.repo(e.repo, renamed_to=e.renamed_to, stars=10)
                else:
                    world.github.repo(e.repo, stars=10)
                if e.fate == "dead-404":
                    world.host(e.host).route(e.path, status=404, delay_ms=delay)
                elif e.fate == "moved-301":
                    world.host(e.host).route(e.path, status=301, redirect=e.moved_to,
                                             delay_ms=delay)


def truths_of(entries: tuple[Entry, ...]) -> Iterator[tuple[str, Truth]]:
    """Each URL of the list with what it really is."""
    for e in entries:
        yield e.arxiv_url, Truth(e.arxiv_url, "dead-arxiv" if e.fate == "dead-arxiv" else "ok")
        if e.fate == "dead-repo":
            yield e.repo_url, Truth(e.repo_url, "dead-repo")
        elif e.fate == "moved-repo":
            dest = f"https://github.com/{e.renamed_to}"
            yield e.repo_url, Truth(e.repo_url, "moved-repo", dest)
        else:
            yield e.repo_url, Truth(e.repo_url, "ok")
        if e.fate == "dead-404":
            yield e.homepage, Truth(e.homepage, "dead-404")
        elif e.fate == "moved-301":
            yield e.homepage, Truth(e.homepage, "moved-301", e.moved_to)
        else:
            yield e.homepage, Truth(e.homepage, "ok")


def arxiv_id(n: int) -> str:
    """A distinct well-formed new-style arXiv id for entry ``n`` (months from 2015-01)."""
    month = n // 9000
    return f"{15 + month // 12:02d}{month % 12 + 1:02d}.{n % 9000 + 1000:05d}"


def host_name(k: int) -> str:
    return f"lab{k:03d}.univ{k % 37:02d}.example.edu"


def generate(size: int, seed: int, latency_ms: int = 0) -> SyntheticList:
    """A list of ``size`` entries; which entries are dead or moved is drawn with ``seed``."""
    rng = random.Random(seed)
    order = list(range(size))
    rng.shuffle(order)
    n_dead = max(1, round(size * DEAD_SHARE))
    n_moved = max(1, round(size * MOVED_SHARE))
    fates: dict[int, str] = {}
    for n in order[:n_dead]:
        fates[n] = rng.choice(DEAD_KINDS)
    for n in order[n_dead:n_dead + n_moved]:
        fates[n] = rng.choice(MOVED_KINDS)
    entries = tuple(
        Entry(title=f"Paper {n}: {rng.choice(WORDS)} {rng.choice(WORDS)} at scale",
              arxiv=arxiv_id(n),
              repo=f"group{rng.randrange(max(1, size // 5)):04d}/project-{n}",
              host=host_name(rng.randrange(HOSTS)),
              path=f"/people/{rng.choice(WORDS)}/project-{n}",
              fate=fates.get(n, "ok"))
        for n in range(size))
    return SyntheticList(entries, seed, latency_ms)


WORDS = ("learning", "graphs", "inference", "serving", "attention", "sparsity", "caching",
         "compilers", "scheduling", "retrieval", "agents", "quantization")
