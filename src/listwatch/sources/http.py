"""Polite HTTP for the metadata services: spacing, retries with backoff, Retry-After.

Every service module sends its requests through ``send``: 429 and 5xx answers and
transport errors are retried with exponential backoff (tenacity), a ``Retry-After``
header is honoured up to ``max_wait`` seconds, and a ``Pacer`` keeps requests to
one host apart. Failures end as ``ServiceDown`` with a message fit for a report
(no headers, no secrets).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
)

from listwatch.net import parse_retry_after

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class ServiceDown(Exception):
    """A service did not answer usefully after retries; ``str()`` is report-safe."""


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass
class Pacer:
    """Keeps successive requests at least ``interval`` seconds apart, one at a time."""

    interval: float
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _last: float | None = None

    async def __aenter__(self) -> Pacer:
        await self._lock.acquire()
        if self._last is not None:
            wait = self._last + self.interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._last = time.monotonic()
        self._lock.release()


@dataclass
class Counter:
    """Requests actually sent (retries included)."""

    sent: int = 0


def _wait(base: float, max_wait: float) -> Callable[[RetryCallState], float]:
    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            return min(exc.retry_after, max_wait)
        return min(base * 2 ** (state.attempt_number - 1), max_wait)

    return wait


async def send(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    service: str,
    params: Mapping[str, str] | None = None,
    json: Any = None,
    headers: Mapping[str, str] | None = None,
    pacer: Pacer | None = None,
    counter: Counter | None = None,
    attempts: int = 4,
    backoff: float = 1.0,
    max_wait: float = 60.0,
    ok_statuses: frozenset[int] = frozenset({200}),
    retry_403_with_retry_after: bool = False,
    follow_redirects: bool = False,
) -> httpx.Response:
    """One request with retries; returns a response whose status is in ``ok_statuses``.

    Raises ``ServiceDown`` (message names ``service`` and what went wrong) otherwise.
    ``retry_403_with_retry_after``: a 403 carrying ``Retry-After`` (GitHub's secondary
    rate limit) is waited out like a 429.
    """

    async def once() -> httpx.Response:
        try:
            if pacer is not None:
                async with pacer:
                    if counter is not None:
                        counter.sent += 1
                    response = await client.request(
                        method, url, params=params, json=json, headers=headers,
                        follow_redirects=follow_redirects)
            else:
                if counter is not None:
                    counter.sent += 1
                response = await client.request(
                    method, url, params=params, json=json, headers=headers,
                        follow_redirects=follow_redirects)
        except httpx.TimeoutException:
            raise _Retryable("timed out") from None
        except httpx.TransportError as exc:
            raise _Retryable(f"connection failed ({type(exc).__name__})") from None
        secondary = (retry_403_with_retry_after and response.status_code == 403
                     and "retry-after" in response.headers)
        if response.status_code in RETRY_STATUSES or secondary:
            raise _Retryable(
                f"HTTP {response.status_code}",
                parse_retry_after(response.headers.get("retry-after")),
            )
        return response

    try:
        async for attempt in AsyncRetrying(
            stop=stop_after_attempt(max(1, attempts)),
            wait=_wait(backoff, max_wait),
            retry=retry_if_exception_type(_Retryable),
            reraise=True,
        ):
            with attempt:
                response = await once()
    except _Retryable as exc:
        raise ServiceDown(f"{service}: {exc} (after {attempts} attempts)") from None
    if response.status_code not in ok_statuses:
        raise ServiceDown(f"{service}: unexpected HTTP {response.status_code}")
    return response
