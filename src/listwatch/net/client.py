"""The one shared ``httpx.AsyncClient`` for a run."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from listwatch.config import HttpConfig
from listwatch.net.environment import ssl_context

# Connections kept beyond ``[http] max_concurrency`` (the link checks' ceiling), so
# metadata API calls never wait behind a full pool of probes.
API_CONNECTIONS = 8


def async_client(config: HttpConfig, *, headers: Mapping[str, str] | None = None,
                 timeout: float | None = None) -> httpx.AsyncClient:
    """The one shared client: no automatic redirects, proxy and CA from the environment.

    The pool holds ``max_concurrency`` connections for link checks plus
    ``API_CONNECTIONS`` for the APIs.
    """
    size = config.max_concurrency + API_CONNECTIONS
    limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
    return httpx.AsyncClient(
        headers={"User-Agent": config.user_agent, **(headers or {})},
        timeout=httpx.Timeout(timeout if timeout is not None else config.timeout),
        limits=limits,
        follow_redirects=False,
        verify=ssl_context(),
        trust_env=True,
    )
