"""The SQLite store: runs, every link verdict, a facts cache, declined proposals.

One file at ``[state] path``, WAL journal, schema versioned with
``PRAGMA user_version`` and migrated forward by an ordered list of migrations,
each applied in one transaction. Every write is one transaction, so killing the
process mid-run leaves the database as it was before or after each write.

Times are stored as ISO 8601 text in UTC; naive datetimes are taken as UTC.
One writer: the async engine records from the event loop thread; a lock makes
calls from worker threads (the sources' client libraries) safe too. One process:
an open store holds an exclusive ``fcntl`` lock on ``<path>.lock``, so a second
run on the same file stops at once with one line (``StoreBusy``, exit 3) instead
of counting as a run of its own.

The file is private (mode 0600: it is cached by CI) and holds no secrets: URLs
are stored redacted (``listwatch.redact``), so a link with credentials is never
served from the OK cache and always checked afresh.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from listwatch.errors import ListwatchError
from listwatch.model import FAILURE_STATUSES, OK_STATUSES, CacheEntry, Hop, Verdict, as_status
from listwatch.redact import has_secret, redact_text, redact_url

MIGRATIONS: tuple[str, ...] = (
    # 1: the initial schema.
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        summary TEXT
    );
    CREATE TABLE verdicts (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        url TEXT NOT NULL,
        status TEXT NOT NULL,
        http_status INTEGER,
        final_url TEXT,
        permanent INTEGER NOT NULL DEFAULT 0,
        via TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        checked_at TEXT NOT NULL,
        chain TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX verdicts_by_url ON verdicts(url, checked_at);
    CREATE TABLE facts (
        namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        etag TEXT,
        fetched_at TEXT NOT NULL,
        PRIMARY KEY (namespace, key)
    );
    CREATE TABLE declined (
        proposal_id TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        declined_at TEXT NOT NULL
    );
    """,
    # 2: URLs that support a verdict (Verdict.evidence), as a JSON list.
    """
    ALTER TABLE verdicts ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
_VERDICT_COLUMNS = (
    "url, status, http_status, final_url, permanent, via, detail, checked_at, chain, evidence"
)



class StoreBusy(ListwatchError):
    """Another listwatch process has the state store open."""

    exit_code = 3


PRIVATE_MODE = 0o600
# SQLite's page cache (KiB). A run writes its verdicts and facts once and reads little
# back, so a small cache costs no time; the default (2 MiB) only adds to the peak.
CACHE_KIB = 512


def _private(path: Path) -> None:
    """Create ``path`` (and its WAL companions, when present) readable by the owner only."""
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, PRIVATE_MODE))
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with suppress(FileNotFoundError):
            os.chmod(name, PRIVATE_MODE)


def _lock(path: Path) -> int:
    """Take the store's exclusive lock (``<path>.lock``); StoreBusy when it is held."""
    lock_path = path.with_name(path.name + ".lock")
    handle = os.open(lock_path, os.O_CREAT | os.O_RDWR, PRIVATE_MODE)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(handle, 32, 0).decode("ascii", "replace").strip()
        os.close(handle)
        who = f" (pid {holder})" if holder.isdigit() else ""
        raise StoreBusy(f"{path}: another listwatch run is using this state store{who}; "
                        "try again when it has finished") from None
    os.ftruncate(handle, 0)
    os.pwrite(handle, str(os.getpid()).encode("ascii"), 0)
    return handle


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _text(moment: datetime) -> str:
    return _utc(moment).isoformat()


def _when(text: str) -> datetime:
    return _utc(datetime.fromisoformat(text))


def _now() -> datetime:
    return datetime.now(UTC)


