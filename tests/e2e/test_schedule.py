"""`listwatch schedule`: the long-running worker runs the job and stops cleanly."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .helpers import make_list

pytestmark = pytest.mark.e2e


def test_worker_runs_now_then_stops_on_sigterm(world, tmp_path: Path) -> None:
    world.host("papers.example").route("/a", status=200)
    config = make_list(tmp_path, {"README.md": "* A \\[[P](https://papers.example/a)]\n"})
    worker = subprocess.Popen(
        [sys.executable, "-m", "listwatch", "schedule", "--config", str(config), "--dry-run",
         "--now"], env=world.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not world.requests("papers.example"):
            time.sleep(0.2)
        time.sleep(1.0)
        worker.send_signal(signal.SIGTERM)
        _, stderr = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, stderr
    lines = stderr.splitlines()
    assert "schedule '0 4 * * 1' (UTC); next run" in lines[0]
    assert any(line.endswith("run started") for line in lines)
    assert any(line.endswith("run finished") for line in lines)
    assert any("checked 1 URL" in line for line in lines)
    assert lines[-1].endswith("stopped")
    assert len(world.requests("papers.example")) == 1


def test_bad_cron_is_a_config_error(tmp_path: Path) -> None:
    config = make_list(tmp_path, {"README.md": "* A\n"}, extra='[schedule]\ncron = "* * *"\n')
    result = subprocess.run([sys.executable, "-m", "listwatch", "schedule", "--config",
                             str(config)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith(f"listwatch: error: {config}:6: [schedule] cron: bad cron")
