"""A run whose hosts mostly fail the same way is a network problem, not dead links.

Offline, every name fails to resolve; behind a proxy that cannot get out, every
CONNECT fails. Recording that as each link failing would, a run or two later,
call the whole list dead. ``network_outage`` looks at one run's verdicts per host:
when at least ``MIN_HOSTS`` hosts were asked over the network and at least
``SHARE`` of them failed without one HTTP answer, all in the same way, it returns
the one line to stop the run with; the caller records nothing.

Only failures that say the way out is closed count: names that do not resolve, a
proxy that reaches nothing, refused connections. Timeouts, resets and TLS errors
are what hostile or dying servers do, so they stay verdicts on their links.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

from listwatch.model import OK_STATUSES, Verdict

MIN_HOSTS = 4
SHARE = 0.8
# Verdicts that come from asking the host itself (verifiers and the cache do not).
_NETWORK_VIA = frozenset({"head", "get", "address"})
# How a transport failure reads in a verdict's detail, and what it is called here.
_KINDS = (
    ("name does not resolve", "names do not resolve"),
    ("the proxy could not reach", "the proxy reaches no host"),
    ("connection refused", "connections are refused"),
    ("cannot connect", "connections fail"),
)


def _kind(verdict: Verdict) -> str | None:
    """The transport failure ``verdict`` records, or None (an answer, or not a failure)."""
    if verdict.status in OK_STATUSES or verdict.http_status is not None:
        return None
    detail = verdict.detail.lower()
    return next((name for marker, name in _KINDS if detail.startswith(marker)), None)


def network_outage(verdicts: Iterable[Verdict]) -> str | None:
    """One line saying the network failed, when most hosts of the run failed the same
    way; None when the verdicts can be trusted."""
    per_host: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        if verdict.via in _NETWORK_VIA:
            host = (urlsplit(verdict.url).hostname or "").lower()
            per_host.setdefault(host, []).append(verdict)
    if len(per_host) < MIN_HOSTS:
        return None
    failed: Counter[str] = Counter()
    example: dict[str, Verdict] = {}
    for found in per_host.values():
        kinds = {_kind(verdict) for verdict in found}
        kind = kinds.pop() if len(kinds) == 1 else None
        if kind is not None:
            failed[kind] += 1
            example.setdefault(kind, found[0])
    if not failed:
        return None
    kind, count = failed.most_common(1)[0]
    if count < SHARE * len(per_host):
        return None
    sample = example[kind]
    host = urlsplit(sample.url).hostname or "?"
    return (f"{count} of {len(per_host)} hosts failed the same way ({kind}; e.g. {host}: "
            f"{sample.detail}): that is the network, not the links, so this run was "
            "stopped and not recorded (check the connection, or HTTPS_PROXY)")
