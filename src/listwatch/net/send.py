"""Polite requests for API callers: the host's limits, the policy's retries, accounting.

``call`` retries any one-request coroutine (an httpx request, or a client library
running in a worker thread); ``send`` is ``call`` for one httpx request.
Failures end as the service's ``ServiceError`` with a report-safe message (no
headers, no secrets).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from listwatch.net import clock
from listwatch.net.context import Network
from listwatch.net.services import Service

T = TypeVar("T")

# An API answer larger than this is refused (the largest real ones are a few MB).
MAX_ANSWER = 32 * 1024 * 1024
# A whole API answer must arrive within this many read timeouts of the client.
DEADLINE_READS = 3
# Headers that describe the body as sent; the rebuilt response holds it decoded.
_BODY_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class Failed(Exception):
    """One try that gave no usable answer: an HTTP status (with headers), or none."""

    def __init__(self, reason: str, status: int | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.headers: Mapping[str, str] = headers or {}


async def call(network: Network, service: Service, once: Callable[[], Awaitable[T]], *,
               host: str | None = None, label: str | None = None) -> T:
    """Run ``once`` (one request) within ``host``'s limits until it returns.

    ``once`` raises ``Failed`` for an answer or failure the policy should judge.
    Raises ``service.error`` (or its rate-limited flavour) when the policy gives up.
    """
    host = host or service.host
    label = label or service.label
    policy = network.policy
    tries = 0
    while True:
        tries += 1
        async with network.limiter.turn(host):
            network.requests.sent(service.key)
            try:
                answer = await once()
            except Failed as failed:
                problem = failed
            else:
                network.limiter.answered(host, None)
                return answer
            network.limiter.answered(host, problem.status, problem.headers)
        if problem.status is None:
            decision = policy.after_failure(problem.reason, tries)
        else:
            decision = policy.after_answer(problem.status, problem.headers, tries, api=True)
        if decision.action != "retry":
            reason = decision.reason or problem.reason
            suffix = f" (after {tries} attempts)" if tries > 1 else ""
            raise service.fail(f"{label}: {reason}{suffix}", status=problem.status,
                               rate_limited=decision.rate_limited)
        if decision.deferred:
            network.limiter.defer(host, decision.wait)
        else:
            await clock.sleep(decision.wait)


async def send(
    network: Network,
    service: Service,
    method: str,
    url: str,
    *,
    label: str | None = None,
    params: Mapping[str, str] | None = None,
    json: Any = None,
    headers: Mapping[str, str] | None = None,
    ok_statuses: frozenset[int] = frozenset({200}),
    follow_redirects: bool = False,
    host: str | None = None,
) -> httpx.Response:
    """One request with retries; returns a response whose status is in ``ok_statuses``.

    ``host`` names the limiter bucket when it is not the URL's host (an endpoint with
    limits of its own, such as GitHub's GraphQL API).
    """
    label = label or service.label

    async def once() -> httpx.Response:
        request = network.client.build_request(method, url, params=params, json=json,
                                               headers=headers)
        try:
            async with asyncio.timeout(_deadline(network.client)):
                response = await bounded(network.client, request, follow_redirects)
        except (httpx.TimeoutException, TimeoutError):
            raise Failed("timed out") from None
        except TooLarge as exc:
            raise Failed(str(exc)) from None
        except httpx.TransportError as exc:
            raise Failed(f"connection failed ({type(exc).__name__})") from None
        if network.policy.retryable(response.status_code, response.headers, api=True):
            raise Failed(f"HTTP {response.status_code}", response.status_code,
                         response.headers)
        return response

    response = await call(network, service, once,
                          host=host or urlsplit(url).hostname or service.host, label=label)
    if response.status_code not in ok_statuses:
        raise service.fail(f"{label}: unexpected HTTP {response.status_code}",
                           status=response.status_code)
    return response


class TooLarge(httpx.TransportError):
    """The answer's body went past ``MAX_ANSWER``."""


async def bounded(client: httpx.AsyncClient, request: httpx.Request,
                  follow_redirects: bool) -> httpx.Response:
    """Send ``request``; the answer read whole, but never past ``MAX_ANSWER`` bytes."""
    response = await client.send(request, stream=True, follow_redirects=follow_redirects)
    try:
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > MAX_ANSWER:
                raise TooLarge(f"answer larger than {MAX_ANSWER // (1024 * 1024)} MiB")
    finally:
        await response.aclose()
    headers = [(k, v) for k, v in response.headers.multi_items()
               if k.lower() not in _BODY_HEADERS]
    return httpx.Response(response.status_code, headers=headers, content=bytes(body),
                          request=response.request)


def _deadline(client: httpx.AsyncClient) -> float | None:
    read = client.timeout.read
    return read * DEADLINE_READS if read else None
