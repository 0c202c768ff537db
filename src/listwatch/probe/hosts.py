"""Per-host politeness: in-flight limit, spacing between request starts, backoff."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from listwatch.probe import retry


@dataclass
class HostState:
    """What the engine knows about one host during a run."""

    name: str
    slots: asyncio.Semaphore
    next_start: float = 0.0
    not_before: float = 0.0
    failures: int = 0
    last_failure: str = ""
    down: tuple[str, str] | None = None  # (status, detail) once the host is given up
    head_unreliable: bool = False
    in_flight: int = 0
    peak_in_flight: int = 0
    requests: int = 0


class HostLimiter:
    """Hands out request slots per host and remembers hosts that keep failing.

    A host is given up after ``failure_limit`` consecutive failed attempts
    (timeouts, refused or reset connections); any HTTP answer resets the count.
    """

    def __init__(self, *, concurrency: int, interval: float, failure_limit: int) -> None:
        self.concurrency = concurrency
        self.interval = interval
        self.failure_limit = failure_limit
        self.hosts: dict[str, HostState] = {}

    def state(self, host: str) -> HostState:
        key = host.lower()
        found = self.hosts.get(key)
        if found is None:
            found = self.hosts[key] = HostState(key, asyncio.Semaphore(self.concurrency))
        return found

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[HostState]:
        """Wait for one of the host's ``concurrency`` slots and hold it.

        Spacing is not waited for here but in ``wait_turn``, right before the request
        goes out, so time spent queueing elsewhere cannot bunch request starts.
        """
        state = self.state(host)
        async with state.slots:
            state.in_flight += 1
            state.requests += 1
            state.peak_in_flight = max(state.peak_in_flight, state.in_flight)
            try:
                yield state
            finally:
                state.in_flight -= 1

    async def wait_turn(self, state: HostState) -> None:
        """Wait for the host's spacing (and any Retry-After); call right before sending."""
        loop = asyncio.get_running_loop()
        deferred = False
        while True:
            now = loop.time()
            if not deferred and state.not_before > now:
                deferred = True
                await retry.sleep(state.not_before - now)
                continue
            start = max(now, state.next_start)
            state.next_start = start + self.interval
            if start > now:
                await asyncio.sleep(start - now)
            return

    def defer(self, host: str, seconds: float) -> None:
        """No request to ``host`` starts for ``seconds`` (Retry-After)."""
        state = self.state(host)
        until = asyncio.get_running_loop().time() + seconds
        state.not_before = max(state.not_before, until)

    def succeeded(self, host: str) -> None:
        self.state(host).failures = 0

    def failed(self, host: str, status: str, detail: str) -> None:
        """Count a failed attempt; give the host up after ``failure_limit`` in a row."""
        state = self.state(host)
        state.failures += 1
        state.last_failure = detail
        if state.down is None and state.failures >= self.failure_limit:
            state.down = (
                status,
                f"not checked: {state.name} failed {state.failures} times in a row "
                f"(last: {detail})",
            )

    def give_up(self, host: str, status: str, detail: str) -> None:
        """Give ``host`` up now (a failure that is the same for every URL on it)."""
        state = self.state(host)
        if state.down is None:
            state.down = (status, detail)
