"""HostPools: one transport per origin, the least recently used idle ones closed."""

from __future__ import annotations

import asyncio

import httpx

from listwatch.config import HttpConfig
from listwatch.net.client import async_client
from listwatch.net.environment import FILES_WANTED, open_files_limit
from listwatch.net.pools import (
    MAX_ORIGINS,
    HostPools,
    keepalive_per_origin,
    origins_kept,
)


class Recording(httpx.AsyncBaseTransport):
    """A transport that answers 200 and remembers what it served and whether it closed."""

    def __init__(self, made: list[Recording]) -> None:
        self.served: list[str] = []
        self.closed = False
        made.append(self)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.served.append(str(request.url))
        return httpx.Response(200, stream=httpx.ByteStream(b"ok"))

    async def aclose(self) -> None:
        self.closed = True


def test_each_origin_keeps_its_own_transport() -> None:
    made: list[Recording] = []

    async def main() -> None:
        async with httpx.AsyncClient(transport=HostPools(lambda: Recording(made))) as client:
            for url in ("https://a.example/1", "https://b.example/1", "https://a.example/2",
                        "http://a.example/3", "https://a.example:8443/4"):
                assert (await client.get(url)).text == "ok"

    asyncio.run(main())
    assert [t.served for t in made] == [
        ["https://a.example/1", "https://a.example/2"], ["https://b.example/1"],
        ["http://a.example/3"], ["https://a.example:8443/4"]]
    assert all(t.closed for t in made)  # closed with the client


def test_least_recently_used_idle_origins_are_closed_beyond_the_bound() -> None:
    made: list[Recording] = []
    pools = HostPools(lambda: Recording(made), max_origins=2)

    async def main() -> None:
        async with httpx.AsyncClient(transport=pools) as client:
            async with client.stream("GET", "https://open.example/") as still_reading:
                await client.get("https://a.example/")
                await client.get("https://b.example/")  # 3 origins: a is closed, not open
                assert [t.closed for t in made] == [False, True, False]
                assert pools.origins == 2
                await still_reading.aread()
            await client.get("https://c.example/")  # open is idle now and the oldest
            assert [t.closed for t in made] == [True, True, False, False]
            await client.get("https://b.example/again")  # kept: served by the same one
            assert made[2].served == ["https://b.example/", "https://b.example/again"]

    asyncio.run(main())


def test_the_client_keeps_a_connection_per_host_through_the_environment_proxy(
        world_inprocess) -> None:  # type: ignore[no-untyped-def]
    """Through the proxy, HEAD probes of one host reuse one tunnel (the probe takes in
    each answer's end), and another host gets its own."""
    from listwatch.probe.fetch import _finish_head

    world_inprocess.host("a.example").default(status=200)
    world_inprocess.host("b.example").default(status=200)

    async def main() -> list[str]:
        async with async_client(HttpConfig()) as client:
            for url in ["https://a.example/1", "https://b.example/1", "https://a.example/2",
                        "https://a.example/3"]:
                async with client.stream("HEAD", url) as response:
                    await _finish_head(response)
            return [repr(c) for pools in _host_pools(client) for c in pools]

    connections = asyncio.run(main())
    assert len(connections) == 2
    assert any("a.example" in c and "Request Count: 3" in c for c in connections)
    assert any("b.example" in c and "Request Count: 1" in c for c in connections)


def _host_pools(client: httpx.AsyncClient) -> list[list[object]]:
    """The httpcore connections of every origin of every HostPools of ``client``."""
    transports = [client._transport, *client._mounts.values()]
    return [list(pool.transport._pool.connections)  # type: ignore[attr-defined]
            for t in transports if isinstance(t, HostPools)
            for pool in t._pools.values()]


def test_a_host_keeps_as_many_connections_as_it_may_have_requests_in_flight(
        world_inprocess) -> None:  # type: ignore[no-untyped-def]
    """Requests of one host that overlap each get a connection, and the next ones reuse
    all of them (httpcore would close all but ``max_keepalive_connections`` counting the
    busy ones too): as many kept as ``host_concurrency`` allows in flight."""
    from listwatch.probe.fetch import _finish_head

    world_inprocess.host("a.example").default(status=200, delay_ms=50)

    async def head(client: httpx.AsyncClient, url: str) -> None:
        async with client.stream("HEAD", url) as response:
            await _finish_head(response)

    async def main() -> list[str]:
        async with async_client(HttpConfig(host_concurrency=3)) as client:
            for batch in range(2):
                await asyncio.gather(*(head(client, f"https://a.example/{batch}/{n}")
                                       for n in range(3)))
            return [repr(c) for pools in _host_pools(client) for c in pools]

    connections = asyncio.run(main())
    assert len(connections) == 3
    assert all("Request Count: 2" in c for c in connections)


def test_the_connections_kept_stay_within_half_the_open_file_limit() -> None:
    for files in (256, 1024, 8192, 1 << 20):
        for host_concurrency in (1, 2, 4, 10, 64, 1000):
            keepalive = keepalive_per_origin(host_concurrency)
            assert keepalive >= host_concurrency
            kept = origins_kept(keepalive, files)
            assert kept * keepalive <= max(files // 2, keepalive)
            assert 1 <= kept <= MAX_ORIGINS
    # With the limit raised as far as asked, 300 hosts with 10 in flight each all stay.
    assert origins_kept(keepalive_per_origin(10), FILES_WANTED) >= 300


def test_the_open_file_limit_is_raised_toward_what_a_run_needs() -> None:
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
        limit = open_files_limit()
        expected = FILES_WANTED if hard == resource.RLIM_INFINITY else min(FILES_WANTED, hard)
        assert limit == expected
        assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == expected
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
