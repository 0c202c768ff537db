"""``HostPools``: one small connection pool per origin, the least recently used closed.

A run talks to hundreds of hosts at once. In one shared pool their connections push
each other out (every request a new TCP connection, proxy tunnel and TLS handshake),
and httpcore's pool bookkeeping grows with the square of its size. Here each origin
(scheme, host, port) gets a transport of its own, so a host keeps its connections
between requests, and the pools kept open are bounded (``max_origins``; each keeps at
most ``keepalive`` idle connections, together at most half the process's open-file
limit). In-flight requests per host are the limiter's business.

How many connections an origin keeps (``keepalive_per_origin``): as many as the host
may have requests in flight. httpcore (1.0.x) closes an idle connection as soon as its
pool holds more connections *in all* than ``max_keepalive_connections`` (it counts the
busy ones too: encode/httpcore#1000), so with fewer, a host whose requests overlap (the
next one starts before the last answer is in) gets a new connection, proxy tunnel and
TLS handshake for nearly every request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Callable

import httpx

# Origins whose connections are kept open between requests (at most).
MAX_ORIGINS = 384
# Idle connections each origin keeps for its next requests (at least).
KEEPALIVE_PER_ORIGIN = 2
# The share of the process's open files idle connections may hold.
IDLE_SHARE = 0.5


def keepalive_per_origin(host_concurrency: int) -> int:
    """Connections an origin keeps between its requests: one per request a host may have
    in flight (``[http] host_concurrency``), at least ``KEEPALIVE_PER_ORIGIN``."""
    return max(KEEPALIVE_PER_ORIGIN, host_concurrency)


def origins_kept(keepalive: int, open_files: int) -> int:
    """Origins kept open when each keeps ``keepalive`` connections: at most
    ``IDLE_SHARE`` of ``open_files`` in all, for at most ``MAX_ORIGINS`` origins. (Fewer
    origins than the hosts a run visits in turn would reopen a connection per request.)"""
    return max(1, min(MAX_ORIGINS, int(open_files * IDLE_SHARE) // keepalive))

Origin = tuple[bytes, bytes, int | None]


class _Pool:
    """One origin's transport and its requests still being answered."""

    __slots__ = ("active", "transport")

    def __init__(self, transport: httpx.AsyncBaseTransport) -> None:
        self.transport = transport
        self.active = 0


class _Released(httpx.AsyncByteStream):
    """A response body that tells its pool when it is closed."""

    def __init__(self, stream: httpx.AsyncByteStream, pool: _Pool) -> None:
        self._stream = stream
        self._pool: _Pool | None = pool

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._stream.__aiter__()  # no generator of its own around each chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            if self._pool is not None:
                self._pool.active -= 1
                self._pool = None


class HostPools(httpx.AsyncBaseTransport):
    """Dispatches each request to its origin's own transport, made by ``make``."""

    def __init__(self, make: Callable[[], httpx.AsyncBaseTransport],
                 max_origins: int = MAX_ORIGINS) -> None:
        self._make = make
        self._max_origins = max_origins
        self._pools: OrderedDict[Origin, _Pool] = OrderedDict()

    @property
    def origins(self) -> int:
        """Origins with a pool open."""
        return len(self._pools)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        key = (url.raw_scheme, url.raw_host, url.port)
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = _Pool(self._make())
            await self._evict()
        else:
            self._pools.move_to_end(key)
        pool.active += 1
        try:
            response = await pool.transport.handle_async_request(request)
        except BaseException:
            pool.active -= 1
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(status_code=response.status_code, headers=response.headers,
                              stream=_Released(response.stream, pool),
                              extensions=response.extensions)

    async def _evict(self) -> None:
        """Close the least recently used origins without requests beyond the bound."""
        excess = len(self._pools) - self._max_origins
        if excess <= 0:
            return
        idle = [key for key, pool in self._pools.items() if pool.active == 0][:excess]
        for key in idle:
            await self._pools.pop(key).transport.aclose()

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), OrderedDict()
        for pool in pools:
            await pool.transport.aclose()
