"""A scripted mock internet for httpx.MockTransport, and a fast config."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx

from listwatch.config import CheckConfig, Config, HttpConfig
from listwatch.model import Verdict
from listwatch.net import Network
from listwatch.probe import ProbeContext, probe_urls

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
PUBLIC = "93.184.216.34"

Handler = Callable[[httpx.Request], Awaitable[httpx.Response] | httpx.Response]


def make_config(**changes: Any) -> Config:
    """A config with fast defaults; ``http_*``/``check_*`` keywords override fields."""
    http = {"timeout": 1.0, "host_interval": 0.0, "host_concurrency": 4, "max_concurrency": 16}
    check: dict[str, Any] = {"retries": 2, "retry_after_max": 60.0}
    for key, value in changes.items():
        section, _, name = key.partition("_")
        (http if section == "http" else check)[name] = value
    return Config(targets=(), http=HttpConfig(**http), check=CheckConfig(**check))


@dataclasses.dataclass
class Hit:
    method: str
    url: str
    start: float
    host: str


class World:
    """Routes by (host, path) to handlers; records every request and in-flight peaks."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: list[Hit] = []
        self.in_flight: dict[str, int] = {}
        self.peak: dict[str, int] = {}
        self.total_in_flight = 0
        self.total_peak = 0

    def route(self, url: str, handler: Handler | int, **headers: str) -> None:
        if isinstance(handler, int):
            status = handler
            self.routes[url] = lambda request: httpx.Response(status, headers=headers)
        else:
            self.routes[url] = handler

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        loop = asyncio.get_running_loop()
        host = request.url.host
        self.hits.append(Hit(request.method, str(request.url), loop.time(), host))
        self.in_flight[host] = self.in_flight.get(host, 0) + 1
        self.peak[host] = max(self.peak.get(host, 0), self.in_flight[host])
        self.total_in_flight += 1
        self.total_peak = max(self.total_peak, self.total_in_flight)
        try:
            key = str(request.url.copy_with(query=None))
            handler = self.routes.get(key) or self.routes.get(f"{request.url.scheme}://{host}/*")
            if handler is None:
                return httpx.Response(404)
            result = handler(request)
            if asyncio.iscoroutine(result):
                result = await result
            return result  # type: ignore[return-value]
        finally:
            self.in_flight[host] -= 1
            self.total_in_flight -= 1

    def count(self, url: str, method: str | None = None) -> int:
        return sum(1 for h in self.hits if h.url == url and (method is None or h.method == method))


async def _public(host: str) -> Sequence[str]:
    return [PUBLIC]


def run_probe(world: World, urls: Sequence[str], config: Config | None = None,
              **context: Any) -> dict[str, Verdict]:
    """Run ``probe_urls`` against the mock world."""
    config = config or make_config()
    context.setdefault("proxy", False)
    context.setdefault("resolve", _public)
    ctx = ProbeContext(now=T0, **context)

    async def main() -> dict[str, Verdict]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(world),
                                     follow_redirects=False,
                                     timeout=config.http.timeout) as client:
            return await probe_urls(urls, config=config, network=Network.for_run(config, client),
                                    context=ctx)

    return asyncio.run(main())
