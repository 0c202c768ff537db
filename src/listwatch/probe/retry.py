"""Retry policy: which failures are retried and how long to wait between tries.

``Retry-After`` values are read by ``net.parse_retry_after`` (shared with the sources).
"""

from __future__ import annotations

import asyncio
import random

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
