"""HTTP checking of one URL: polite requests, retries, HEAD→GET, redirects by hand."""

from __future__ import annotations

import asyncio
import dataclasses
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from listwatch.config import Config
from listwatch.model import Hop, Status, Verdict
from listwatch.net import Network, clock
from listwatch.net.limiter import HostState
from listwatch.probe.addresses import AddressGuard
from listwatch.probe.classify import (
    REDIRECT_STATUSES,
    Failure,
    challenge,
    classify_answer,
    classify_exception,
    clean,
    proxy_name_failure,
    reason,
)
from listwatch.probe.hosts import HostBook, origin_of
from listwatch.probe.redirects import describe, is_permanent, resolve_location, without_fragment
from listwatch.probe.slots import Slots

BODY_PREFIX = 64 * 1024
# Read past the prefix (and dropped) up to this much, so the connection stays usable.
DRAIN_LIMIT = 256 * 1024
# HEAD answers from this code up are not trusted: the same URL is asked again with
# GET (which is retried, and whose body can show a bot check).
HEAD_FALLBACK_FROM = 400
# HEAD answers that mean "this host does not do HEAD": use GET for the rest of the run.
HEAD_REFUSED = frozenset({405, 501})
# A host with this share of the requests still to make goes first for the run's slots.
BUSY_SHARE = 0.1
# The accounting key of link checks (not part of the report's counts).
SERVICE = "links"
# Only encodings this module decodes itself, within BODY_PREFIX (no decompression bombs).
ACCEPT_ENCODING = "gzip, deflate"


@dataclass(frozen=True)
class Answer:
    """One HTTP answer: status, headers and at most ``BODY_PREFIX`` bytes of body."""

    url: str
    method: str
    status: int
    headers: httpx.Headers
    body: bytes
    tries: int = 1


class Stop(Exception):
    """Checking this URL ends here with ``status`` and ``detail``."""

    def __init__(self, status: Status, detail: str, http_status: int | None = None,
                 retry: bool = False, via: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.http_status = http_status
        self.retry = retry
        self.via = via


class RetryableAnswer(Exception):
    """A 5xx/429 answer worth asking again."""

    def __init__(self, answer: Answer, deferred: bool) -> None:
        super().__init__(answer.status)
        self.answer = answer
        self.deferred = deferred


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, RetryableAnswer) or (isinstance(exc, Stop) and exc.retry)


