"""Polite sending: every caller gives up on a Retry-After over the maximum."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from listwatch import errors
from listwatch.net import Failed, Network, RetryPolicy, call, clock, send
from listwatch.net.services import ARXIV, DBLP, GITHUB, SEMANTIC_SCHOLAR, WAYBACK, Service

POLICY = RetryPolicy(attempts=3, backoff_initial=0.0, retry_after_max=60.0)


@pytest.fixture(autouse=True)
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    recorded: list[float] = []

    async def fake(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(clock, "sleep", fake)
    return recorded


def _send(service: Service, responses: list[httpx.Response]) -> tuple[Network, object]:
    answers = iter(responses)

    async def main() -> tuple[Network, object]:
        transport = httpx.MockTransport(lambda request: next(answers))
        async with httpx.AsyncClient(transport=transport) as client:
            network = Network.of(client, policy=POLICY, rules={})
            try:
                result: object = await send(network, service, "GET",
                                            f"https://{service.host}/x")
            except errors.ServiceError as exc:
                result = exc
            return network, result

    return asyncio.run(main())


@pytest.mark.parametrize(
    ("service", "error"),
    [(GITHUB, errors.GitHubRateLimited), (DBLP, errors.DblpRateLimited),
     (SEMANTIC_SCHOLAR, errors.SemanticScholarRateLimited),
     (WAYBACK, errors.WaybackRateLimited)],
)
def test_retry_after_over_the_maximum_gives_up(service: Service, error: type,
                                               waits: list[float]) -> None:
    network, result = _send(service, [httpx.Response(429, headers={"Retry-After": "3600"})])
    assert isinstance(result, error) and isinstance(result, errors.RateLimited)
    assert str(result) == (f"{service.label}: HTTP 429: Retry-After 3600 s exceeds "
                           "retry_after_max 60 s")
    assert result.exit_code == 3 and result.status == 429
    assert network.requests.count(service.key) == 1 and waits == []


def test_retry_after_within_the_maximum_is_waited_out(waits: list[float]) -> None:
    network, result = _send(DBLP, [httpx.Response(503, headers={"Retry-After": "7"}),
                                   httpx.Response(200)])
    assert isinstance(result, httpx.Response) and result.status_code == 200
    assert len(waits) == 1 and 6 < waits[0] <= 7
    assert network.requests.count("dblp") == 2


def test_403_with_retry_after_is_a_rate_limit_for_every_api(waits: list[float]) -> None:
    _, result = _send(SEMANTIC_SCHOLAR, [
        httpx.Response(403, headers={"Retry-After": "2"}), httpx.Response(200)])
    assert isinstance(result, httpx.Response) and result.status_code == 200
    _, refused = _send(WAYBACK, [httpx.Response(403)])
    assert isinstance(refused, errors.WaybackError)
    assert str(refused) == "archive.org: unexpected HTTP 403"


def test_persistent_5xx_ends_as_the_service_error() -> None:
    network, result = _send(DBLP, [httpx.Response(502)] * 3)
    assert isinstance(result, errors.DblpError) and not isinstance(result, errors.RateLimited)
    assert str(result) == "dblp.org: HTTP 502 (after 3 attempts)"
    assert network.requests.count("dblp") == 3


def test_library_calls_follow_the_same_rules(waits: list[float]) -> None:
    """A client library in a worker thread (arXiv) answers through ``Failed``."""
    tries: list[int] = []

    async def main() -> object:
        async with httpx.AsyncClient() as client:
            network = Network.of(client, policy=POLICY, rules={})

            async def once() -> str:
                tries.append(1)
                raise Failed("HTTP 429", 429, {"Retry-After": "600"})

            try:
                return await call(network, ARXIV, once)
            except errors.ServiceError as exc:
                return exc

    result = asyncio.run(main())
    assert isinstance(result, errors.ArxivRateLimited)
    assert "exceeds retry_after_max" in str(result) and len(tries) == 1 and waits == []


def test_transport_failures_are_retried_then_reported() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    async def main() -> object:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            network = Network.of(client, policy=POLICY, rules={})
            try:
                return await send(network, WAYBACK, "GET", "https://archive.org/x")
            except errors.ServiceError as exc:
                return exc

    result = asyncio.run(main())
    assert str(result) == "archive.org: connection failed (ConnectError) (after 3 attempts)"
