"""Flakiness: failing before broken; fresh OK verdicts served from the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from listwatch.config import CheckConfig
from listwatch.model import Verdict
from listwatch.probe import assess, fresh_ok
from listwatch.state import Store

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
URL = "https://a.example/x"
CHECK = CheckConfig(fail_runs=2, fail_hours=24)


def v(status: str, hours: float = 0, detail: str = "") -> Verdict:
    return Verdict(URL, status, detail=detail, checked_at=T0 + timedelta(hours=hours))


def test_first_failure_is_failing() -> None:
    now = T0
    got = assess(v("broken", detail="404 Not Found"), [], CHECK, now)
    assert got.status == "failing" and got.detail == "failing (1/2): 404 Not Found"


def test_broken_after_two_runs_a_day_apart() -> None:
    history = [v("timeout", 0, "timed out")]
    now = T0 + timedelta(hours=25)
    got = assess(v("broken", 25, "404 Not Found"), history, CHECK, now)
    assert got.status == "broken"
    assert got.detail == "404 Not Found; failing in 2 runs since 2024-05-01 12:00 UTC"


def test_two_runs_within_the_window_are_still_failing() -> None:
    got = assess(v("error", 3, "500"), [v("broken", 0)], CHECK, T0 + timedelta(hours=3))
    assert got.status == "failing" and got.detail == "failing (2/2, 3 h of 24 h): 500"


def test_an_ok_run_resets_the_streak_and_skips_do_not() -> None:
    history = [v("skipped", 30), v("ok", 20), v("broken", 0)]
    got = assess(v("broken", 40, "404"), history, CHECK, T0 + timedelta(hours=40))
    assert got.status == "failing" and got.detail.startswith("failing (1/2)")
    history = [v("skipped", 30), v("failing", 0)]
    got = assess(v("broken", 40, "404"), history, CHECK, T0 + timedelta(hours=40))
    assert got.status == "broken"


def test_non_failures_pass_through() -> None:
    for status in ("ok", "redirect", "blocked", "skipped"):
        current = v(status)
        assert assess(current, [v("broken", -50)], CHECK, T0) is current


def test_fail_runs_one_and_no_window_is_immediate() -> None:
    got = assess(v("broken", 0, "410 Gone"), [], CheckConfig(fail_runs=1, fail_hours=0), T0)
    assert got.status == "broken" and got.detail == "410 Gone"


def test_fresh_ok_from_the_store(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        run = store.begin_run("check", T0)
        store.record_verdicts(run, [
            Verdict("https://fresh.example/", "ok", 200, checked_at=T0),
            Verdict("https://moved.example/", "redirect", 301, final_url="https://n.example/",
                    permanent=True, detail="moved permanently to https://n.example/",
                    checked_at=T0),
            Verdict("https://stale.example/", "ok", 200, checked_at=T0 - timedelta(days=2)),
            Verdict("https://dead.example/", "broken", 404, checked_at=T0),
        ])
        urls = ["https://fresh.example/", "https://moved.example/", "https://stale.example/",
                "https://dead.example/", "https://never.example/"]
        fresh = fresh_ok(store.last_ok_many(urls), 86400, T0 + timedelta(hours=1))
    assert set(fresh) == {"https://fresh.example/", "https://moved.example/"}
    hit = fresh["https://fresh.example/"]
    assert hit.via == "cache" and hit.checked_at == T0
    assert hit.detail == "cached from 2024-05-01 12:00 UTC"
    assert fresh["https://moved.example/"].final_url == "https://n.example/"


def test_a_file_missing_from_the_repository_is_broken_at_once() -> None:
    missing = Verdict("notes/x.md", "broken", via="repo-tree", detail="no such file",
                      checked_at=T0)
    assert assess(missing, [], CHECK, T0).status == "broken"
