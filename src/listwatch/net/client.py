"""The one shared ``httpx.AsyncClient`` for a run."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from listwatch.config import HttpConfig
from listwatch.net.environment import ssl_context
from listwatch.net.limiter import POLITENESS

# Connections for the APIs beyond their per-host ceilings (list reading, the DOI resolver).
SPARE_CONNECTIONS = 4


def pool_size(config: HttpConfig) -> int:
    """Connections in the shared pool: ``max_concurrency`` for link checks, plus room for
    every API at its own per-host ceiling (arXiv, DBLP, Semantic Scholar and the Wayback
    Machine by their terms, the GitHub API by ``host_concurrency``) now that the sources
    run beside the link checks, so an API call never waits for a probe's connection.
    Per-host limits stay the limiter's business; the pool only has to be big enough."""
    apis = sum(rule.concurrency for rule in POLITENESS.values()) + config.host_concurrency
    return config.max_concurrency + apis + SPARE_CONNECTIONS


def async_client(config: HttpConfig, *, headers: Mapping[str, str] | None = None,
                 timeout: float | None = None) -> httpx.AsyncClient:
    """The one shared client: no automatic redirects, proxy and CA from the environment;
    ``pool_size`` connections."""
    size = pool_size(config)
    limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
    return httpx.AsyncClient(
        headers={"User-Agent": config.user_agent, **(headers or {})},
        timeout=httpx.Timeout(timeout if timeout is not None else config.timeout),
        limits=limits,
        follow_redirects=False,
        verify=ssl_context(),
        trust_env=True,
    )
