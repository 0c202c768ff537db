"""The seed list's `run --dry-run`, now and at a baseline commit, for BENCHMARKS.md.

The baseline's ``src`` is exported with ``git archive`` and run against the same world
(rebuilt identically), so the two runs differ only in listwatch's code; the proposals of
both cold runs are compared byte for byte (as JSON with sorted keys).
"""

from __future__ import annotations

import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from tests.world.proxy import WorldProxy

from benchmarks.scale_report import Target
from benchmarks.seed_dry_run import SeedRun, measure
from benchmarks.tools import byte_compiled

ROOT = Path(__file__).resolve().parents[1]
# The last commit before the issue 11 work (the arXiv batching came next).
BASELINE = "934a5b0"
WALL_TARGET = 10.0  # seconds, the target for the cold dry run


@dataclass(frozen=True)
class SeedComparison:
    baseline: str  # the commit, as given
    now: SeedRun
    before: SeedRun

    @property
    def identical(self) -> bool:
        return self.now.cold.proposals == self.before.cold.proposals


def export_src(commit: str, into: Path) -> Path:
    """``commit``'s ``src`` directory, unpacked under ``into``."""
    into.mkdir(parents=True, exist_ok=True)
    archive = into / "src.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive),
                    commit, "src"], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return byte_compiled(into / "src")


def compare(proxy: WorldProxy, work: Path, baseline: str = BASELINE) -> SeedComparison:
    now = measure(proxy, work / "now")
    before = measure(proxy, work / "before", code=export_src(baseline, work / "baseline"))
    return SeedComparison(baseline, now, before)


def seed_lines(seed: SeedComparison) -> list[str]:
    lines = [
        "## The seed list: `listwatch run --dry-run`", "",
        "The default config's target (mental2008/awesome-papers, every file under "
        "`paper-list/`), in a world where every link answers and GitHub, arXiv and doi.org "
        "know what the list links to; each preprint gets what the real services typically "
        "hold, drawn with a fixed seed (`benchmarks/seed_dry_run.py`): "
        + "; ".join(f"{what}: {n}" for what, n in sorted(seed.now.seeded.items())) + ". "
        "The embedded defaults (no `[http]` section), a fresh state database, then a second "
        "run on it within the cache ages. The same world and list, rebuilt identically, run "
        f"with the code of commit {seed.baseline} (before the issue 11 work, with its own "
        "defaults).", "",
        "| code | cold wall (s) | cold requests | warm wall (s) | warm requests | proposals |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, run in (("now", seed.now), (seed.baseline, seed.before)):
        lines.append(f"| {name} | {run.cold.wall:.1f} | {run.cold.requests} | "
                     f"{run.warm.wall:.1f} | {run.warm.requests} | "
                     f"{len(run.cold.proposals)} |")
    busy = sorted(seed.now.cold.hosts.items(), key=lambda item: -item[1])[:5]
    lines += ["", "Proposals identical to the baseline's: "
              + ("yes" if seed.identical else "no") + ". The busiest hosts of the cold run "
              "now (requests, first start – last end after launch): "
              + "; ".join(f"{host} {n} ({seed.now.cold.spans[host][0]:.1f}–"
                          f"{seed.now.cold.spans[host][1]:.1f} s)" for host, n in busy) + ".",
              ""]
    return lines


def seed_targets(seed: SeedComparison) -> list[Target]:
    cold, warm = seed.now.cold, seed.now.warm
    share = warm.requests / cold.requests if cold.requests else 0.0
    return [
        Target(f"seed-list dry run ≤ {WALL_TARGET:.0f} s, proposals identical to "
               f"{seed.baseline}'s", f"{cold.wall:.1f} s, "
               + ("identical" if seed.identical else "different"),
               cold.wall <= WALL_TARGET and seed.identical),
        Target("a warm run sends ≤ 0.1× the cold run's requests (seed list)",
               f"{warm.requests} / {cold.requests} = {share:.2f}×", share <= 0.1),
    ]
