"""The one shared ``httpx.AsyncClient`` for a run."""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any

import httpx
from httpx._config import DEFAULT_LIMITS
from httpx._types import CertTypes

from listwatch.config import HttpConfig
from listwatch.net.environment import open_files_limit, ssl_context
from listwatch.net.limiter import POLITENESS
from listwatch.net.pools import HostPools, keepalive_per_origin, origins_kept

# Connections for the APIs beyond their per-host ceilings (list reading, the DOI resolver).
SPARE_CONNECTIONS = 4


def pool_size(config: HttpConfig) -> int:
    """The most connections one origin's pool may open: ``max_concurrency`` for link
    checks, plus room for every API at its own per-host ceiling (arXiv, DBLP, Semantic
    Scholar and the Wayback Machine by their terms, the GitHub API by
    ``host_concurrency``), so a request never waits for a connection. Each origin has a
    pool of its own (``HostPools``), so an API call never competes with probes of other
    hosts; per-host limits stay the limiter's business, far below this ceiling."""
    apis = sum(rule.concurrency for rule in POLITENESS.values()) + config.host_concurrency
    return config.max_concurrency + apis + SPARE_CONNECTIONS


class PooledClient(httpx.AsyncClient):
    """An ``httpx.AsyncClient`` whose transports (direct, and one per proxy the
    environment names) are the ones httpx makes, one per origin (``HostPools``, at most
    ``max_origins`` of them kept)."""

    def __init__(self, *, max_origins: int, **kwargs: Any) -> None:
        self._max_origins = max_origins  # read by the transports made in __init__
        super().__init__(**kwargs)

    def _init_transport(self, verify: ssl.SSLContext | str | bool = True,
                        cert: CertTypes | None = None, trust_env: bool = True,
                        http1: bool = True, http2: bool = False,
                        limits: httpx.Limits = DEFAULT_LIMITS,
                        transport: httpx.AsyncBaseTransport | None = None,
                        ) -> httpx.AsyncBaseTransport:
        if transport is not None:
            return transport
        make = super()._init_transport
        return HostPools(lambda: make(verify=verify, cert=cert, trust_env=trust_env,
                                      http1=http1, http2=http2, limits=limits),
                         max_origins=self._max_origins)

    def _init_proxy_transport(self, proxy: httpx.Proxy,
                              verify: ssl.SSLContext | str | bool = True,
                              cert: CertTypes | None = None, trust_env: bool = True,
                              http1: bool = True, http2: bool = False,
                              limits: httpx.Limits = DEFAULT_LIMITS,
                              ) -> httpx.AsyncBaseTransport:
        make = super()._init_proxy_transport
        return HostPools(lambda: make(proxy, verify=verify, cert=cert, trust_env=trust_env,
                                      http1=http1, http2=http2, limits=limits),
                         max_origins=self._max_origins)


def async_client(config: HttpConfig, *, headers: Mapping[str, str] | None = None,
                 timeout: float | None = None) -> httpx.AsyncClient:
    """The one shared client: no automatic redirects, proxy and CA from the environment;
    per origin up to ``pool_size`` connections, as many kept between requests as the host
    may have in flight (``keepalive_per_origin``)."""
    size = pool_size(config)
    keepalive = keepalive_per_origin(config.host_concurrency)
    limits = httpx.Limits(max_connections=size, max_keepalive_connections=keepalive)
    return PooledClient(
        max_origins=origins_kept(keepalive, open_files_limit()),
        headers={"User-Agent": config.user_agent, **(headers or {})},
        timeout=httpx.Timeout(timeout if timeout is not None else config.timeout),
        limits=limits,
        follow_redirects=False,
        verify=ssl_context(),
        trust_env=True,
    )
