"""Both tools on one built list (the GitHub list, the mixed list): costs, score, floor.

The list is written to ``work``, both tools check it one after the other through the
same freshly built world, and their wall time, peak RSS, requests per host and score are
kept with the list's politeness floor (``floor.py``).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Protocol

from tests.world.model import World
from tests.world.proxy import WorldProxy

from benchmarks.floor import Floor, floor
from benchmarks.running import RunResult, run_tool
from benchmarks.scoring import Score, Truth, listwatch_outcomes, lychee_outcomes, score
from benchmarks.tools import Settings, listwatch_command, lychee_command, write_config

# The issue's politeness for real lists: 10 in flight and 50 ms apart per host.
ISSUE_SETTINGS = Settings(host_concurrency=10, host_interval=0.05)


class Shape(Protocol):
    """A generated list: its links, their truths, its Markdown, the world behind it."""

    @property
    def name(self) -> str: ...

    @property
    def dominated(self) -> bool: ...

    @property
    def urls(self) -> list[str]: ...

    @property
    def truths(self) -> dict[str, Truth]: ...

    def describe(self) -> str: ...

    def write(self, directory: Path) -> Path: ...

    def build(self, world: World) -> None: ...


@dataclasses.dataclass(frozen=True)
class ToolRun:
    """One tool on one list."""

    wall: float
    maxrss_kib: int
    by_host: Counter[str]  # requests that reached a server, per host
    returncode: int
    score: Score

    @property
    def requests(self) -> int:
        return self.by_host.total()

    @property
    def rss_mb(self) -> float:
        return self.maxrss_kib * 1024 / 1e6


@dataclasses.dataclass(frozen=True)
class ShapeResult:
    """Both tools on one list, with the list's make-up and floor."""

    name: str
    text: str  # what the list is
    urls: int
    kinds: Counter[str]  # truths
    floor: Floor
    dominated: bool  # by GitHub and arXiv links
    runs: dict[str, ToolRun]


def tool_run(run: RunResult, truths: dict[str, Truth]) -> ToolRun:
    hosts = Counter(r.host for r in run.log if r.method != "CONNECT")
    return ToolRun(run.wall, run.maxrss_kib, hosts, run.returncode, score(run.outcomes, truths))


def measure_shape(shape: Shape, *, proxy: WorldProxy, work: Path, listwatch: str, lychee: str,
                  token: str, settings: Settings = ISSUE_SETTINGS) -> ShapeResult:
    """Write ``shape`` under ``work`` and run both tools on it."""
    work.mkdir(parents=True, exist_ok=True)
    root = work / "list"
    shape.write(root)
    config = write_config(work / "config.toml", [root], settings, work / "state" / "state.db")
    lychee_json = work / "lychee.json"
    env = {"GITHUB_TOKEN": token}
    runs = {
        "listwatch": run_tool("listwatch", listwatch_command(listwatch, config), proxy, shape,
                              work, listwatch_outcomes, None, env),
        "lychee": run_tool("lychee", lychee_command(lychee, settings, lychee_json, [root]),
                           proxy, shape, work, lychee_outcomes, lychee_json, env),
    }
    truths = shape.truths
    kinds = Counter(t.kind for t in truths.values())
    return ShapeResult(shape.name, shape.describe(), len(truths), kinds,
                       floor(shape.urls, settings.host_interval, truths), shape.dominated,
                       {name: tool_run(run, truths) for name, run in runs.items()})
