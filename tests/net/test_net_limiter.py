"""The shared per-host limiter: in-flight limits, spacing, Retry-After deferral."""

from __future__ import annotations

import asyncio
import itertools
import time

from listwatch.net import POLITENESS, HostLimiter, HostRule


def test_politeness_table_has_todays_values() -> None:
    assert POLITENESS["export.arxiv.org"] == HostRule(interval=3.0, concurrency=1)
    assert POLITENESS["dblp.org"].interval == 1.0
    assert POLITENESS["api.semanticscholar.org"].interval == 1.0
    assert POLITENESS["archive.org"].interval == 0.5


def _run(limiter: HostLimiter, host: str, count: int, hold: float) -> list[float]:
    starts: list[float] = []

    async def one() -> None:
        async with limiter.turn(host):
            starts.append(asyncio.get_running_loop().time())
            await asyncio.sleep(hold)

    async def main() -> None:
        await asyncio.gather(*(one() for _ in range(count)))

    asyncio.run(main())
    return sorted(starts)


def test_starts_are_spaced() -> None:
    limiter = HostLimiter(HostRule(interval=0.1, concurrency=4), {})
    starts = _run(limiter, "a.example", 4, 0.0)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert all(gap >= 0.095 for gap in gaps)


def test_a_stalled_event_loop_does_not_bunch_starts() -> None:
    """Turns reserved before the loop blocks wake together; they still go out spaced."""
    limiter = HostLimiter(HostRule(interval=0.05, concurrency=8), {})
    starts: list[float] = []

    async def one() -> None:
        async with limiter.turn("a.example"):
            starts.append(asyncio.get_running_loop().time())

    async def stall() -> None:
        await asyncio.sleep(0.01)
        time.sleep(0.3)  # blocks the loop past several reserved turns

    async def main() -> None:
        await asyncio.gather(stall(), *(one() for _ in range(5)))

    asyncio.run(main())
    gaps = [b - a for a, b in itertools.pairwise(sorted(starts))]
    assert len(starts) == 5 and min(gaps) >= 0.05, gaps


def test_in_flight_limit_holds() -> None:
    limiter = HostLimiter(HostRule(interval=0.0, concurrency=2), {})
    _run(limiter, "a.example", 6, 0.05)
    assert limiter.state("a.example").peak_in_flight == 2
    assert limiter.state("A.EXAMPLE").requests == 6  # host names are case-insensitive


def test_one_in_flight_hosts_are_spaced_from_the_end_of_the_last_request() -> None:
    limiter = HostLimiter(HostRule(interval=0.0, concurrency=8),
                          {"slow.example": HostRule(interval=0.1, concurrency=1)})
    starts = _run(limiter, "slow.example", 3, 0.1)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert all(gap >= 0.19 for gap in gaps)  # 0.1 s answer + 0.1 s spacing
    assert limiter.state("slow.example").peak_in_flight == 1


def test_hosts_do_not_wait_for_each_other() -> None:
    limiter = HostLimiter(HostRule(interval=0.2, concurrency=1), {})

    async def main() -> float:
        loop = asyncio.get_running_loop()
        begin = loop.time()

        async def one(host: str) -> None:
            async with limiter.turn(host):
                pass

        await asyncio.gather(*(one(f"h{i}.example") for i in range(5)))
        return loop.time() - begin

    assert asyncio.run(main()) < 0.1


def test_deferral_holds_the_host_back(monkeypatch) -> None:
    from listwatch.net import clock

    waits: list[float] = []

    async def fake(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(clock, "sleep", fake)
    limiter = HostLimiter(HostRule(interval=0.0, concurrency=1), {})

    async def main() -> None:
        limiter.defer("a.example", 30)
        async with limiter.turn("a.example"):
            pass

    asyncio.run(main())
    assert len(waits) == 1 and 29 < waits[0] <= 30


def test_an_overloaded_host_is_spaced_further_and_recovers() -> None:
    limiter = HostLimiter(HostRule(interval=0.1, concurrency=4), {})
    limiter.answered("a.example", 200)
    assert limiter.state("a.example").interval == 0.1
    limiter.answered("a.example", 429, {"Retry-After": "2"})  # says how long: deferred
    assert limiter.state("a.example").interval == 0.1
    limiter.answered("a.example", 429)
    assert limiter.state("a.example").interval == 0.5  # doubled, and at least 0.5 s
    limiter.answered("a.example", 503)  # one page's failure as often as an overload
    assert limiter.state("a.example").interval == 0.5
    limiter.answered("a.example", 429)
    assert limiter.state("a.example").interval == 1.0
    for _ in range(10):
        limiter.answered("a.example", 429)
    assert limiter.state("a.example").interval == 10.0  # never slower than 10 s
    assert limiter.state("b.example").interval == 0.1  # other hosts are not touched
    for _ in range(9):
        limiter.answered("a.example", None if _ % 2 else 503)
    assert limiter.state("a.example").interval == 10.0
    limiter.answered("a.example", 404)  # the tenth calm answer in a row
    assert limiter.state("a.example").interval == 5.0
    for _ in range(100):
        limiter.answered("a.example", 200)
    assert limiter.state("a.example").interval == 0.1  # back to its rule, never below


def test_spacing_after_an_overload_holds_between_starts() -> None:
    limiter = HostLimiter(HostRule(interval=0.01, concurrency=4), {})
    limiter.answered("a.example", 429)
    starts = _run(limiter, "a.example", 3, 0.0)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.49, gaps
