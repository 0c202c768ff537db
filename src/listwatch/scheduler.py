"""`listwatch schedule`: a long-running worker that runs the job on the cron.

One job, never overlapping itself (a run that is still going when the next is due
makes the next one wait, then coalesce); SIGTERM and SIGINT stop the worker after
the current run (a repeated signal only says so again), and "stopped" is logged
once that run has finished. A failed run is logged and the worker keeps its schedule.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from listwatch.config import load_config
from listwatch.errors import ConfigError, ListwatchError
from listwatch.redact import redact_text

if TYPE_CHECKING:
    from listwatch.publish.model import Report

log = logging.getLogger("listwatch.schedule")
# Held while a run is in flight: the worker stops only once it is released.
_IN_FLIGHT = threading.Lock()
# Set by the first SIGTERM/SIGINT: a run not yet started is not started.
_STOPPING = threading.Event()


def _say(message: str) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    print(f"{stamp} {message}", file=sys.stderr, flush=True)


def run_once(config_path: Path, *, dry_run: bool) -> None:
    """One scheduled run; errors are reported, never raised into the scheduler."""
    from listwatch.pipeline import JobOptions, run

    with _IN_FLIGHT:
        if _STOPPING.is_set():
            return
        _say("run started")
        try:
            report = run(JobOptions(mode="run", config_path=config_path, dry_run=dry_run))
        except ListwatchError as exc:
            _say(f"run failed: {redact_text(str(exc))}")
            return
        except Exception as exc:  # the worker must outlive one bad run
            _say(f"run failed unexpectedly: {type(exc).__name__}: {redact_text(str(exc))}")
            return
        _say_report(report)


def _say_report(report: Report) -> None:
    from listwatch.publish.report import render_text

    # The quiet report: links needing attention, what was published, the totals.
    for line in render_text(report, verbosity="quiet").splitlines():
        if line.strip():
            _say(line)
    _say("run finished")


def serve(config_path: Path, *, dry_run: bool, run_now: bool) -> None:
    """Run until stopped; the cron and timezone come from ``[schedule]``."""
    config = load_config(config_path)
    try:
        trigger = CronTrigger.from_crontab(config.schedule.cron, timezone=config.schedule.timezone)
    except (ValueError, LookupError) as exc:
        raise ConfigError(f"{config_path}: [schedule] timezone/cron: {exc}") from None
    scheduler = BlockingScheduler(timezone=config.schedule.timezone)
    scheduler.add_job(run_once, trigger, args=(config_path,), kwargs={"dry_run": dry_run},
                      id="listwatch", max_instances=1, coalesce=True,
                      misfire_grace_time=3600)
    if run_now:
        scheduler.add_job(run_once, args=(config_path,), kwargs={"dry_run": dry_run},
                          id="listwatch-now", max_instances=1)

    stopping: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if stopping:
            _say(f"received {name} again; still stopping after the current run")
            return
        stopping.append(signum)
        _STOPPING.set()
        _say(f"received {name}; stopping after the current run")
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    next_time = trigger.get_next_fire_time(None, datetime.now(UTC))
    _say(f"schedule {config.schedule.cron!r} ({config.schedule.timezone}); "
         f"next run {next_time.isoformat() if next_time else 'never'}")
    scheduler.start()
    with _IN_FLIGHT:  # the run in flight, if any, ends first
        _say("stopped")
