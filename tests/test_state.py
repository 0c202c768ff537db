"""The SQLite store: migrations, runs, verdicts, facts cache, declines, crash safety."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from listwatch.errors import ListwatchError
from listwatch.model import CacheEntry, Hop, Verdict
from listwatch.state import SCHEMA_VERSION, Store

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_open_creates_parents_wal_and_schema(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "state.db"
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()
    with Store.open(path) as store:  # reopening is a no-op migration
        assert store.schema_version == SCHEMA_VERSION


def test_newer_schema_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.close()
    with pytest.raises(ListwatchError, match="newer than this listwatch knows"):
        Store.open(path)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ListwatchError, match="not a usable state database"):
        Store.open(path)


def test_runs_and_verdict_history(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        first = store.begin_run("check", T0)
        store.record_verdicts(first, [
            Verdict("https://a.example/", "broken", 404, detail="404 Not Found",
                    via="get", checked_at=T0),
            Verdict("https://b.example/", "redirect", 301, final_url="https://c.example/",
                    permanent=True, checked_at=T0,
                    chain=(Hop("https://b.example/", 301, "https://c.example/"),)),
        ])
        store.finish_run(first, T0 + timedelta(minutes=1), '{"broken": 1}')
        second = store.begin_run("check", T0 + timedelta(days=1))
        store.record_verdicts(second, [
            Verdict("https://a.example/", "ok", 200, checked_at=T0 + timedelta(days=1)),
        ])
        history = store.history("https://a.example/")
        assert [v.status for v in history] == ["ok", "broken"]
        assert history[1].detail == "404 Not Found" and history[1].via == "get"
        assert history[0].checked_at == T0 + timedelta(days=1)
        moved = store.history("https://b.example/")[0]
        assert moved.permanent and moved.chain == (
            Hop("https://b.example/", 301, "https://c.example/"),
        )
        assert store.last_ok("https://a.example/").checked_at == T0 + timedelta(days=1)
        assert store.last_ok("https://b.example/").status == "redirect"
        assert store.last_ok("https://nope.example/") is None
        assert store.history("https://a.example/", limit=1)[0].status == "ok"
        runs = store.runs()
        assert [r["id"] for r in runs] == [second, first]
        assert runs[1]["summary"] == '{"broken": 1}' and runs[0]["finished_at"] is None


def test_naive_times_are_utc_and_missing_checked_at_is_stamped(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        run = store.begin_run("check", datetime(2024, 1, 1))
        store.record_verdicts(run, [Verdict("https://x.example/", "ok")], now=T0)
        assert store.history("https://x.example/")[0].checked_at == T0


def test_facts_cache(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        assert store.cache_get("github", "a/b") is None
        store.cache_put("github", "a/b", '{"stars": 1}', etag='W/"x"', now=T0)
        store.cache_put("github", "c/d", '{"stars": 2}', now=T0)
        store.cache_put("arxiv", "a/b", "{}", now=T0)
        assert store.cache_get("github", "a/b") == CacheEntry('{"stars": 1}', 'W/"x"', T0)
        store.cache_put("github", "a/b", '{"stars": 3}', now=T0 + timedelta(hours=1))
        assert store.cache_get("github", "a/b") == CacheEntry(
            '{"stars": 3}', None, T0 + timedelta(hours=1)
        )
        many = store.cache_get_many("github", ["a/b", "c/d", "e/f"])
        assert set(many) == {"a/b", "c/d"}
        keys = [f"k{i}" for i in range(1200)]
        store.cache_put_many("bulk", [(k, "1", None) for k in keys], now=T0)
        assert len(store.cache_get_many("bulk", keys)) == 1200


def test_declined(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        assert store.declined_ids() == frozenset()
        store.decline("p1", "closed PR #4")
        store.decline("p2", "closed PR #4")
        store.decline("p1", "again")
        assert store.declined_ids() == frozenset({"p1", "p2"})


def test_verdicts_from_an_iterator_are_all_recorded_and_counted(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        run = store.begin_run("check", T0)
        urls = [f"https://a.example/{n}" for n in range(3)]
        assert store.record_verdicts(run, (Verdict(u, "ok", checked_at=T0) for u in urls)) == 3
        assert [len(store.history(u)) for u in urls] == [1, 1, 1]


def test_failed_write_rolls_back(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        run = store.begin_run("check", T0)

        def verdicts():
            yield Verdict("https://a.example/", "ok", checked_at=T0)
            raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            store.record_verdicts(run, verdicts())
        with pytest.raises(sqlite3.IntegrityError):  # unknown run id: foreign key
            store.record_verdicts(999, [Verdict("https://a.example/", "ok", checked_at=T0)])
        assert store.history("https://a.example/") == ()


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from pathlib import Path
    from listwatch.model import Verdict
    from listwatch.state import Store

    store = Store.open(Path(sys.argv[1]))
    now = datetime.now(UTC)
    print("ready", flush=True)
    while True:
        run = store.begin_run("check", now)
        store.record_verdicts(run, (
            Verdict(f"https://h{i}.example/", "ok", 200, detail="x" * 200, checked_at=now)
            for i in range(500)
        ))
        store.cache_put("ns", str(run), "{}")
        store.finish_run(run, now, "{}")
    """
)


