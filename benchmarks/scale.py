"""Both tools on synthetic lists of growing size: cost, correctness, linearity, floor.

For each size a fresh synthetic list is generated (same seed), both tools check it
through the same freshly built world, and their time, peak RSS and requests are kept
with their scores. :func:`fit` tells whether cost grows linearly; :func:`politeness_floor`
gives the fastest time the politeness settings allow for the requests listwatch sent.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from pathlib import Path

from tests.world.model import RequestRecord
from tests.world.proxy import WorldProxy

from benchmarks.floor import Floor as PageFloor
from benchmarks.floor import floor as page_floor
from benchmarks.running import run_tool
from benchmarks.scoring import Score, listwatch_outcomes, lychee_outcomes, score
from benchmarks.synthetic import SyntheticList, generate
from benchmarks.tools import Settings, listwatch_command, lychee_command, write_config

ARXIV_API = "export.arxiv.org"
ARXIV_INTERVAL = 3.0  # seconds between arXiv API requests, as its terms of use ask
ARXIV_BATCH = 1000  # ids per arXiv request the issue asks for (10 requests at 10k papers)

# Politeness for the synthetic lists (the settings): 10 in flight and 50 ms apart
# per host, everything else as for the corpus lists.
SYNTHETIC_SETTINGS = Settings(host_concurrency=10, host_interval=0.05)


@dataclasses.dataclass(frozen=True)
class Floor:
    """The fastest wall time the politeness rules allow.

    The busiest host (the arXiv API aside) with request starts ``host_interval`` apart,
    plus the arXiv API with starts ``ARXIV_INTERVAL`` apart; n requests need n - 1 gaps.
    The arXiv part is given twice: for the arXiv requests listwatch sent, and for the
    fewest the issue allows (``ARXIV_BATCH`` ids per request).
    """

    slowest_host: str
    slowest_requests: int
    host_floor: float
    arxiv_requests: int  # sent
    arxiv_needed: int  # ceil(papers / ARXIV_BATCH)

    @property
    def arxiv_floor(self) -> float:
        return max(self.arxiv_requests - 1, 0) * ARXIV_INTERVAL

    @property
    def arxiv_needed_floor(self) -> float:
        return max(self.arxiv_needed - 1, 0) * ARXIV_INTERVAL

    @property
    def total(self) -> float:
        """With the arXiv requests listwatch sent."""
        return self.host_floor + self.arxiv_floor

    @property
    def total_batched(self) -> float:
        """With the fewest arXiv requests the issue allows."""
        return self.host_floor + self.arxiv_needed_floor


@dataclasses.dataclass(frozen=True)
class ToolCost:
    """One tool on one list: costs and score."""

    wall: float
    maxrss_kib: int
    requests: int
    returncode: int
    score: Score
    floor: Floor

    @property
    def rss_mb(self) -> float:
        return self.maxrss_kib * 1024 / 1e6


@dataclasses.dataclass(frozen=True)
class SizeResult:
    """Both tools on one synthetic list."""

    size: int
    urls: int
    tools: dict[str, ToolCost]
    pages: PageFloor  # the list's own floor: its busiest host's pages no API covers


@dataclasses.dataclass(frozen=True)
class Fit:
    """Least-squares line ``y = slope * x + intercept`` and its R²."""

    slope: float
    intercept: float
    r2: float


def fit(xs: list[float], ys: list[float]) -> Fit:
    """Ordinary least squares of ``ys`` on ``xs`` (at least two distinct xs)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx if sxx else math.nan
    intercept = my - slope * mx
    ss_res = sum((y - (slope * x + intercept)) ** 2 for x, y in zip(xs, ys, strict=True))
    ss_tot = sum((y - my) ** 2 for y in ys)
    r2 = 1 - ss_res / ss_tot if ss_tot else 1.0
    return Fit(slope, intercept, r2)


def sent(log: list[RequestRecord]) -> list[RequestRecord]:
    """Requests that reached a server (refused CONNECTs to unknown names aside)."""
    return [r for r in log if r.method != "CONNECT"]


def politeness_floor(log: list[RequestRecord], host_interval: float, papers: int) -> Floor:
    """The floor for these requests, on a list of ``papers`` arXiv papers."""
    counts = Counter(r.host for r in sent(log))
    arxiv = counts.pop(ARXIV_API, 0)
    host, n = counts.most_common(1)[0] if counts else ("-", 0)
    return Floor(host, n, max(n - 1, 0) * host_interval, arxiv, math.ceil(papers / ARXIV_BATCH))


def measure_size(size: int, *, seed: int, latency_ms: int, proxy: WorldProxy, work: Path,
                 listwatch: str, lychee: str, token: str,
                 settings: Settings = SYNTHETIC_SETTINGS) -> SizeResult:
    """Generate the list of ``size`` entries and run both tools on it."""
    work.mkdir(parents=True, exist_ok=True)
    synthetic = generate(size, seed, latency_ms)
    root = work / "list"
    synthetic.write(root)
    config = write_config(work / "config.toml", [root], settings, work / "state" / "state.db")
    lychee_json = work / "lychee.json"
    truths = synthetic.truths
    env = {"GITHUB_TOKEN": token}
    runs = {
        "listwatch": run_tool("listwatch", listwatch_command(listwatch, config), proxy,
                              synthetic, work, listwatch_outcomes, None, env),
        "lychee": run_tool("lychee", lychee_command(lychee, settings, lychee_json, [root]),
                           proxy, synthetic, work, lychee_outcomes, lychee_json, env),
    }
    tools = {
        name: ToolCost(run.wall, run.maxrss_kib, len(sent(run.log)), run.returncode,
                       score(run.outcomes, truths),
                       politeness_floor(run.log, settings.host_interval, size))
        for name, run in runs.items()}
    return SizeResult(size, len(truths), tools, page_floor(truths, settings.host_interval))


def describe(synthetic: SyntheticList) -> Counter[str]:
    """How many URLs of each truth the list has."""
    return Counter(t.kind for t in synthetic.truths.values())
