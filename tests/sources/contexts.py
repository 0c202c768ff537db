"""Source contexts for tests: a network with no politeness waits unless asked for."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

import httpx

from listwatch.model import FactCache
from listwatch.net import HostRule, Network, RetryPolicy
from listwatch.sources.interface import SourceContext

NOW = datetime(2026, 1, 1, tzinfo=UTC)
FAST = RetryPolicy(backoff_initial=0.0)


def context(client: httpx.AsyncClient, *, cache: FactCache | None = None,
            now: datetime = NOW, max_age_s: float = 3600,
            policy: RetryPolicy = FAST,
            rules: Mapping[str, HostRule] | None = None) -> SourceContext:
    """A context around ``client``: no backoff, no spacing, unless ``rules`` say so.

    ``rules=None`` means no per-host rules at all; pass ``POLITENESS`` for the real ones.
    """
    network = Network.of(client, policy=policy, default=HostRule(interval=0.0, concurrency=8),
                         rules=dict(rules or {}))
    return SourceContext(network=network, cache=cache, now=now, max_age_s=max_age_s)
