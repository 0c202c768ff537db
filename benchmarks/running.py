"""Running one tool against a freshly built world and measuring it.

The world is reset and the scenario rebuilt before each tool, so both see the same
internet. Wall time and peak RSS come from a small launcher (``LAUNCHER``) that starts
the tool and waits for it: Linux counts in a child's peak RSS the memory of the process
it was started from, so a tool started straight from this harness (a hundred megabytes
and more, holding the world) would report at least the harness's size. The launcher's
own few megabytes are the floor instead. Requests come from the proxy's own log.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from tests.world.model import RequestRecord, World
from tests.world.proxy import WorldProxy

from benchmarks.scoring import Outcome

RUN_TIMEOUT = 3600.0  # seconds; a tool still running after this is killed
# Run as ``python -S -c LAUNCHER REPORT CMD...``: starts CMD (stdio and environment
# inherited), waits for it, writes "wall maxrss_kib" to REPORT, exits with its code.
LAUNCHER = """\
import os, sys, time
start = time.monotonic()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.monotonic() - start
with open(sys.argv[1], "w") as report:
    report.write(f"{wall} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


class Buildable(Protocol):
    """A scenario that can set up a world (corpus or synthetic)."""

    def build(self, world: World) -> None: ...


@dataclasses.dataclass(frozen=True)
class Measured:
    """What running one command cost."""

    wall: float  # seconds
    maxrss_kib: int
    returncode: int
    stderr_tail: str


@dataclasses.dataclass(frozen=True)
class RunResult:
    """One tool's run: its command, costs, verdicts and the requests the world saw."""

    name: str
    command: list[str]
    wall: float
    maxrss_kib: int
    returncode: int
    outcomes: dict[str, Outcome]
    log: list[RequestRecord]
    stderr_tail: str


def run_measured(cmd: list[str], env: dict[str, str], cwd: Path, out: Path,
                 timeout: float = RUN_TIMEOUT) -> Measured:
    """Run ``cmd`` with stdout in ``out`` (stderr beside it) and measure it."""
    err = out.with_suffix(".stderr")
    report = out.with_suffix(".measured")
    report.unlink(missing_ok=True)
    with open(out, "wb") as fo, open(err, "wb") as fe:
        proc = subprocess.Popen([sys.executable, "-S", "-c", LAUNCHER, str(report), *cmd],
                                env=env, cwd=cwd, stdout=fo, stderr=fe,
                                start_new_session=True)
        try:
            returncode = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            returncode = proc.wait()
    wall, maxrss = report.read_text().split() if report.exists() else ("nan", "0")
    return Measured(float(wall), int(maxrss), returncode,
                    err.read_text(errors="replace")[-2000:])


def fresh_world(proxy: WorldProxy, scenario: Buildable) -> World:
    """Reset the proxy and build ``scenario`` into it."""
    world = World.on(proxy)
    scenario.build(world)
    return world


def run_tool(name: str, cmd: list[str], proxy: WorldProxy, scenario: Buildable, workdir: Path,
             parse: Callable[[dict[str, Any]], dict[str, Outcome]], report_file: Path | None,
             env_extra: dict[str, str]) -> RunResult:
    """Run one tool against a fresh world; its report is stdout unless ``report_file``."""
    world = fresh_world(proxy, scenario)
    env = {**world.env, **env_extra, "NO_COLOR": "1"}
    stdout = workdir / f"{name}.stdout"
    m = run_measured(cmd, env, workdir, stdout)
    raw = (report_file or stdout).read_text()
    try:
        outcomes = parse(json.loads(raw))
    except (ValueError, KeyError) as exc:
        sys.exit(f"{name}: unreadable JSON report ({exc}); stderr:\n{m.stderr_tail}")
    raw_log = proxy.log()
    (workdir / f"{name}.requests.json").write_text(json.dumps(raw_log), encoding="utf-8")
    log = [RequestRecord.from_json(r) for r in raw_log]
    return RunResult(name, cmd, m.wall, m.maxrss_kib, m.returncode, outcomes, log,
                     m.stderr_tail)
