"""The synthetic-list section of BENCHMARKS.md, the targets of issue 11, and the plot.

Everything here is computed from :class:`~benchmarks.scale.SizeResult` values measured in
the same run; no figure is typed by hand.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from pathlib import Path

from benchmarks.scale import (
    ARXIV_BATCH,
    ARXIV_INTERVAL,
    SYNTHETIC_SETTINGS,
    Fit,
    SizeResult,
    ToolCost,
    fit,
)
from benchmarks.scholar import KNOWS
from benchmarks.synthetic import DEAD_SHARE, HOSTS, MOVED_SHARE
from benchmarks.tools import Settings

TOOLS = ("listwatch", "lychee")
RSS_TARGET_MB = 150.0
FLOOR_TARGET = 1.5  # wall time within this many times the politeness floor
LYCHEE_TARGET = 0.5  # wall time and requests at most this share of lychee's
DOMINATED_TARGET = 0.2  # wall time on lists dominated by GitHub and arXiv links
TARGET_SIZE = 10_000


@dataclasses.dataclass(frozen=True)
class ListPair:
    """Both tools' wall time, requests and correctness on one list (for the targets)."""

    name: str
    walls: tuple[float, float]  # listwatch, lychee
    requests: tuple[int, int]
    false_broken: int  # listwatch's
    dead_missed: int  # listwatch's
    time_target: float = LYCHEE_TARGET  # wall time at most this share of lychee's
    floors: tuple[float, int] | None = None  # the least time and requests of a polite tool


@dataclasses.dataclass(frozen=True)
class Target:
    """One target of the issue and whether the measured figures meet it."""

    text: str
    measured: str
    met: bool
    out_of_reach: bool = False  # the politeness floor itself is above the target


def pair_of(result: SizeResult) -> ListPair:
    lw, ly = result.tools["listwatch"], result.tools["lychee"]
    return ListPair(f"synthetic {result.size}", (lw.wall, ly.wall), (lw.requests, ly.requests),
                    sum(lw.score.false_broken.values()), len(lw.score.dead_missed))


def targets(pairs: list[ListPair], sizes: list[SizeResult]) -> list[Target]:
    """The issue's targets against these measurements (scale ones at the largest size)."""
    out: list[Target] = []
    if sizes:
        big = max(sizes, key=lambda r: r.size)
        lw = big.tools["listwatch"]
        at = f"at {big.size} entries" + ("" if big.size == TARGET_SIZE
                                         else f" (the target is stated at {TARGET_SIZE})")
        out.append(Target(f"peak RSS ≤ {RSS_TARGET_MB:.0f} MB {at}", f"{lw.rss_mb:.0f} MB",
                          lw.rss_mb <= RSS_TARGET_MB))
        for floor, which in ((lw.floor.total, "the arXiv requests listwatch sent"),
                             (lw.floor.total_batched,
                              f"{ARXIV_BATCH} arXiv ids per request, as the issue asks")):
            share = lw.wall / floor if floor else float("inf")
            out.append(Target(f"wall time ≤ {FLOOR_TARGET}× the politeness floor ({which}) "
                              f"{at}", f"{lw.wall:.1f} s / {floor:.1f} s = {share:.2f}×",
                              share <= FLOOR_TARGET))
    for label, index in (("wall time", 0), ("requests", 1)):
        for p in pairs:
            a, b = (p.walls if index == 0 else p.requests)
            r = a / b if b else float("inf")
            shown = f"{a:.1f} s / {b:.1f} s" if index == 0 else f"{a} / {b}"
            share = p.time_target if index == 0 else LYCHEE_TARGET
            measured = f"{shown} = {r:.2f}×"
            reach = False
            if p.floors is not None and b:
                least = p.floors[index]
                reach = least / b > share
                least_shown = f"{least:.1f} s" if index == 0 else str(least)
                measured += f" (floor {least_shown} = {least / b:.2f}×)"
            out.append(Target(f"{label} ≤ {share}× lychee's on {p.name}", measured,
                              r <= share, out_of_reach=reach and r > share))
    for p in pairs:
        out.append(Target(f"no valid link called broken, no dead link missed on {p.name}",
                          f"{p.false_broken} false broken, {p.dead_missed} missed",
                          p.false_broken == 0 and p.dead_missed == 0))
    return out


