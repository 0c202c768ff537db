"""Network trouble is not dead links (issue 12, item 7): a verdict comes only from a
request to that URL, and a run in which most hosts fail the same way stops."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from .helpers import FAST_HTTP, load, make_list

pytestmark = pytest.mark.e2e

TWICE_IS_DEAD = FAST_HTTP.replace("[check]\n", "[check]\nfail_runs = 2\nfail_hours = 0\n")


def verdict_rows(config: Path) -> int:
    db = sqlite3.connect(config.parent / ".listwatch" / "state.db")
    try:
        return int(db.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0])
    finally:
        db.close()


def test_a_proxy_that_reaches_no_host_stops_the_run_with_one_line(world, tmp_path) -> None:
    # No host is declared: the proxy answers 502 to every CONNECT, as when it is cut off.
    text = "".join(f"* Paper {i} \\[[P](https://site{i}.example/p)]\n" for i in range(6))
    config = make_list(tmp_path, {"list.md": text}, extra=TWICE_IS_DEAD)
    for _ in range(2):
        result = world.run_cli("check", "--config", str(config))
        assert result.returncode == 3, result.stdout + result.stderr
        assert result.stderr.startswith(
            "listwatch: error: 6 of 6 hosts failed the same way (the proxy reaches no host; "
            "e.g. site"), result.stderr
        assert result.stderr.count("\n") == 1 and result.stdout == ""
        assert "does not resolve" not in result.stderr
    assert verdict_rows(config) == 0  # nothing counts toward the flakiness window


def test_links_of_a_host_given_up_are_never_called_dead(world, tmp_path) -> None:
    with world.batch():
        world.host("flaky.example").route("/*", reset=True)
        for i in range(4):
            world.host(f"fine{i}.example").default(status=200)
    text = "".join(f"* Flaky {i} \\[[P](https://flaky.example/p{i})]\n" for i in range(12))
    text += "".join(f"* Fine {i} \\[[P](https://fine{i}.example/p)]\n" for i in range(4))
    config = make_list(tmp_path, {"list.md": text}, extra=TWICE_IS_DEAD)
    for _ in range(2):
        result = world.run_cli("run", "--dry-run", "--config", str(config), "--format", "json")
        assert result.returncode == 0, result.stderr
    report = load(result.stdout)
    asked = {r.path for r in world.requests("flaky.example")}
    dead = [p["old"] for p in report["proposals"] if p["kind"] == "dead"]
    not_checked = [row for row in report["links"] if "not checked" in row["detail"]]
    assert not_checked and all(row["status"] == "skipped" for row in not_checked)
    assert dead and len(dead) < 12
    assert all(url.removeprefix("https://flaky.example") in asked for url in dead), (dead, asked)
