"""The one sleep hook: every retry, backoff and ``Retry-After`` wait goes through it.

Tests replace ``listwatch.net.clock.sleep`` to record waits instead of sleeping.
Spacing between requests (``HostLimiter``) is real time and does not use it.
"""

from __future__ import annotations

import asyncio


async def sleep(seconds: float) -> None:
    """Wait ``seconds`` (retry backoff and ``Retry-After``)."""
    await asyncio.sleep(seconds)