def targets_lines(rows: list[Target]) -> list[str]:
    met = sum(t.met for t in rows)
    beyond = sum(t.out_of_reach for t in rows)
    lines = ["## Targets of issue 11", "",
             f"{met} of {len(rows)} met, judged from the figures above by the harness"
             + (f"; {beyond} more out of reach of any polite tool (the list's politeness floor, "
                "in brackets, is above the target)" if beyond else "") + ".", "",
             "| target | measured | met |", "| --- | --- | --- |"]
    lines += [f"| {t.text} | {t.measured} | {_judged(t)} |" for t in rows]
    return [*lines, ""]


def _judged(target: Target) -> str:
    if target.met:
        return "met"
    return "not met: below the politeness floor" if target.out_of_reach else "not met"


def _cost_row(r: SizeResult) -> str:
    lw, ly = r.tools["listwatch"], r.tools["lychee"]
    return (f"| {r.size} | {r.urls} | {lw.wall:.1f} | {ly.wall:.1f} | {_ratio(lw.wall, ly.wall)} "
            f"| {lw.requests} | {ly.requests} | {_ratio(lw.requests, ly.requests)} "
            f"| {lw.rss_mb:.0f} | {ly.rss_mb:.0f} | {lw.returncode} / {ly.returncode} |")


def _ratio(a: float, b: float) -> str:
    return "n/a" if not b else f"{a / b:.2f}"


def _per_entry_row(r: SizeResult) -> str:
    cells = [str(r.size)]
    for name in TOOLS:
        c = r.tools[name]
        cells += [f"{c.wall / r.size * 1000:.1f}", f"{c.requests / r.size:.2f}"]
    return "| " + " | ".join(cells) + " |"


MEASURES: dict[str, tuple[str, Callable[[ToolCost], float]]] = {
    "wall time": ("s", lambda c: c.wall),
    "requests": ("", lambda c: float(c.requests)),
    "peak RSS": ("MB", lambda c: c.rss_mb),
}


def fits(sizes: list[SizeResult]) -> dict[tuple[str, str], tuple[Fit, Fit]]:
    """Per tool and measure: the least-squares line against the number of entries, and
    the line of log(measure) against log(entries), whose slope is the growth exponent."""
    xs = [float(r.size) for r in sizes]
    out = {}
    for name in TOOLS:
        for measure, (_, get) in MEASURES.items():
            ys = [get(r.tools[name]) for r in sizes]
            logs = fit([math.log(x) for x in xs], [math.log(max(y, 1e-9)) for y in ys])
            out[name, measure] = (fit(xs, ys), logs)
    return out


def _correctness_rows(sizes: list[SizeResult]) -> list[str]:
    rows = []
    for r in sizes:
        for name in TOOLS:
            s = r.tools[name].score
            dead = sum(s.dead_found.values()) + len(s.dead_missed)
            rows.append(f"| {r.size} | {name} | {s.checked} | {s.missing} "
                         f"| {sum(s.false_broken.values())} | {len(s.dead_missed)} of {dead} "
                         f"| {s.moved_with_dest} of {s.moved_total} |")
    return rows


