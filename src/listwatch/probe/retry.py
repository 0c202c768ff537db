"""Retry policy: which failures are retried, how long to wait, Retry-After."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

BACKOFF_INITIAL = 1.0
BACKOFF_MAX = 30.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
RETRY_AFTER_STATUSES = frozenset({429, 503})


async def sleep(seconds: float) -> None:
    """Every retry and Retry-After wait goes through here (tests replace it)."""
    await asyncio.sleep(seconds)


def backoff(attempt: int) -> float:
    """Exponential backoff with full jitter for retry number ``attempt`` (1-based)."""
    ceiling = min(BACKOFF_MAX, BACKOFF_INITIAL * 2 ** (attempt - 1))
    return random.uniform(ceiling / 2, ceiling)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP date).

    None when absent or unparseable; never negative.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(int(text))
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN guard
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
