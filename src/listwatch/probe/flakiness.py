"""Flakiness: a link is broken only after failing long enough; fresh OKs are cached."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from listwatch.config import CheckConfig
from listwatch.model import FAILURE_STATUSES, Status, Verdict

NEUTRAL: frozenset[Status] = frozenset({"skipped"})
# Verdicts read from the repository itself, not from the network: nothing flaky about
# them, so they need no window (a missing file is missing on every run).
CERTAIN_VIA = frozenset({"repo-tree"})


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def needs_history(current: Verdict) -> bool:
    """Whether ``assess`` reads earlier runs for ``current`` (only for a failure that
    one request cannot settle)."""
    return current.status in FAILURE_STATUSES and current.via not in CERTAIN_VIA


def assess(current: Verdict, history: Sequence[Verdict], check: CheckConfig,
           now: datetime) -> Verdict:
    """``current`` judged against earlier runs (``history``, newest first).

    A failure (broken, timeout, error) becomes ``broken`` only when the link has
    failed in ``check.fail_runs`` consecutive runs spanning ``check.fail_hours``;
    before that it is ``failing`` with a detail like ``failing (1/2): 404 Not Found``.
    Verdicts that are not failures are returned as they are. ``skipped`` earlier
    verdicts neither break nor extend a streak.
    """
    if not needs_history(current):
        return current
    runs = 1
    first = _utc(current.checked_at or now)
    for earlier in history:
        if earlier is current or earlier == current:
            continue
        if earlier.status in NEUTRAL:
            continue
        if earlier.status not in FAILURE_STATUSES:
            break
        runs += 1
        if earlier.checked_at is not None:
            first = min(first, _utc(earlier.checked_at))
    hours = (_utc(now) - first).total_seconds() / 3600
    base = current.detail or current.status
    if runs >= check.fail_runs and hours >= check.fail_hours:
        since = first.strftime("%Y-%m-%d %H:%M UTC")
        detail = base if runs == 1 else f"{base}; failing in {runs} runs since {since}"
        return dataclasses.replace(current, status="broken", detail=detail)
    shown = min(runs, check.fail_runs)
    window = ""
    if runs >= check.fail_runs:
        window = f", {hours:.0f} h of {check.fail_hours:g} h"
    return dataclasses.replace(
        current, status="failing", detail=f"failing ({shown}/{check.fail_runs}{window}): {base}"
    )


def fresh_ok(last_ok: Mapping[str, Verdict], max_age: float | timedelta,
             now: datetime) -> dict[str, Verdict]:
    """The URLs whose last OK verdict (``Store.last_ok_many``) is younger than ``max_age``
    (seconds), as cache hits.

    The verdicts keep their original ``checked_at`` (so the cache expires) and
    say ``via="cache"``. Pass the result as ``ProbeContext.ok_cache``.
    """
    age = max_age if isinstance(max_age, timedelta) else timedelta(seconds=max_age)
    moment = _utc(now)
    fresh: dict[str, Verdict] = {}
    for url, verdict in last_ok.items():
        checked = verdict.checked_at
        if checked is None or moment - _utc(checked) >= age:
            continue
        note = f"cached from {_utc(checked).strftime('%Y-%m-%d %H:%M UTC')}"
        detail = f"{verdict.detail}; {note}" if verdict.detail else note
        fresh[url] = dataclasses.replace(verdict, via="cache", detail=detail)
    return fresh
