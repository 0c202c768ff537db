"""SIGKILL at seeded random points of `check` and `run` (publishing): the store stays
consistent and the next run converges to what uninterrupted runs give.

A killed run may leave a run record without ``finished_at``; its verdicts must not
count toward "broken". So after every kill the store passes ``PRAGMA
integrity_check``, and a dead link's streak (``failing (n/10)``) equals the number
of runs that finished. For `run`, the repository ends with one pull request holding
exactly the edit an uninterrupted run makes.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from .helpers import by_url, load
from .test_publish import BRANCH, LIST, RENAMED, REPO, setup

pytestmark = pytest.mark.e2e

KILLS = 6
DEAD = "https://papers.example/gone"
LIST_WITH_DEAD = LIST + f"* Gone paper (ATC 2021) \\[[Paper]({DEAD})]\n"


def _setup(world: Any, tmp_path: Path) -> Path:
    """test_publish's list repository plus a dead link, with a streak of 10 runs."""
    config = setup(world, tmp_path, text=LIST_WITH_DEAD)
    world.host("papers.example").route("/gone", status=404)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[check]\n", "[check]\nfail_runs = 10\nfail_hours = 0\n",
                                   1), encoding="utf-8")
    return config


def _start(world: Any, config: Path, command: str) -> subprocess.Popen[bytes]:
    env = {**world.env, "GITHUB_TOKEN": world.github_token}
    return subprocess.Popen([sys.executable, "-m", "listwatch", command, "--config",
                             str(config), "--format", "json"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _complete(world: Any, config: Path, command: str) -> tuple[dict[str, Any], float]:
    started = time.monotonic()
    result = world.run_cli(command, "--config", str(config), "--format", "json",
                           extra_env={"GITHUB_TOKEN": world.github_token})
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    return load(result.stdout), time.monotonic() - started


def _store(config: Path) -> Path:
    return config.parent / ".listwatch" / "state.db"


def _consistent(db: Path) -> tuple[int, int]:
    """integrity_check passes; returns (finished runs, unfinished runs)."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        finished = conn.execute(
            "SELECT count(*) FROM runs WHERE finished_at IS NOT NULL").fetchone()[0]
        unfinished = conn.execute(
            "SELECT count(*) FROM runs WHERE finished_at IS NULL").fetchone()[0]
    conn.close()
    return finished, unfinished


def _kill_at_random(world: Any, config: Path, command: str, span: float, seed: int
                    ) -> list[str]:
    """KILLS runs of ``command``, each SIGKILLed after a seeded random delay."""
    rng = random.Random(seed)
    points = []
    for _ in range(KILLS):
        delay = rng.uniform(0.0, span)
        proc = _start(world, config, command)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        code = proc.wait()
        points.append(f"{delay:.2f}s:{'killed' if code == -signal.SIGKILL else code}")
        _consistent(_store(config))
    return points


def _streak(report: dict[str, Any]) -> str:
    return str(by_url(report)[DEAD]["detail"])


@pytest.mark.parametrize("seed", [12, 2024])
def test_sigkill_during_check_keeps_the_store_and_the_streak(world, tmp_path: Path,
                                                             seed: int) -> None:
    config = _setup(world, tmp_path)
    report, span = _complete(world, config, "check")
    assert _streak(report).startswith("failing (1/10)")
    points = _kill_at_random(world, config, "check", span, seed)
    report, _ = _complete(world, config, "check")
    finished, unfinished = _consistent(_store(config))
    print(f"\n[sigkill check seed={seed}] run {span:.2f}s; kills {points}; "
          f"finished {finished}, unfinished {unfinished}")
    # only finished runs count: kills after the run was recorded finished are runs too
    assert _streak(report).startswith(f"failing ({finished}/10)"), (_streak(report), finished)


@pytest.mark.parametrize("seed", [7, 99])
def test_sigkill_during_run_converges_to_one_pull_request(world, tmp_path: Path,
                                                          seed: int) -> None:
    config = _setup(world, tmp_path)
    _, span = _complete(world, config, "check")  # kill points span about two runs
    points = _kill_at_random(world, config, "run", span * 2, seed)
    killed_writes = [f"{r.method} {r.path}" for r in world.requests("api.github.com")
                     if r.method in ("POST", "PATCH", "PUT", "DELETE") and r.path != "/graphql"]
    _complete(world, config, "run")
    again, _ = _complete(world, config, "run")
    finished, unfinished = _consistent(_store(config))
    print(f"\n[sigkill run seed={seed}] span {span:.2f}s; kills {points}; "
          f"finished {finished}, unfinished {unfinished}; GitHub writes before the kills "
          f"ended: {killed_writes}")
    assert _streak(again).startswith(f"failing ({finished}/10)"), (_streak(again), finished)
    pulls = world.github.pulls(REPO)
    assert len(pulls) == 1 and pulls[0]["state"] == "open" and pulls[0]["head_ref"] == BRANCH
    assert world.github.branch_files(REPO)["list.md"] == LIST_WITH_DEAD  # base untouched
    assert world.github.branch_files(REPO, BRANCH)["list.md"] == RENAMED + (
        f"* Gone paper (ATC 2021) \\[[Paper]({DEAD})]\n")
    issues = [i for i in world.github.issues(REPO) if not i.get("pull_request")]
    titles = [i["title"] for i in issues]
    assert len(titles) == len(set(titles)) == 1, titles  # one dashboard, as uninterrupted
    [published] = again["published"]
    assert published["pull_request"]["action"] == "unchanged"  # converged: nothing left


@pytest.mark.parametrize("after", ["POST /repos/owner/list/git/refs",
                                   "POST /repos/owner/list/pulls",
                                   "POST /repos/owner/list/issues"])
def test_sigkill_right_after_a_publishing_write_converges(world, tmp_path: Path,
                                                          after: str) -> None:
    config = _setup(world, tmp_path)
    proc = _start(world, config, "run")
    deadline = time.monotonic() + 60
    while not any(f"{r.method} {r.path}" == after for r in world.requests("api.github.com")):
        assert proc.poll() is None, "the run ended before the write"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    _consistent(_store(config))
    _complete(world, config, "run")
    again, _ = _complete(world, config, "run")
    finished, _ = _consistent(_store(config))
    assert _streak(again).startswith(f"failing ({finished}/10)")
    pulls = world.github.pulls(REPO)
    assert len(pulls) == 1 and pulls[0]["state"] == "open" and pulls[0]["head_ref"] == BRANCH
    assert world.github.branch_files(REPO, BRANCH)["list.md"] == RENAMED + (
        f"* Gone paper (ATC 2021) \\[[Paper]({DEAD})]\n")
    titles = [i["title"] for i in world.github.issues(REPO) if not i.get("pull_request")]
    assert len(titles) == len(set(titles)) == 1, titles
    [published] = again["published"]
    assert published["pull_request"]["action"] == "unchanged"
