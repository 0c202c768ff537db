"""The one retry policy: statuses, jitter, Retry-After, rate limits."""

from __future__ import annotations

import random

import pytest

from listwatch.net import RetryPolicy

POLICY = RetryPolicy(attempts=3, backoff_initial=1.0, backoff_max=30.0, retry_after_max=60.0)


@pytest.mark.parametrize("status", [429, 500, 501, 502, 503, 504, 520, 521, 522, 523, 524])
def test_retryable_statuses(status: int) -> None:
    expected = status != 501  # "not implemented" is an answer, not a hiccup
    assert POLICY.retryable(status, {}, api=True) is expected
    assert POLICY.retryable(status, {}, api=False) is expected


@pytest.mark.parametrize("status", [200, 301, 304, 400, 401, 403, 404, 410, 451, 505, 525])
def test_answers_that_are_not_retried(status: int) -> None:
    assert not POLICY.retryable(status, {}, api=True)
    assert POLICY.after_answer(status, {}, 1, api=True).action == "done"


def test_full_jitter_stays_under_a_growing_capped_ceiling() -> None:
    rng = random.Random(7)
    for retry in range(1, 12):
        ceiling = min(30.0, 2.0 ** (retry - 1))
        assert POLICY.ceiling(retry) == ceiling
        waits = [POLICY.backoff(retry, rng) for _ in range(200)]
        assert all(0.0 <= w <= ceiling for w in waits)
        assert min(waits) < ceiling / 2  # full jitter reaches down towards zero


def test_attempts_then_give_up() -> None:
    first = POLICY.after_answer(503, {}, 1, api=True)
    assert first.action == "retry" and not first.deferred and 0 <= first.wait <= 1
    last = POLICY.after_answer(503, {}, 3, api=True)
    assert last.action == "give_up" and last.reason == "HTTP 503"
    assert POLICY.after_failure("timed out", 2).action == "retry"
    assert POLICY.after_failure("timed out", 3).action == "give_up"


def test_retry_after_within_the_maximum_is_waited_out() -> None:
    decision = POLICY.after_answer(429, {"Retry-After": "42"}, 1, api=True)
    assert (decision.action, decision.wait, decision.deferred) == ("retry", 42.0, True)
    assert decision.rate_limited


@pytest.mark.parametrize("api", [True, False])
def test_retry_after_over_the_maximum_gives_up_at_once(api: bool) -> None:
    decision = POLICY.after_answer(503, {"retry-after": "3600"}, 1, api=api)
    assert decision.action == "give_up"
    assert decision.reason == "HTTP 503: Retry-After 3600 s exceeds retry_after_max 60 s"


def test_403_with_retry_after_from_an_api_is_a_rate_limit() -> None:
    headers = {"Retry-After": "5"}
    assert POLICY.rate_limited(403, headers, api=True)
    decision = POLICY.after_answer(403, headers, 1, api=True)
    assert decision.action == "retry" and decision.wait == 5.0 and decision.rate_limited
    # a web page's 403 is an answer (blocked), whatever its headers say
    assert not POLICY.retryable(403, headers, api=False)
    # and a 403 without Retry-After is not a rate limit for anyone
    assert not POLICY.retryable(403, {}, api=True)


def test_retry_after_only_read_where_it_means_something() -> None:
    assert POLICY.waits_for(503, {"Retry-After": "3"}, api=False) == 3.0
    assert POLICY.waits_for(500, {"Retry-After": "3"}, api=True) is None