class Store:
    """The state database. Open with ``Store.open(path)``; use as a context manager."""

    def __init__(self, connection: sqlite3.Connection, path: Path,
                 lock_handle: int | None = None) -> None:
        self._db = connection
        self._lock = threading.RLock()
        self._lock_handle = lock_handle
        self.path = path

    # -- lifecycle -----------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating if needed) the store at ``path``, lock it, and migrate it;
        StoreBusy when another process has it open."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = _lock(path)
        except OSError as exc:
            raise ListwatchError(f"{path}: cannot open the state database: {exc}") from None
        try:
            _private(path)
            db = sqlite3.connect(
                path, isolation_level=None, check_same_thread=False, timeout=30.0
            )
        except (OSError, sqlite3.Error) as exc:
            os.close(handle)
            raise ListwatchError(f"{path}: cannot open the state database: {exc}") from None
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            _private(path)
            _migrate(db, path)
            _verify(db, path)
        except sqlite3.DatabaseError as exc:
            db.close()
            os.close(handle)
            raise ListwatchError(f"{path}: not a usable state database: {exc}") from None
        except BaseException:
            db.close()
            os.close(handle)
            raise
        return cls(db, path, handle)

    def close(self) -> None:
        with self._lock:
            self._db.close()
            if self._lock_handle is not None:
                os.close(self._lock_handle)  # releases the flock
                self._lock_handle = None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    # -- runs ----------------------------------------------------------------

    def begin_run(self, kind: str, now: datetime) -> int:
        """Record the start of a run; return its id."""
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (kind, started_at) VALUES (?, ?)", (kind, _text(now))
            )
            return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, now: datetime, summary_json: str) -> None:
        """Mark run ``run_id`` finished with its summary (JSON text)."""
        with self._transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, summary = ? WHERE id = ?",
                (_text(now), summary_json, run_id),
            )

    @contextmanager
    def run_record(self, kind: str, now: datetime) -> Iterator[int]:
        """``begin_run`` for the block, which ends it with ``finish_run``. A block that
        fails is finished with the error as its summary (what it observed still counts);
        one that is interrupted (Ctrl-C, SIGTERM) is rolled back with ``discard_run``."""
        run_id = self.begin_run(kind, now)
        try:
            yield run_id
        except Exception as exc:
            self.finish_run(run_id, _now(), json.dumps({"failed": redact_text(str(exc))}))
            raise
        except BaseException:
            self.discard_run(run_id)
            raise

    def discard_run(self, run_id: int) -> None:
        """Roll back run ``run_id`` (interrupted): its verdicts and record are removed, so
        a run that did not finish never counts toward the flakiness window."""
        with self._transaction() as db:
            db.execute("DELETE FROM verdicts WHERE run_id = ?", (run_id,))
            db.execute("DELETE FROM runs WHERE id = ? AND finished_at IS NULL", (run_id,))

    def runs(self, limit: int = 20) -> tuple[dict[str, object], ...]:
        """The latest runs, newest first (id, kind, started_at, finished_at, summary)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, kind, started_at, finished_at, summary FROM runs "
                "ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return tuple(
            {
                "id": r[0],
                "kind": r[1],
                "started_at": _when(r[2]),
                "finished_at": _when(r[3]) if r[3] else None,
                "summary": r[4],
            }
            for r in rows
        )

    # -- verdicts ------------------------------------------------------------

    def record_verdicts(
        self, run_id: int, verdicts: Iterable[Verdict], now: datetime | None = None
    ) -> int:
        """Store ``verdicts`` for ``run_id`` in one transaction; return how many.

        A verdict without ``checked_at`` is stamped with ``now`` (default: the clock).
        """
        stamp = _text(now or _now())
        count = 0

        def rows() -> Iterator[tuple[object, ...]]:  # made as sqlite reads them, not held
            nonlocal count
            for v in verdicts:
                count += 1
                yield (
                    run_id,
                    redact_url(v.url),
                    v.status,
                    v.http_status,
                    redact_url(v.final_url) if v.final_url is not None else None,
                    int(v.permanent),
                    v.via,
                    redact_text(v.detail),
                    _text(v.checked_at) if v.checked_at else stamp,
                    json.dumps([asdict(Hop(redact_url(hop.url), hop.http_status,
                                           redact_url(hop.location))) for hop in v.chain]),
                    json.dumps([redact_url(item) for item in v.evidence]),
                )

        with self._transaction() as db:
            db.executemany(
                f"INSERT INTO verdicts (run_id, {_VERDICT_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows(),
            )
        return count

    def prune_verdicts(self, keep_per_url: int, forget_before: datetime) -> int:
        """Drop the verdicts no run will read again; return how many went.

        The flakiness window reads a URL's ``history`` newest first, passes over
        ``skipped`` verdicts and stops at the first that is not a failure; the OK
        cache reads its newest OK verdict. So kept for each URL: that newest OK
        verdict, and the failures since the last verdict that was not one (that one
        included), at most ``keep_per_url``. A ``skipped`` verdict (an excluded
        link) says nothing and is never kept; a URL not checked since
        ``forget_before`` (gone from the lists) is forgotten.
        """
        alive = ", ".join("?" for _ in OK_STATUSES)
        failing = ", ".join("?" for _ in FAILURE_STATUSES)
        with self._transaction() as db:
            cursor = db.execute(
                "DELETE FROM verdicts WHERE url IN (SELECT url FROM verdicts GROUP BY url "
                "HAVING MAX(checked_at) < ?)", (_text(forget_before),))
            gone = cursor.rowcount
            cursor = db.execute(
                "DELETE FROM verdicts WHERE id IN (SELECT id FROM ("
                " SELECT id, status, newest,"
                "  MIN(CASE WHEN alive THEN newest END) OVER (PARTITION BY url) AS ok_at,"
                "  MIN(CASE WHEN ends THEN newest END) OVER (PARTITION BY url) AS end_at"
                " FROM ("
                f"  SELECT id, url, status, status IN ({alive}) AS alive,"
                f"   status NOT IN ({failing}) AND status != 'skipped' AS ends,"
                "   ROW_NUMBER() OVER (PARTITION BY url ORDER BY checked_at DESC, id DESC)"
                "   AS newest FROM verdicts))"
                " WHERE newest IS NOT ok_at AND (status = 'skipped' OR newest > ?"
                "  OR newest > end_at))",
                (*OK_STATUSES, *FAILURE_STATUSES, keep_per_url))
            return gone + cursor.rowcount

    def history(self, url: str, limit: int = 10, *,
                finished_only: bool = False) -> tuple[Verdict, ...]:
        """The latest verdicts on ``url``, newest first (stored redacted: the detail and
        redirect targets of a URL with secrets come back masked).

        ``finished_only`` leaves out verdicts of runs that never finished (killed).
        """
        finished = (" AND run_id IN (SELECT id FROM runs WHERE finished_at IS NOT NULL)"
                    if finished_only else "")
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_VERDICT_COLUMNS} FROM verdicts WHERE url = ?{finished} "
                "ORDER BY checked_at DESC, id DESC LIMIT ?",
                (redact_url(url), limit),
            ).fetchall()
        return tuple(dataclasses.replace(_verdict(row), url=url) for row in rows)

    def last_ok(self, url: str) -> Verdict | None:
        """The latest verdict on ``url`` that found it alive (``ok`` or ``redirect``)."""
        found = self.last_ok_many([url])
        return found.get(url)

    def last_ok_many(self, urls: Iterable[str]) -> dict[str, Verdict]:
        """``last_ok`` for many URLs at once (URLs never seen alive are left out, and so
        are URLs with secrets: their stored form is redacted, so never reused)."""
        wanted = [url for url in dict.fromkeys(urls) if not has_secret(url)]
        found: dict[str, Verdict] = {}
        marks = ", ".join("?" for _ in OK_STATUSES)
        with self._lock:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                rows = self._db.execute(
                    f"SELECT {_VERDICT_COLUMNS} FROM verdicts WHERE status IN ({marks}) "
                    f"AND url IN ({', '.join('?' for _ in chunk)}) "
                    "ORDER BY checked_at ASC, id ASC",
                    (*OK_STATUSES, *chunk),
                ).fetchall()
                for row in rows:
                    found[row[0]] = _verdict(row)  # later rows win: newest
        return found

    # -- facts cache -----------------------------------------------------------

    def cache_get(self, namespace: str, key: str) -> CacheEntry | None:
        """The cached value for ``(namespace, key)``, or None."""
        return self.cache_get_many(namespace, [key]).get(key)

    def cache_get_many(self, namespace: str, keys: Iterable[str]) -> dict[str, CacheEntry]:
        """Cached values for the ``keys`` that have one (keys with secrets are never
        stored, so never found)."""
        wanted = [key for key in dict.fromkeys(keys) if not has_secret(key)]
        found: dict[str, CacheEntry] = {}
        with self._lock:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                rows = self._db.execute(
                    "SELECT key, value, etag, fetched_at FROM facts WHERE namespace = ? "
                    f"AND key IN ({', '.join('?' for _ in chunk)})",
                    (namespace, *chunk),
                ).fetchall()
                for key, value, etag, fetched_at in rows:
                    found[key] = CacheEntry(value=value, etag=etag, fetched_at=_when(fetched_at))
        return found

    def cache_put(
        self,
        namespace: str,
        key: str,
        value: str,
        etag: str | None = None,
        now: datetime | None = None,
    ) -> None:
        """Store (replace) the value for ``(namespace, key)``; ``value`` is JSON text."""
        self.cache_put_many(namespace, [(key, value, etag)], now=now)

    def cache_put_many(
        self,
        namespace: str,
        items: Iterable[tuple[str, str, str | None]],
        now: datetime | None = None,
    ) -> None:
        """Store many ``(key, value, etag)`` in one transaction."""
        stamp = _text(now or _now())
        rows = ((namespace, key, redact_text(value), etag, stamp)  # made as sqlite reads them
                for key, value, etag in items if not has_secret(key))
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO facts (namespace, key, value, etag, fetched_at) "
                "VALUES (?, ?, ?, ?, ?)",
                rows,
            )

    # -- declined proposals --------------------------------------------------

    def decline(self, proposal_id: str, reason: str, now: datetime | None = None) -> None:
        """Remember that ``proposal_id`` must not be proposed again."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO declined (proposal_id, reason, declined_at) "
                "VALUES (?, ?, ?)",
                (proposal_id, redact_text(reason), _text(now or _now())),
            )

    def forget_declined(self, proposal_ids: Iterable[str]) -> None:
        """Forget earlier declines of ``proposal_ids`` (their change was merged after all)."""
        ids = list(proposal_ids)
        with self._transaction() as db:
            db.executemany("DELETE FROM declined WHERE proposal_id = ?", [(i,) for i in ids])

    def declined_ids(self) -> frozenset[str]:
        """Every declined proposal id."""
        with self._lock:
            rows = self._db.execute("SELECT proposal_id FROM declined").fetchall()
        return frozenset(row[0] for row in rows)


