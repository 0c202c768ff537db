"""``Network``: everything a caller needs to talk to the outside, for one run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from listwatch.config import Config
from listwatch.net.accounting import RequestLog
from listwatch.net.limiter import POLITENESS, HostLimiter, HostRule
from listwatch.net.policy import RetryPolicy


@dataclass(frozen=True)
class Network:
    """The shared client, per-host limiter, retry policy and request accounting."""

    client: httpx.AsyncClient
    limiter: HostLimiter
    policy: RetryPolicy
    requests: RequestLog

    @classmethod
    def for_run(cls, config: Config, client: httpx.AsyncClient) -> Network:
        """The network of one run, from ``[http]`` and ``[check]`` settings."""
        return cls.of(client, policy=policy_for(config), default=default_rule(config))

    @classmethod
    def of(cls, client: httpx.AsyncClient, *, policy: RetryPolicy | None = None,
           default: HostRule | None = None,
           rules: Mapping[str, HostRule] | None = None) -> Network:
        """A network around ``client``; defaults where not given (handy in tests)."""
        limiter = HostLimiter(default or HostRule(interval=0.1, concurrency=4),
                              POLITENESS if rules is None else rules)
        return cls(client=client, limiter=limiter, policy=policy or RetryPolicy(),
                   requests=RequestLog())


def policy_for(config: Config) -> RetryPolicy:
    """The run's retry policy: ``[check] retries`` and ``retry_after_max`` for everyone."""
    return RetryPolicy(attempts=config.check.retries + 1,
                       retry_after_max=config.check.retry_after_max)


def default_rule(config: Config) -> HostRule:
    """Limits for hosts without their own rule: ``[http] host_concurrency``/``host_interval``."""
    return HostRule(interval=config.http.host_interval,
                    concurrency=config.http.host_concurrency)
