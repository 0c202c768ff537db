"""Interruption and concurrency (issue 12, items 9 and 10): Ctrl-C and SIGTERM stop
`check` with one line and roll its run back; the worker finishes its run in flight
before it says "stopped", however many signals it gets; a second run on the same
state store stops with one line instead of counting as a run."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from listwatch.state import Store

from .helpers import make_list

pytestmark = pytest.mark.e2e

SLOW = "".join(f"* Paper {i} \\[[P](https://slow{i}.example/p)]\n" for i in range(8))


def slow_list(world: Any, tmp_path: Path) -> Path:
    """Eight links that each take 3 s to answer (two requests in flight when stopped)."""
    with world.batch():
        for i in range(8):
            world.host(f"slow{i}.example").route("/p", status=200, delay_ms=3000)
    return make_list(tmp_path, {"list.md": SLOW}, extra="[http]\ntimeout = 20\n")


def runs(config: Path) -> list[tuple[int, str | None]]:
    db = sqlite3.connect(config.parent / ".listwatch" / "state.db")
    try:
        return db.execute("SELECT id, finished_at FROM runs").fetchall()
    finally:
        db.close()


def start(world: Any, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "listwatch", *args], env=world.env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_requests(world: Any, host: str, count: int = 1) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(world.requests(host)) < count:
        time.sleep(0.1)


@pytest.mark.parametrize(("sent", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_check_stops_with_one_line_and_rolls_its_run_back(world, tmp_path, sent: int,
                                                           code: int) -> None:
    config = slow_list(world, tmp_path)
    process = start(world, "check", "--config", str(config))
    try:
        wait_for_requests(world, "slow0.example")
        process.send_signal(sent)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert (process.returncode, stderr) == (code, "listwatch: interrupted\n")
    assert runs(config) == []


def test_the_worker_finishes_its_run_before_stopping_even_on_a_second_sigterm(
        world, tmp_path) -> None:
    config = slow_list(world, tmp_path)
    worker = start(world, "schedule", "--config", str(config), "--dry-run", "--now")
    try:
        wait_for_requests(world, "slow0.example")
        worker.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        worker.send_signal(signal.SIGTERM)
        _, stderr = worker.communicate(timeout=90)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, stderr
    lines = [line.split(" ", 1)[1] for line in stderr.splitlines()]
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    assert lines[-3:] == ["checked 8 URLs (8 links in 1 file) in " + lines[-3].split(" in ")[-1],
                          "run finished", "stopped"], lines
    assert "received SIGTERM again; still stopping after the current run" in lines
    [(_, finished)] = runs(config)
    assert finished is not None


def test_a_second_check_on_the_same_store_stops_with_one_line(world, tmp_path) -> None:
    world.host("papers.example").route("/a", status=200)
    config = make_list(tmp_path, {"list.md": "* A \\[[P](https://papers.example/a)]\n"})
    with Store.open(config.parent / ".listwatch" / "state.db"):
        result = world.run_cli("check", "--config", str(config))
    assert result.returncode == 3
    assert result.stderr == (f"listwatch: error: {config.parent / '.listwatch' / 'state.db'}: "
                             "another listwatch run is using this state store (pid "
                             f"{__import__('os').getpid()}); try again when it has finished\n")
    assert world.requests("papers.example") == [] and runs(config) == []
    assert world.run_cli("check", "--config", str(config)).returncode == 0
    assert len(runs(config)) == 1