def test_kill_mid_write_leaves_database_consistent(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")},
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
        time.sleep(0.6)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    counts = db.execute(
        "SELECT runs.id, COUNT(verdicts.id) FROM runs LEFT JOIN verdicts "
        "ON verdicts.run_id = runs.id GROUP BY runs.id"
    ).fetchall()
    db.close()
    assert len(counts) >= 2, "the writer should have completed some runs"
    assert all(count in (0, 500) for _, count in counts), counts
    with Store.open(path) as store:  # still opens and writes after the crash
        run = store.begin_run("check", T0)
        store.record_verdicts(run, [Verdict("https://z.example/", "ok", checked_at=T0)])
        assert store.last_ok("https://z.example/") is not None


def test_migrates_a_version_1_database(tmp_path: Path) -> None:
    from listwatch.state import MIGRATIONS

    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("INSERT INTO runs (kind, started_at) VALUES ('check', ?)", (T0.isoformat(),))
    db.execute(
        "INSERT INTO verdicts (run_id, url, status, via, checked_at) "
        "VALUES (1, 'https://a.example/', 'ok', 'head', ?)",
        (T0.isoformat(),),
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        old = store.history("https://a.example/")[0]
        assert old.evidence == () and old.checked_at == T0
        run = store.begin_run("check", T0)
        store.record_verdicts(run, [Verdict("https://b.example/", "broken", evidence=(
            "https://api.github.com/repos/a/b",), checked_at=T0)])
        assert store.history("https://b.example/")[0].evidence == (
            "https://api.github.com/repos/a/b",
        )


# -- private, locked, redacted (issue 12: items 5, 9, 10) ---------------------------------


def test_the_store_and_its_wal_are_private_even_when_made_0644_before(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with Store.open(path) as store:
        store.record_verdicts(store.begin_run("check", T0), [Verdict("https://a.example/", "ok")])
    os.chmod(path, 0o644)
    with Store.open(path) as store:
        store.record_verdicts(store.begin_run("check", T0), [Verdict("https://b.example/", "ok")])
        modes = {p.name: p.stat().st_mode & 0o777 for p in tmp_path.iterdir()
                 if p.name.startswith("state.db")}
    assert "state.db-wal" in modes and set(modes.values()) == {0o600}, modes


def test_a_second_process_on_the_same_store_stops_with_one_line(tmp_path: Path) -> None:
    from listwatch.state import StoreBusy

    path = tmp_path / "state.db"
    script = textwrap.dedent(f"""
        from listwatch.state import Store
        try:
            Store.open({str(path)!r})
        except Exception as exc:
            print(type(exc).__name__, exc.exit_code, exc)
    """)
    with Store.open(path):
        other = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                               check=True, timeout=60)
    assert other.stdout.startswith(f"{StoreBusy.__name__} 3 {path}: another listwatch run")
    assert f"(pid {os.getpid()})" in other.stdout
    with Store.open(path) as store:  # released on close
        assert store.runs() == ()


def test_run_record_finishes_a_failed_run_and_rolls_back_an_interrupted_one(
        tmp_path: Path) -> None:
    with Store.open(tmp_path / "state.db") as store:
        with pytest.raises(ValueError), store.run_record("check", T0) as failed:
            store.record_verdicts(failed, [Verdict("https://a.example/", "broken")], now=T0)
            raise ValueError("boom at https://u:pw@h.example/")
        with pytest.raises(KeyboardInterrupt), store.run_record("check", T0) as stopped:
            store.record_verdicts(stopped, [Verdict("https://a.example/", "broken")], now=T0)
            raise KeyboardInterrupt
        [run] = store.runs()
        assert run["id"] == failed and run["finished_at"] is not None
        assert run["summary"] == '{"failed": "boom at https://u:REDACTED@h.example/"}'
        assert len(store.history("https://a.example/")) == 1


def test_urls_with_secrets_are_stored_redacted_and_never_served_from_cache(
        tmp_path: Path) -> None:
    url = "https://u:pw@h.example/p?token=t0k"
    path = tmp_path / "state.db"
    with Store.open(path) as store:
        run = store.begin_run("check", T0)
        store.record_verdicts(run, [Verdict(
            url, "redirect", final_url="https://h.example/q?token=t0k", detail="to https://h.example/q?sig=s1g",
            chain=(Hop(url, 301, "https://h.example/q?token=t0k"),), checked_at=T0,
            evidence=("https://h.example/e?key=k3y",))])
        store.cache_put("ns", url, '"v"', now=T0)
        [seen] = store.history(url)
        assert seen.url == url and seen.final_url == "https://h.example/q?token=REDACTED"
        assert store.last_ok(url) is None and store.cache_get("ns", url) is None
        store.finish_run(run, T0, "{}")
    data = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert not [s for s in (b"pw@", b"t0k", b"s1g", b"k3y") if s in data]
def test_history_can_leave_out_runs_that_never_finished(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        done = store.begin_run("check", T0)
        store.record_verdicts(done, [Verdict(url="https://a.example/", status="broken",
                                             via="get", checked_at=T0)])
        store.finish_run(done, T0, "{}")
        killed = store.begin_run("run", T0 + timedelta(hours=1))
        store.record_verdicts(killed, [Verdict(url="https://a.example/", status="broken",
                                               via="get", checked_at=T0 + timedelta(hours=1))])
        assert len(store.history("https://a.example/")) == 2
        [kept] = store.history("https://a.example/", finished_only=True)
        assert kept.checked_at == T0


@pytest.mark.parametrize(("damage", "what"), [
    ("DROP TABLE verdicts", "table 'verdicts'"),
    ("ALTER TABLE declined DROP COLUMN reason", "column 'reason' of table 'declined'"),
])
def test_a_missing_table_or_column_is_one_clear_error(tmp_path: Path, damage: str,
                                                      what: str) -> None:
    path = tmp_path / "state.db"
    Store.open(path).close()
    db = sqlite3.connect(path)
    db.execute(damage)
    db.commit()
    db.close()
    with pytest.raises(ListwatchError) as raised:
        Store.open(path)
    assert str(raised.value) == (
        f"{path}: not a usable state database: {what} is missing; move the file away "
        "(listwatch starts a new one) or point [state] path elsewhere")


def test_a_missing_table_stops_the_cli_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "list.md").write_text("# L\n", encoding="utf-8")
    (tmp_path / "config.toml").write_text(
        '[[targets]]\nrepo = "o/r"\npath = "."\nfiles = ["*.md"]\n', encoding="utf-8")
    state = tmp_path / ".listwatch" / "state.db"
    Store.open(state).close()
    db = sqlite3.connect(state)
    db.execute("DROP TABLE runs")
    db.commit()
    db.close()
    result = subprocess.run([sys.executable, "-m", "listwatch", "check"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "listwatch: error: .listwatch/state.db: not a usable state database: "
        "table 'runs' is missing; move the file away (listwatch starts a new one) or point "
        "[state] path elsewhere"]


def _verdicts(path: Path) -> list[tuple[str, str, str]]:
    db = sqlite3.connect(path)
    rows = db.execute("SELECT url, status, checked_at FROM verdicts ORDER BY url, id").fetchall()
    db.close()
    return [(str(u), str(s), str(c)) for u, s, c in rows]


def test_pruning_keeps_the_window_and_the_last_ok_and_forgets_gone_urls(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        for run in range(6):
            moment = T0 + timedelta(hours=run)
            run_id = store.begin_run("check", moment)
            store.record_verdicts(run_id, [
                Verdict("https://flaky.example/", "ok" if run == 0 else "broken",
                        via="get", checked_at=moment),
                Verdict("https://fine.example/", "ok", via="get", checked_at=moment),
                Verdict("https://back.example/", "ok" if run in (1, 4) else "timeout",
                        via="get", checked_at=moment),
                Verdict("https://excluded.example/", "skipped", via="filter",
                        checked_at=moment),
            ])
        gone_id = store.begin_run("check", T0 - timedelta(days=100))
        store.record_verdicts(gone_id, [Verdict("https://gone.example/", "ok", via="get",
                                                checked_at=T0 - timedelta(days=100))])
        kept = {url: store.history(url, limit=3) for url in ("https://flaky.example/",
                                                             "https://back.example/")}
        removed = store.prune_verdicts(3, forget_before=T0 - timedelta(days=90))
        assert removed == 1 + 2 + 5 + 4 + 6
        assert store.prune_verdicts(3, forget_before=T0 - timedelta(days=90)) == 0
        # What the flakiness window reads (newest first, up to the first OK) is intact.
        def window(history: tuple[Verdict, ...]) -> tuple[Verdict, ...]:
            alive = [n for n, v in enumerate(history) if v.status == "ok"]
            return history[: alive[0] + 1] if alive else history

        for url, history in kept.items():
            assert window(store.history(url, limit=3)) == window(history)
        assert len(kept["https://flaky.example/"]) == 3
        assert store.last_ok("https://flaky.example/") is not None
    hours = {url: [c[11:16] for u, _, c in _verdicts(path) if u == url]
             for url in ("https://flaky.example/", "https://fine.example/",
                         "https://back.example/")}
    assert hours == {"https://flaky.example/": ["12:00", "15:00", "16:00", "17:00"],
                     "https://fine.example/": ["17:00"],
                     "https://back.example/": ["16:00", "17:00"]}
    assert {u for u, _, _ in _verdicts(path)}.isdisjoint({"https://gone.example/",
                                                          "https://excluded.example/"})
