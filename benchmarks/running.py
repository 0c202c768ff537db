"""Running one tool against a freshly built world and measuring it.

The world is reset and the scenario rebuilt before each tool, so both see the same
internet. Wall time is the child's, peak RSS comes from ``wait4`` (the largest process of
the tool's tree), requests from the proxy's own log.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from tests.world.model import RequestRecord, World
from tests.world.proxy import WorldProxy

from benchmarks.scoring import Outcome

RUN_TIMEOUT = 3600.0  # seconds; a tool still running after this is killed


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
    with open(out, "wb") as fo, open(err, "wb") as fe:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=fo, stderr=fe)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
            time.sleep(0.02)
        wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(wall, int(usage.ru_maxrss), proc.returncode,
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
