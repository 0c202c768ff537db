"""An awesome-list of GitHub repositories (the issue's first real-list shape).

About 700 entries, one repository link each, in sections. The repositories are the
corpus lists' own, topped up with names of the same shape (a corpus owner with another
corpus repository's name). Drawn with the seed: a few repositories deleted, renamed and
archived; the rest exist. Only github.com is linked, so the fake GitHub (no added
latency) answers everything.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

from tests.world.model import World

from benchmarks.corpus_pool import Pool
from benchmarks.scoring import Truth
from benchmarks.tools import write_list

SIZE = 700
PER_SECTION = 50
COUNTS = {"dead-repo": 6, "moved-repo": 6, "archived-repo": 8}


@dataclasses.dataclass(frozen=True)
class Repo:
    """One entry: ``fate`` is ``ok`` or a key of :data:`COUNTS`."""

    name: str
    fate: str = "ok"

    @property
    def url(self) -> str:
        return f"https://github.com/{self.name}"

    @property
    def renamed_to(self) -> str:
        return f"{self.name}-renamed"


@dataclasses.dataclass(frozen=True)
class GitHubList:
    """The list; ``build`` makes the world answer for it."""

    repos: tuple[Repo, ...]
    seed: int
    name: str = "the GitHub list"
    dominated: bool = True  # by GitHub and arXiv links (the 0.2× time target)

    @property
    def urls(self) -> list[str]:
        return [r.url for r in self.repos]

    @property
    def truths(self) -> dict[str, Truth]:
        out = {}
        for r in self.repos:
            dest = f"https://github.com/{r.renamed_to}" if r.fate == "moved-repo" else None
            out[r.url] = Truth(r.url, r.fate, dest)
        return out

    def markdown(self) -> str:
        lines = ["# Awesome repositories", "",
                 f"A list of {len(self.repos)} repositories (seed {self.seed}).", ""]
        for n, r in enumerate(self.repos):
            if n % PER_SECTION == 0:
                lines += ["", f"## Section {n // PER_SECTION + 1}", ""]
            lines.append(f"- [{r.name.split('/')[1]}]({r.url}) - Tools around "
                         f"{r.name.split('/')[1]}.")
        return "\n".join(lines) + "\n"

    def describe(self) -> str:
        """What the list is, for BENCHMARKS.md."""
        return (f"An awesome-list of {len(self.repos)} GitHub repository links in sections of "
                f"{PER_SECTION}: the corpus lists' repositories, topped up with names of the "
                "same shape (a corpus owner with another corpus repository's name). Drawn "
                "with the seed, some repositories are deleted (`dead-repo`), renamed "
                "(`moved-repo`: github.com answers 301 to the new name) or archived "
                "(`archived-repo`, valid). Only github.com is linked; the fake GitHub answers "
                "without added latency.")

    def write(self, directory: Path) -> Path:
        return write_list(directory, self.markdown())

    def build(self, world: World) -> None:
        with world.batch():
            for r in self.repos:
                if r.fate == "dead-repo":
                    world.github.repo(r.name, deleted=True)
                elif r.fate == "moved-repo":
                    world.github.repo(r.name, renamed_to=r.renamed_to, stars=50)
                else:
                    world.github.repo(r.name, stars=50, archived=r.fate == "archived-repo")


def repo_names(pool: Pool, size: int) -> list[str]:
    """The corpus's repositories, then owner × name pairs of the corpus until ``size``."""
    names = list(pool.repos[:size])
    seen = {n.lower() for n in names}
    owners = list(dict.fromkeys(n.split("/")[0] for n in pool.repos))
    projects = list(dict.fromkeys(n.split("/")[1] for n in pool.repos))
    for shift in range(1, len(projects)):
        for i, owner in enumerate(owners):
            if len(names) >= size:
                return names
            name = f"{owner}/{projects[(i + shift) % len(projects)]}"
            if name.lower() not in seen:
                seen.add(name.lower())
                names.append(name)
    return names


def generate(pool: Pool, seed: int, size: int = SIZE,
             counts: dict[str, int] | None = None) -> GitHubList:
    """``size`` repositories; which are dead, renamed or archived is drawn with ``seed``."""
    rng = random.Random(seed)
    names = repo_names(pool, size)
    order = list(range(len(names)))
    rng.shuffle(order)
    fates: dict[int, str] = {}
    picks = iter(order)
    for fate, n in (counts or COUNTS).items():
        for _ in range(n):
            fates[next(picks)] = fate
    return GitHubList(tuple(Repo(name, fates.get(i, "ok")) for i, name in enumerate(names)),
                      seed)
