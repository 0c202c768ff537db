"""Request accounting: every request sent, retries included, by service."""

from __future__ import annotations

import asyncio

import httpx

from listwatch.net import Network, RequestLog, RetryPolicy, send
from listwatch.net.services import DBLP, WAYBACK


def test_counts_by_service() -> None:
    log = RequestLog()
    log.sent("dblp")
    log.sent("dblp")
    log.sent("wayback")
    assert log.count("dblp") == 2 and log.count("github") == 0
    assert log.totals() == {"dblp": 2, "wayback": 1}


def test_send_counts_retries() -> None:
    answers = iter([503, 502, 200, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers))

    async def main() -> Network:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            network = Network.of(client, policy=RetryPolicy(backoff_initial=0.0), rules={})
            await send(network, DBLP, "GET", "https://dblp.org/search/publ/api")
            await send(network, WAYBACK, "GET", "https://archive.org/wayback/available")
            return network

    network = asyncio.run(main())
    assert network.requests.totals() == {"dblp": 3, "wayback": 1}
