"""``Slots``: the run's requests in flight, handed first to the busiest hosts.

The slowest host (most requests, each an interval apart) sets the run's length, so a
request to it should never wait behind one-off requests to other hosts. When the slots
are all taken, the next free one goes to the waiting request whose host has the most
requests still to make; among equals, first come first served.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Slots:
    """At most ``size`` holders at once; waiters with a higher ``backlog`` go first."""

    def __init__(self, size: int) -> None:
        self.free = size
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    @asynccontextmanager
    async def hold(self, backlog: int) -> AsyncIterator[None]:
        """Hold a slot for the block; ``backlog`` is the host's requests still to make."""
        await self._acquire(backlog)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, backlog: int) -> None:
        if self.free > 0 and not self._waiting:
            self.free -= 1
            return
        granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (-backlog, next(self._order), granted))
        try:
            await granted
        except asyncio.CancelledError:
            if granted.done() and not granted.cancelled():
                self._release()  # granted while being cancelled: pass it on
            raise

    def _release(self) -> None:
        while self._waiting:
            _, _, granted = heapq.heappop(self._waiting)
            if not granted.done():
                granted.set_result(None)
                return
        self.free += 1
