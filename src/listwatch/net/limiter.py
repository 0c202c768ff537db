"""Per-host limits: requests in flight and spacing between request starts.

One ``HostLimiter`` per run is shared by every caller (link checks, metadata
APIs, reading the list), so a host sees one polite client, not several. Hosts
with their own terms get a ``HostRule`` in ``POLITENESS``; every other host gets
the default rule (``[http] host_concurrency`` and ``host_interval``).

The spacing adapts (``answered``): a host that answers 429 ("too many requests") without
saying when to come back gets its spacing doubled, from at least ``SLOWED_INTERVAL`` up to
``SLOWEST_INTERVAL``; after ``RECOVER_AFTER`` answers in a row without a 429, the spacing
halves again, down to the host's rule. A 429 with ``Retry-After`` says exactly how long
to hold back, and the host is held back that long (``defer``), no more. A 503 is not taken
as a sign of overload: it is as often one page's failure, and a 503 that means
"overloaded" says so with a ``Retry-After``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

from listwatch.net import clock


@dataclass(frozen=True)
class HostRule:
    """At most ``concurrency`` requests in flight, starts at least ``interval`` s apart.

    With one request in flight, the interval also counts from the end of the
    previous request (a slow answer does not let the next one start at once).
    """

    interval: float
    concurrency: int = 1


# A host that answers 429 without Retry-After: its spacing doubles, from at least 0.5 s,
# at most 10 s, and halves again after 10 answers in a row without a 429.
SLOWED_INTERVAL = 0.5
SLOWEST_INTERVAL = 10.0
RECOVER_AFTER = 10
OVERLOADED = frozenset({429})

# Per-host politeness, by the services' own terms. arXiv: "no more than one
# request every three seconds", one connection at a time.
POLITENESS: Mapping[str, HostRule] = {
    "export.arxiv.org": HostRule(interval=3.0, concurrency=1),
    "dblp.org": HostRule(interval=1.0, concurrency=1),
    "api.semanticscholar.org": HostRule(interval=1.0, concurrency=1),
    "archive.org": HostRule(interval=0.5, concurrency=1),
    "api.crossref.org": HostRule(interval=0.2, concurrency=1),  # public pool: 5/s, 1 at a time
    # GitHub's GraphQL endpoint has secondary limits of its own (2,000 points a minute, 60 s
    # of CPU time a minute, 100 requests in flight): a few queries at once, lightly spaced.
    "api.github.com/graphql": HostRule(interval=0.05, concurrency=4),
}


class HostState:
    """What the limiter knows about one host during a run."""

    def __init__(self, name: str, rule: HostRule) -> None:
        self.name = name
        self.rule = rule
        self.interval = rule.interval  # grows when the host says it is overloaded
        self.calm_answers = 0  # answers in a row since it last said so
        self.slowed_down = 0
        self.slots = asyncio.Semaphore(rule.concurrency)
        self.next_start = 0.0
        self.last_start = float("-inf")
        self.last_sent = float("-inf")  # see ``HostLimiter.wait_again``
        self.not_before = 0.0
        self.in_flight = 0
        self.peak_in_flight = 0
        self.requests = 0


class HostLimiter:
    """Hands out request slots per host, spaces their starts, holds hosts back."""

    def __init__(self, default: HostRule, rules: Mapping[str, HostRule] = POLITENESS) -> None:
        self.default = default
        self.rules = {host.lower(): rule for host, rule in rules.items()}
        self.hosts: dict[str, HostState] = {}

    def state(self, host: str) -> HostState:
        key = host.lower()
        found = self.hosts.get(key)
        if found is None:
            found = self.hosts[key] = HostState(key, self.rules.get(key, self.default))
        return found

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[HostState]:
        """Wait for one of the host's in-flight slots and hold it.

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
                if state.rule.concurrency == 1:
                    ended = asyncio.get_running_loop().time()
                    state.next_start = max(state.next_start, ended + state.interval)

    async def wait_turn(self, state: HostState) -> None:
        """Wait for the host's spacing (and any Retry-After); call right before sending."""
        loop = asyncio.get_running_loop()
        deferred = False
        while True:
            now = loop.time()
            if not deferred and state.not_before > now:
                deferred = True
                await clock.sleep(state.not_before - now)
                continue
            start = max(now, state.next_start)
            state.next_start = start + state.interval
            if start > now:
                await asyncio.sleep(start - now)
            # A stalled event loop wakes several reserved turns at once: each still
            # starts at least one interval after the start before it.
            while (gap := state.last_start + state.interval - loop.time()) > 0:
                await asyncio.sleep(gap)
            state.last_start = loop.time()
            state.next_start = max(state.next_start, state.last_start + state.interval)
            return

    async def wait_again(self, state: HostState, held: float) -> None:
        """After ``wait_turn``, a caller that then waited for something else (a slot of
        the run) checks again right before sending: turns that waited together still
        go out an interval apart, and a Retry-After that came meanwhile (``not_before``
        later than ``held``, the one already waited for) is waited out."""
        loop = asyncio.get_running_loop()
        deferred = False
        while True:
            now = loop.time()
            if not deferred and state.not_before > max(now, held):
                deferred = True
                await clock.sleep(state.not_before - now)
                continue
            gap = state.last_sent + state.interval - now
            if gap <= 0:
                state.last_sent = now
                return
            await asyncio.sleep(gap)

    @asynccontextmanager
    async def turn(self, host: str) -> AsyncIterator[HostState]:
        """A slot and the host's turn: wrap exactly one request in this."""
        async with self.slot(host) as state:
            await self.wait_turn(state)
            yield state

    def defer(self, host: str, seconds: float) -> None:
        """No request to ``host`` starts for ``seconds`` (Retry-After)."""
        state = self.state(host)
        until = asyncio.get_running_loop().time() + seconds
        state.not_before = max(state.not_before, until)

    def answered(self, host: str, status: int | None,
                 headers: Mapping[str, str] | None = None) -> None:
        """Adapt the host's spacing to its answer (``status`` and ``headers``; None for an
        answer the caller accepted, or no answer at all): doubled after a 429 that does
        not say when to come back, halved back toward its rule after ``RECOVER_AFTER``
        answers in a row without a 429."""
        state = self.state(host)
        if status in OVERLOADED:
            state.calm_answers = 0
            if headers is not None and _says_when(headers):
                return  # Retry-After: held back as long as it asks (``defer``)
            slower = min(max(state.interval * 2, SLOWED_INTERVAL), SLOWEST_INTERVAL)
            if slower > state.interval:
                state.interval = slower
                state.slowed_down += 1
            return
        state.calm_answers += 1
        if state.calm_answers >= RECOVER_AFTER and state.interval > state.rule.interval:
            state.interval = max(state.interval / 2, state.rule.interval)
            state.calm_answers = 0


def _says_when(headers: Mapping[str, str]) -> bool:
    return any(name.lower() == "retry-after" for name in headers)