class Fetcher:
    """Requests through the shared client, within global and per-host limits."""

    def __init__(self, *, config: Config, network: Network, hosts: HostBook,
                 guard: AddressGuard, proxy: bool) -> None:
        self.config = config
        self.network = network
        self.client = network.client
        self.limiter = network.limiter
        self.policy = network.policy
        self.hosts = hosts
        self.guard = guard
        self.proxy = proxy
        self.accept = frozenset(config.check.accept)
        self.global_slots = Slots(config.http.max_concurrency)
        self._pending: Counter[str] = Counter()  # host → requests started and not done
        self._checking: Counter[str] = Counter()  # host → links being checked
        self._pending_total = 0
        self.timeout = _timeout_seconds(network.client)

    # -- one request -----------------------------------------------------------

    async def request(self, method: str, url: str, *, head_fallback: bool = False) -> Answer:
        """One attempt. Transport failures become ``Stop``; the host's backoff is kept."""
        host = urlsplit(url).hostname or ""
        self._pending_total += 1
        try:
            with _counted(self._pending, host):
                return await self._request(method, url, host)
        finally:
            self._pending_total -= 1

    async def _request(self, method: str, url: str, host: str) -> Answer:
        origin = origin_of(url)
        health = self.hosts.state(origin)
        if health.down:
            raise Stop(*health.down, via="host-backoff")
        async with self.limiter.slot(host) as state:
            if health.down:
                raise Stop(*health.down, via="host-backoff")
            # The host's turn first, then one of the run's slots (the busiest hosts'
            # first): a slot is never held while its request waits for its host's spacing.
            await self.limiter.wait_turn(state)
            held = state.not_before  # a Retry-After already waited for
            async with self.global_slots.hold(self._busiest(host, state)):
                await self.limiter.wait_again(state, held)
                if health.down:
                    raise Stop(*health.down, via="host-backoff")
                self.network.requests.sent(SERVICE)
                started: list[int] = []  # the status, once the answer has begun
                try:
                    async with asyncio.timeout(self.timeout):
                        answer = await self._send(method, url, started)
                except TimeoutError:
                    failure = classify_exception(httpx.ReadTimeout("deadline"), self.timeout)
                    if started:
                        failure = dataclasses.replace(
                            failure, detail=f"{started[0]} answer not complete within "
                            f"{self.timeout:g} s (the server sends too slowly)")
                    self._count(host, failure)
                    raise Stop(failure.status, failure.detail, retry=failure.retry) from None
                except httpx.InvalidURL as exc:
                    raise Stop("error", f"not a valid URL ({clean(str(exc))})") from None
                except httpx.HTTPError as exc:
                    failure = classify_exception(exc, self.timeout)
                    self._count(origin, failure)
                    raise Stop(failure.status, failure.detail, retry=failure.retry) from None
        if self.proxy:
            name = proxy_name_failure(answer.status, answer.body)
            if name:
                raise Stop("broken", name, answer.status)
        self.hosts.succeeded(origin)
        return answer

    def _busiest(self, host: str, state: HostState) -> int:
        """1 when the host has more requests started and not done than it may have in
        flight, and at least ``BUSY_SHARE`` of all of them: it sets the run's length,
        so its requests take the run's slots first. Else 0: the hosts take them in
        turn, which keeps each host's requests apart and its connection reused."""
        pending = self._pending.get(host, 0)
        return int(pending > state.rule.concurrency
                   and pending >= BUSY_SHARE * self._pending_total)

    async def _send(self, method: str, url: str, started: list[int]) -> Answer:
        wire = without_fragment(url)
        headers = {"Accept-Encoding": ACCEPT_ENCODING}
        async with self.client.stream(method, wire, headers=headers) as response:
            started.append(response.status_code)
            if method == "HEAD":
                await _finish_head(response)
                return Answer(url, method, response.status_code, response.headers, b"")
            body = await body_prefix(response)
            return Answer(url, method, response.status_code, response.headers, body)

    def _count(self, host: str, failure: Failure) -> None:
        """Count a failure that loads the host (timeouts, refused or reset connections).

        A failure the same for every URL on the host (a TLS error, a name that does not
        resolve) gives nothing up: it costs the host no more than a handshake, and each
        link gets its own verdict from its own attempt (they are not retried).
        """
        if not failure.host_wide and failure.kind in ("timeout", "refused", "reset"):
            self.hosts.failed(host, failure.status, failure.detail)

    # -- one request with retries -------------------------------------------------

    async def attempts(self, method: str, url: str) -> Answer:
        """Ask until an answer worth classifying, within the policy's attempts.

        Raises ``Stop`` when the URL cannot be answered (after retries, or at once
        for failures that retrying cannot fix). Between retries, a pause of the
        policy's backoff (none after a Retry-After, which the host limiter waits out
        for every URL of the host).
        """
        policy = self.policy
        host = urlsplit(url).hostname or ""
        tries = 0
        own: Stop | None = None  # this URL's own last failure (a request was made)

        def wait(state: RetryCallState) -> float:
            outcome = state.outcome
            error = outcome.exception() if outcome else None
            if isinstance(error, RetryableAnswer) and error.deferred:
                return 0.0  # the host limiter waits out Retry-After for every URL
            return policy.backoff(state.attempt_number)

        retrying = AsyncRetrying(stop=stop_after_attempt(policy.attempts), wait=wait,
                                 retry=retry_if_exception(_retryable), reraise=True,
                                 sleep=clock.sleep)
        try:
            async for attempt in retrying:
                with attempt:
                    tries += 1
                    try:
                        return await self._attempt(method, url, host)
                    except Stop as failed:
                        own = own if failed.via == "host-backoff" else failed
                        raise
        except RetryableAnswer as exc:
            return dataclasses.replace(exc.answer, tries=tries)
        except Stop as exc:
            # Given up meanwhile, but this URL was asked: its own answer stands.
            stop = own if exc.via == "host-backoff" and own is not None else exc
            if stop.retry and tries > 1:
                stop.detail = f"{stop.detail} ({tries} attempts)"
            raise stop from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(self, method: str, url: str, host: str) -> Answer:
        """One try: the answer, or ``RetryableAnswer`` for one worth asking again."""
        policy = self.policy
        answer = await self.request(method, url)
        self.limiter.answered(host, answer.status, answer.headers)
        if not policy.retryable(answer.status, answer.headers, api=False):
            return answer
        if challenge(answer.status, answer.headers, answer.body):
            return answer
        wait_for = policy.waits_for(answer.status, answer.headers, api=False)
        if wait_for is not None:
            if wait_for > policy.retry_after_max:
                status: Status = "blocked" if answer.status == 429 else "error"
                raise Stop(status, f"{reason(answer.status)}: {policy.too_long(wait_for)}",
                           answer.status)
            self.limiter.defer(host, wait_for)
        if method == "HEAD":  # retried as GET (after a pause), which shows the body
            if wait_for is None and not (self.proxy and answer.status == 502):
                await clock.sleep(policy.backoff(1))
            return answer
        raise RetryableAnswer(answer, deferred=wait_for is not None)

    # -- one URL --------------------------------------------------------------------

    async def check(self, url: str) -> Verdict:
        """Follow ``url`` to its final answer and judge it."""
        with _counted(self._checking, urlsplit(url).hostname or ""):
            return await self._follow(url)

    async def _follow(self, url: str) -> Verdict:
        chain: list[Hop] = []
        current = url
        seen = {without_fragment(url)}
        method = self._first_method(url)
        while True:
            try:
                answer = await self.attempts(method, current)
            except Stop as stop:
                verdict = self._verdict(url, current, chain, stop.status, stop.detail,
                                        stop.http_status, method)
                return dataclasses.replace(verdict, via=stop.via) if stop.via else verdict
            location = answer.headers.get("location")
            if answer.status in REDIRECT_STATUSES and location is not None:
                target = resolve_location(current, location)
                if target is None:
                    return self._verdict(
                        url, current, chain, "error",
                        f"{reason(answer.status)} to an unusable Location "
                        f"{clean(location, 120)!r}", answer.status, method,
                    )
                chain.append(Hop(current, answer.status, target))
                if without_fragment(target) in seen:
                    return self._verdict(url, target, chain, "error",
                                         f"redirect loop ({len(chain)} hops)",
                                         answer.status, method)
                if len(chain) > self.config.http.max_redirects:
                    return self._verdict(
                        url, target, chain, "error",
                        f"more than {self.config.http.max_redirects} redirects",
                        answer.status, method,
                    )
                seen.add(without_fragment(target))
                refusal = await self.guard.refusal(urlsplit(target).hostname or "")
                if refusal:
                    status, detail = refusal
                    return self._verdict(url, target, chain, status,
                                         f"redirects to {clean(target, 200)}: {detail}",
                                         None, method)
                current = target
                method = self._first_method(target)
                continue
            if method == "HEAD" and answer.status >= HEAD_FALLBACK_FROM:
                if answer.status in HEAD_REFUSED:
                    self.hosts.state(origin_of(current)).head_unreliable = True
                method = "GET"
                continue
            status, detail = classify_answer(answer.status, answer.headers, answer.body,
                                             self.accept)
            if answer.tries > 1 and status != "ok":
                detail = f"{detail} ({answer.tries} attempts)"
            return self._verdict(url, current, chain, status, detail, answer.status, method)

    def _first_method(self, url: str) -> str:
        """HEAD, the lightest ask; GET on a host whose HEAD answers are not to be trusted,
        and on a host with more links being checked than it may have requests in flight:
        there each request holds up the host's queue by an interval, and a HEAD that
        fails would need a GET after it, so one GET costs the run less."""
        if self.hosts.state(origin_of(url)).head_unreliable:
            return "GET"
        host = urlsplit(url).hostname or ""
        queued = self._checking[host] > self.limiter.state(host).rule.concurrency
        return "GET" if queued else "HEAD"

    def _verdict(self, url: str, final: str, chain: list[Hop], status: Status, detail: str,
                 http_status: int | None, method: str) -> Verdict:
        hops = tuple(chain)
        if hops and status == "ok":
            return Verdict(url=url, status="redirect", http_status=http_status, final_url=final,
                           permanent=is_permanent(hops), via=method.lower(),
                           detail=describe(hops, final), chain=hops)
        if hops and status != "error":
            detail = f"{detail} (after redirect to {clean(final, 200)})"
        return Verdict(url=url, status=status, http_status=http_status,
                       final_url=final if hops else None, permanent=False,
                       via=method.lower(), detail=detail, chain=hops)

    async def get(self, url: str) -> Answer:
        """GET ``url`` with retries (for API lookups such as the DOI handle API)."""
        return await self.attempts("GET", url)


