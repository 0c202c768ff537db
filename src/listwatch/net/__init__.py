"""The one HTTP layer: client, retry policy, Retry-After, per-host limits, accounting.

- ``environment``: CA bundle and proxy from the environment (also for ``requests``).
- ``client``: the run's shared ``httpx.AsyncClient``.
- ``policy``: ``RetryPolicy``, the one set of retry rules.
- ``retry_after``: reading ``Retry-After``.
- ``limiter``: ``HostLimiter`` and the per-host ``POLITENESS`` table.
- ``accounting``: ``RequestLog``, requests sent per service.
- ``services``: the APIs as values (accounting key, label, errors).
- ``send``: polite requests for API callers (``send``, ``call``).
- ``clock``: the sleep hook for retry waits.
- ``context``: ``Network``, all of the above for one run.
"""

from listwatch.net.accounting import RequestLog
from listwatch.net.blocking import bound_session
from listwatch.net.client import async_client
from listwatch.net.context import Network
from listwatch.net.environment import (
    ca_bundle,
    proxy_configured,
    proxy_problem,
    requests_verify,
    ssl_context,
)
from listwatch.net.limiter import POLITENESS, HostLimiter, HostRule
from listwatch.net.policy import RetryPolicy
from listwatch.net.retry_after import parse_retry_after
from listwatch.net.send import Failed, call, send

__all__ = [
    "POLITENESS",
    "Failed",
    "HostLimiter",
    "HostRule",
    "Network",
    "RequestLog",
    "RetryPolicy",
    "async_client",
    "bound_session",
    "ca_bundle",
    "call",
    "parse_retry_after",
    "proxy_configured",
    "proxy_problem",
    "requests_verify",
    "send",
    "ssl_context",
]
