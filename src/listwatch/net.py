"""The shared HTTP layer: one configured ``httpx.AsyncClient`` and matching settings
for the synchronous client libraries (PyGithub, arxiv use ``requests``).

Standard proxy and CA variables are honoured everywhere: ``HTTPS_PROXY``,
``HTTP_PROXY``, ``ALL_PROXY``, ``NO_PROXY`` (by httpx and requests themselves) and
``SSL_CERT_FILE`` / ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` (here, so both kinds of
client trust the same bundle).
"""

from __future__ import annotations

import os
import socket
import ssl
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from listwatch.config import HttpConfig

CA_VARIABLES = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY",
                   "all_proxy")


def ca_bundle(environ: Mapping[str, str] | None = None) -> str | None:
    """The CA bundle the user asked for through the environment, if any."""
    env = os.environ if environ is None else environ
    for name in CA_VARIABLES:
        value = env.get(name)
        if value:
            return value
    return None


def proxy_configured(environ: Mapping[str, str] | None = None) -> bool:
    """True when requests go through a proxy (then DNS is the proxy's business)."""
    env = os.environ if environ is None else environ
    return any(env.get(name) for name in PROXY_VARIABLES)


def ssl_context() -> ssl.SSLContext:
    """TLS verification context honouring the CA variables (system store otherwise)."""
    bundle = ca_bundle()
    if bundle:
        return ssl.create_default_context(cafile=bundle)
    return ssl.create_default_context()


def requests_verify() -> str | bool:
    """The ``verify=`` value for ``requests`` sessions (PyGithub, arxiv)."""
    return ca_bundle() or True


def async_client(config: HttpConfig, *, headers: Mapping[str, str] | None = None,
                 timeout: float | None = None) -> httpx.AsyncClient:
    """The one shared client: no automatic redirects, pooled for ``max_concurrency``."""
    limits = httpx.Limits(
        max_connections=config.max_concurrency,
        max_keepalive_connections=config.max_concurrency,
    )
    return httpx.AsyncClient(
        headers={"User-Agent": config.user_agent, **(headers or {})},
        timeout=httpx.Timeout(timeout if timeout is not None else config.timeout),
        limits=limits,
        follow_redirects=False,
        verify=ssl_context(),
        trust_env=True,
    )


def proxy_problem(environ: Mapping[str, str] | None = None, timeout: float = 5.0) -> str | None:
    """Why the configured HTTPS proxy cannot be reached, or None.

    Without this, an unreachable proxy would make every link of the list look dead.
    Credentials in the proxy URL are never part of the message.
    """
    env = os.environ if environ is None else environ
    raw = next((env[name] for name in PROXY_VARIABLES if env.get(name)), None)
    if raw is None:
        return None
    parts = urlsplit(raw if "://" in raw else f"http://{raw}")
    host = parts.hostname
    try:
        port = parts.port or (443 if parts.scheme == "https" else 1080
                              if parts.scheme.startswith("socks") else 80)
    except ValueError:
        return f"the proxy address in the environment is not a valid URL (port of {host})"
    if not host:
        return "the proxy address in the environment has no host name"
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return f"the proxy {parts.scheme}://{host}:{port} is not reachable ({reason})"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP date).

    None when absent or unparseable; never negative.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(int(text))
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN guard
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