async def body_prefix(response: httpx.Response, drain: int = DRAIN_LIMIT) -> bytes:
    """At most ``BODY_PREFIX`` bytes of the decoded body, never more in memory.

    gzip and deflate are decoded here with a bounded output size (httpx would
    inflate a whole network chunk at once, megabytes for a decompression bomb);
    any other encoding is kept as sent. Up to ``drain`` bytes more are read as sent
    and dropped: a body that ends within them leaves its connection open for the
    host's next request, instead of a new connection and handshake.
    """
    decoder = _decoder(response.headers.get("content-encoding", ""))
    body = bytearray()
    dropped = 0
    try:
        async for raw in response.aiter_raw():
            room = BODY_PREFIX - len(body)
            if room > 0:
                body += decoder.decompress(raw, room) if decoder else raw[:room]
                continue
            dropped += len(raw)
            if dropped > drain:
                break
    except zlib.error:
        pass  # a corrupt stream: judge what was decoded so far
    except httpx.StreamConsumed:  # a response built in memory (transports in tests)
        return response.content[:BODY_PREFIX]
    return bytes(body[:BODY_PREFIX])


async def _finish_head(response: httpx.Response) -> None:
    """Take in the end of a HEAD answer, so its connection is kept for the next request
    instead of closed. It has no body: one sent anyway is never read."""
    try:
        async for _ in response.aiter_raw():
            break
    except httpx.StreamConsumed:  # a response built in memory (transports in tests)
        pass


@contextmanager
def _counted(counts: Counter[str], host: str) -> Iterator[None]:
    """``host`` counted in ``counts`` for the block (and gone from it at zero)."""
    counts[host] += 1
    try:
        yield
    finally:
        counts[host] -= 1
        if not counts[host]:
            del counts[host]


def _decoder(encoding: str) -> zlib._Decompress | None:
    name = encoding.strip().lower()
    if name in ("gzip", "x-gzip"):
        return zlib.decompressobj(zlib.MAX_WBITS | 16)
    if name == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib header (raw deflate: corrupt)
    return None


def _timeout_seconds(client: httpx.AsyncClient) -> float | None:
    timeout = client.timeout
    values = [v for v in (timeout.connect, timeout.read, timeout.write, timeout.pool) if v]
    return max(values) if values else None
