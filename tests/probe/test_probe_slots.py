"""Slots: the run's requests in flight, the busiest hosts' first."""

from __future__ import annotations

import asyncio

import httpx
from mockweb import World, make_config, run_probe

from listwatch.probe.slots import Slots


def test_a_freed_slot_goes_to_the_busiest_waiter_then_first_come_first_served() -> None:
    granted: list[str] = []

    async def main() -> None:
        slots = Slots(1)
        release = asyncio.Event()

        async def holder() -> None:
            async with slots.hold(0):
                await release.wait()

        async def waiter(name: str, backlog: int) -> None:
            async with slots.hold(backlog):
                granted.append(name)

        first = asyncio.create_task(holder())
        await asyncio.sleep(0)
        tasks = [asyncio.create_task(waiter(name, backlog))
                 for name, backlog in (("a", 0), ("gone", 1), ("b", 0), ("busy", 1))]
        await asyncio.sleep(0)
        tasks[1].cancel()  # a waiter cancelled before its turn never takes a slot
        await asyncio.sleep(0)
        release.set()
        await asyncio.gather(first, *tasks, return_exceptions=True)
        assert slots.free == 1

    asyncio.run(main())
    assert granted == ["busy", "a", "b"]


def test_the_host_with_most_requests_to_make_takes_the_next_free_slot(mockweb: World) -> None:
    """One slot for the run: after the first request, the host with many requests to
    make goes before one-off hosts that were waiting longer."""
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.05)  # everyone else is waiting by the time it ends
        return httpx.Response(200)

    one_offs = [f"https://a{n}.example/x" for n in range(4)]
    busy = [f"https://z.example/{n}" for n in range(8)]
    for url in [*one_offs, "https://z.example/*"]:
        mockweb.route(url, slow)
    run_probe(mockweb, [*one_offs, *busy], config=make_config(http_max_concurrency=1,
                                                            http_host_interval=0.01))
    hosts = [h.host for h in mockweb.hits]
    assert hosts[0] == "a0.example" and hosts[1] == "z.example", hosts
