"""The section of BENCHMARKS.md on the issue's two real-list shapes, and their rows of the
targets; every figure comes from a :class:`~benchmarks.shapes.ShapeResult` of this run."""

from __future__ import annotations

from benchmarks.floor import explained, times_floor
from benchmarks.scale_report import DOMINATED_TARGET, LYCHEE_TARGET, TOOLS, ListPair
from benchmarks.scholar import KNOWS
from benchmarks.shapes import ShapeResult
from benchmarks.tools import Settings

# Hosts whose requests are shown one by one (the rest are summed as "other").
SERVICES = ("api.github.com", "github.com", "export.arxiv.org", "arxiv.org",
            "img.shields.io", "api.semanticscholar.org", "dblp.org")


def pair_of(result: ShapeResult) -> ListPair:
    """The figures the targets judge (listwatch's correctness, both tools' costs)."""
    lw, ly = result.runs["listwatch"], result.runs["lychee"]
    return ListPair(result.name, (lw.wall, ly.wall), (lw.requests, ly.requests),
                    sum(lw.score.false_broken.values()), len(lw.score.dead_missed),
                    DOMINATED_TARGET if result.dominated else LYCHEE_TARGET,
                    floors=(result.floor.seconds, result.floor.requests))


def ratio(a: float, b: float) -> str:
    return "n/a" if not b else f"{a / b:.2f}"


def shape_lines(result: ShapeResult, settings: Settings) -> list[str]:
    """One list's subsection: what it is, its truths, both tools side by side."""
    lw, ly = result.runs["listwatch"], result.runs["lychee"]
    fl = result.floor
    dead = sum(n for k, n in result.kinds.items() if k.startswith("dead-"))
    moved = sum(n for k, n in result.kinds.items() if k.startswith("moved-"))
    title = result.name.removeprefix("the ")
    out = [f"### {title[:1].upper()}{title[1:]}", "",
           result.text + " " + KNOWS, "",
           "Truths: " + ", ".join(f"{k} {n}" for k, n in sorted(result.kinds.items()))
           + f" ({result.urls} URLs).", "",
           "| measure | listwatch | lychee | ratio |", "| --- | ---: | ---: | ---: |"]

    def row(label: str, a: object, b: object, r: str = "") -> None:
        out.append(f"| {label} | {a} | {b} | {r} |")

    row("wall time (s)", f"{lw.wall:.1f}", f"{ly.wall:.1f}", ratio(lw.wall, ly.wall))
    row(f"politeness floor: {fl.describe()} (s)", f"{fl.seconds:.1f}", f"{fl.seconds:.1f}", "")
    row("wall / floor", times_floor(lw.wall, fl.seconds), times_floor(ly.wall, fl.seconds), "")
    row("requests sent", lw.requests, ly.requests, ratio(lw.requests, ly.requests))
    row("least requests (floor)", fl.requests, fl.requests, "")
    for host in SERVICES:
        if lw.by_host[host] or ly.by_host[host]:
            row(f"&nbsp;&nbsp;to {host}", lw.by_host[host], ly.by_host[host], "")
    others = [sum(n for h, n in run.by_host.items() if h not in SERVICES) for run in (lw, ly)]
    row("&nbsp;&nbsp;to other hosts", others[0], others[1], "")
    row("peak RSS (MB)", f"{lw.rss_mb:.0f}", f"{ly.rss_mb:.0f}", ratio(lw.rss_mb, ly.rss_mb))
    row("scored URLs reported (absent)", f"{lw.score.checked} ({lw.score.missing})",
        f"{ly.score.checked} ({ly.score.missing})", "")
    row("false broken (valid links called broken)", sum(lw.score.false_broken.values()),
        sum(ly.score.false_broken.values()), "")
    row(f"dead links missed (of {dead})", len(lw.score.dead_missed), len(ly.score.dead_missed),
        "")
    row(f"moved links reported with their destination (of {moved})",
        lw.score.moved_with_dest, ly.score.moved_with_dest, "")
    row("exit code", lw.returncode, ly.returncode, "")
    out.append("")
    for name in TOOLS:
        s = result.runs[name].score
        wrong = [f"false broken: {x}" for x in s.false_examples] + [
            f"missed dead: {x}" for x in s.dead_missed[:6]]
        if wrong:
            out += [f"{name} misjudged ({len(s.dead_missed)} dead missed, "
                    f"{sum(s.false_broken.values())} false broken; the first shown):", ""]
            out += [f"- {x}" for x in wrong] + [""]
    return out


def shapes_lines(results: list[ShapeResult], *, seed: int, settings: Settings) -> list[str]:
    """The "Real-list shapes" section of BENCHMARKS.md."""
    out = ["## The issue's real-list shapes", "",
           "Issue 11 measured two unseen real lists; these are lists of the same make-up, "
           f"generated with seed {seed} from the corpus lists' own links and checked in the "
           "same run, the same proxy, one tool after the other in a freshly built world, "
           f"with the issue's politeness: {settings.describe()}. "
           + explained(settings.host_interval) + " A badge of a deleted repository counts "
           "as dead and one of a renamed repository as moved (destination: the badge of the "
           "new name), since the image shows that repository.", ""]
    for result in results:
        out += shape_lines(result, settings)
    return out