def scale_lines(sizes: list[SizeResult], *, seed: int, latency_ms: int, plot: Path | None,
                settings: Settings = SYNTHETIC_SETTINGS) -> list[str]:
    """The "Synthetic lists" section of BENCHMARKS.md."""
    add: list[str] = []
    add += ["## Synthetic lists at scale", "",
            f"Generated with seed {seed}: each entry has an arXiv link, a GitHub link and a "
            f"homepage on one of {HOSTS} hosts; {DEAD_SHARE:.0%} of the entries have one "
            "dead link (a 404 homepage, a deleted repository or an arXiv id that does not "
            f"exist) and {MOVED_SHARE:.0%} one moved link (a homepage answering 301 or a "
            f"renamed repository). Every paper is a preprint: {KNOWS} Homepage hosts "
            f"answer after {latency_ms} ms; the fake "
            "GitHub and arXiv answer without added latency. Both tools run one after the "
            "other on each size, in a freshly built world, with: "
            f"{settings.describe()}.", ""]
    add += ["| entries | URLs | wall listwatch (s) | wall lychee (s) | ratio "
            "| requests listwatch | requests lychee | ratio | peak RSS listwatch (MB) "
            "| peak RSS lychee (MB) | exit codes |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    add += [_cost_row(r) for r in sizes]
    add += ["", "### Does cost grow linearly?", "",
            "Cost per entry at each size (constant when cost is linear without a large "
            "fixed part):", "",
            "| entries | listwatch ms per entry | listwatch requests per entry "
            "| lychee ms per entry | lychee requests per entry |",
            "| ---: | ---: | ---: | ---: | ---: |"]
    add += [_per_entry_row(r) for r in sizes]
    if len(sizes) >= 3:
        add += ["", "Least-squares lines against the number of entries: R² near 1 means the "
                "points lie on a line; the growth exponent b (slope of log cost against log "
                "entries, cost ∝ entries^b) is 1 for linear growth, below 1 when a fixed part "
                "(start-up, arXiv pacing) weighs on the small lists, above 1 for faster than "
                "linear growth.", "",
                "| tool | measure | per 1,000 entries | fixed part | R² | exponent b |",
                "| --- | --- | ---: | ---: | ---: | ---: |"]
        for (name, measure), (line, logs) in fits(sizes).items():
            unit = MEASURES[measure][0]
            add.append(f"| {name} | {measure}{f' ({unit})' if unit else ''} "
                       f"| {line.slope * 1000:.1f} | {line.intercept:.1f} | {line.r2:.3f} "
                       f"| {logs.slope:.2f} |")
    else:
        add += ["", "A least-squares fit needs three sizes or more (`--sizes`)."]
    add += ["", "### Politeness floor", "",
            "The fastest listwatch could be: its busiest host (the arXiv API aside) with "
            f"request starts {settings.host_interval} s apart, plus the arXiv API with "
            f"starts {ARXIV_INTERVAL:.0f} s apart (n requests need n − 1 gaps), once for the "
            "arXiv requests listwatch sent and once for the fewest the issue allows "
            f"(one per {ARXIV_BATCH} papers). The list's own floor, the same for any polite "
            "tool, is its busiest host's distinct pages that no API covers (homepages here; "
            f"GitHub repositories and arXiv papers are covered), n − 1 gaps of "
            f"{settings.host_interval} s; both tools' wall times are set against it.", "",
            "| entries | busiest host (requests) | host floor (s) | arXiv requests sent "
            "| floor with them (s) | arXiv requests needed | floor with them (s) "
            "| listwatch wall (s) | wall / floor (sent) | wall / floor (needed) "
            "| list's floor: busiest host (pages), s | wall / it: listwatch | lychee |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- "
            "| ---: | ---: |"]
    for r in sizes:
        lw = r.tools["listwatch"]
        fl = lw.floor
        add.append(f"| {r.size} | {fl.slowest_host} ({fl.slowest_requests}) "
                   f"| {fl.host_floor:.1f} | {fl.arxiv_requests} | {fl.total:.1f} "
                   f"| {fl.arxiv_needed} | {fl.total_batched:.1f} | {lw.wall:.1f} "
                   f"| {_ratio(lw.wall, fl.total)} | {_ratio(lw.wall, fl.total_batched)} "
                   f"| {r.pages.host} ({r.pages.pages}), {r.pages.seconds:.1f} "
                   f"| {_ratio(lw.wall, r.pages.seconds)} "
                   f"| {_ratio(r.tools['lychee'].wall, r.pages.seconds)} |")
    add += ["", "### Correctness on the synthetic lists", "",
            "| entries | tool | scored URLs reported | absent | false broken "
            "| dead missed | moved with destination |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    add += _correctness_rows(sizes)
    add.append("")
    if plot is not None:
        add += [f"![time, memory and requests against list size]({plot})", ""]
    return add


def draw(sizes: list[SizeResult], path: Path, subtitle: str) -> None:
    """Plot wall time, peak RSS and requests against list size for both tools (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [r.size for r in sizes]
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.2))
    for ax, (measure, (unit, get)) in zip(axes, MEASURES.items(), strict=True):
        for name, style in zip(TOOLS, ("o-", "s--"), strict=True):
            ax.plot(xs, [get(r.tools[name]) for r in sizes], style, label=name)
        ax.set_xlabel("entries in the list")
        ax.set_ylabel(f"{measure} ({unit})" if unit else measure)
        ax.set_title(measure)
        ax.grid(True, alpha=0.3)
        ax.set_ylim(bottom=0)
        ax.legend()
    fig.suptitle(f"listwatch vs lychee on synthetic lists — {subtitle}", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