def _verdict(row: tuple[object, ...]) -> Verdict:
    url, status, http_status, final_url, permanent, via, detail, checked_at, chain, evidence = row
    hops = tuple(Hop(**hop) for hop in json.loads(str(chain)))
    return Verdict(
        url=str(url),
        status=as_status(str(status)),
        http_status=http_status if isinstance(http_status, int) else None,
        final_url=str(final_url) if final_url is not None else None,
        permanent=bool(permanent),
        via=str(via),
        detail=str(detail),
        checked_at=_when(str(checked_at)),
        chain=hops,
        evidence=tuple(str(item) for item in json.loads(str(evidence))),
    )


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    """Apply the migrations this database has not seen yet, each in one transaction."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise ListwatchError(
            f"{path}: state database schema version {version} is newer than this "
            f"listwatch knows ({SCHEMA_VERSION}); upgrade listwatch or use another [state] path"
        )
    for number in range(version + 1, SCHEMA_VERSION + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[number - 1]):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def _columns(db: sqlite3.Connection) -> dict[str, set[str]]:
    """Every table of ``db`` with its column names."""
    tables = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {table: {row[1] for row in db.execute(f'PRAGMA table_info("{table}")')}
            for table in tables}


def _expected_columns() -> dict[str, set[str]]:
    """The tables and columns the migrations make, from an empty in-memory database."""
    scratch = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS:
            for statement in _statements(script):
                scratch.execute(statement)
        return _columns(scratch)
    finally:
        scratch.close()


def _verify(db: sqlite3.Connection, path: Path) -> None:
    """Refuse a database whose schema version claims tables or columns it lacks (a
    file edited by hand, or copied from elsewhere), before a query fails mid-run."""
    have = _columns(db)
    for table, columns in _expected_columns().items():
        missing = sorted(columns - have.get(table, set()))
        if table not in have or missing:
            what = f"table {table!r}" if table not in have else (
                f"column {missing[0]!r} of table {table!r}")
            raise ListwatchError(
                f"{path}: not a usable state database: {what} is missing; move the file "
                "away (listwatch starts a new one) or point [state] path elsewhere")


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (``executescript`` would commit early)."""
    return [part.strip() for part in script.split(";") if part.strip()]
