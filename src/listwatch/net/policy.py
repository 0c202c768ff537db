"""The one retry policy: what is retried, how long to wait, when to give up.

Rules, for every caller (link checks, metadata APIs, reading the list, client
libraries in worker threads):

- Retried: transport failures (timeouts, refused or reset connections) and the
  statuses in ``statuses`` (429, 500–504, and Cloudflare's 520–524), up to
  ``attempts`` tries in all.
- Between tries: exponential backoff with full jitter, a random wait in
  ``[0, min(backoff_max, backoff_initial * 2 ** (retry - 1))]``.
- ``Retry-After`` (on 429 and 503, and on a 403 from an API, which is then a
  rate limit): waited out when it is at most ``retry_after_max`` seconds;
  otherwise the caller gives up at once, with a message that says so.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from listwatch.net.retry_after import retry_after

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
RETRY_AFTER_STATUSES = frozenset({429, 503})

Action = Literal["done", "retry", "give_up"]


@dataclass(frozen=True)
class Decision:
    """What to do after one try: stop with it, wait ``wait`` seconds and retry, or give up.

    ``deferred``: the wait is a ``Retry-After`` (it holds back the whole host).
    ``rate_limited``: the answer was a rate limit. ``reason`` says why, for messages.
    """

    action: Action
    wait: float = 0.0
    deferred: bool = False
    rate_limited: bool = False
    reason: str = ""


@dataclass(frozen=True)
class RetryPolicy:
    """Which failures are retried, how often, and how long to wait between tries."""

    attempts: int = 3
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    retry_after_max: float = 60.0
    statuses: frozenset[int] = RETRY_STATUSES

    def backoff(self, retry: int, rng: random.Random | None = None) -> float:
        """The wait before retry number ``retry`` (1-based): full jitter under the cap."""
        ceiling = self.ceiling(retry)
        return (rng or random).uniform(0.0, ceiling)

    def ceiling(self, retry: int) -> float:
        """The longest backoff before retry number ``retry``."""
        return min(self.backoff_max, self.backoff_initial * 2.0 ** max(0, retry - 1))

    def rate_limited(self, status: int, headers: Mapping[str, str], *, api: bool) -> bool:
        """A 429, or (from an API) a 403 carrying ``Retry-After``."""
        if status == 429:
            return True
        return api and status == 403 and retry_after(headers) is not None

    def retryable(self, status: int, headers: Mapping[str, str], *, api: bool) -> bool:
        """Whether an answer with ``status`` is worth asking again."""
        return status in self.statuses or self.rate_limited(status, headers, api=api)

    def waits_for(self, status: int, headers: Mapping[str, str], *, api: bool) -> float | None:
        """The ``Retry-After`` this answer asks for, if the policy honours it here."""
        if status in RETRY_AFTER_STATUSES or self.rate_limited(status, headers, api=api):
            return retry_after(headers)
        return None

    def too_long(self, seconds: float) -> str:
        """Why a ``Retry-After`` of ``seconds`` is not waited out."""
        return f"Retry-After {seconds:g} s exceeds retry_after_max {self.retry_after_max:g} s"

    def after_answer(self, status: int, headers: Mapping[str, str], tries: int, *,
                     api: bool) -> Decision:
        """The decision after try number ``tries`` answered ``status``."""
        if not self.retryable(status, headers, api=api):
            return Decision("done")
        limited = self.rate_limited(status, headers, api=api)
        reason = f"HTTP {status}"
        wait_for = self.waits_for(status, headers, api=api)
        if wait_for is not None and wait_for > self.retry_after_max:
            return Decision("give_up", rate_limited=limited,
                            reason=f"{reason}: {self.too_long(wait_for)}")
        if tries >= self.attempts:
            return Decision("give_up", rate_limited=limited, reason=reason)
        if wait_for is not None:
            return Decision("retry", wait_for, deferred=True, rate_limited=limited,
                            reason=reason)
        return Decision("retry", self.backoff(tries), rate_limited=limited, reason=reason)

    def after_failure(self, reason: str, tries: int) -> Decision:
        """The decision after try number ``tries`` failed without an answer."""
        if tries >= self.attempts:
            return Decision("give_up", reason=reason)
        return Decision("retry", self.backoff(tries), reason=reason)
