"""Per-host health during link checking: hosts that keep failing are given up.

Limits and spacing are the shared ``net.HostLimiter``'s business; this is only the
link checker's memory of each host (consecutive failures, given up, HEAD refused).

A verdict comes only from a request to that URL: the links of a host given up are
not requested, so they are ``skipped`` ("not checked: …", via ``host-backoff``),
which neither starts nor extends a failing streak; the next run checks them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from listwatch.model import Status

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str:
    """``host:port`` of ``url`` (the default port of its scheme when none is written):
    what a host's health is kept per, so one failing port gives up no other."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    port = port or _DEFAULT_PORTS.get(parts.scheme.lower(), 0)
    return f"{(parts.hostname or '').lower()}:{port}"


@dataclass
class HostHealth:
    """What link checking learned about one host during a run."""

    name: str
    failures: int = 0
    last_failure: str = ""
    down: tuple[Status, str] | None = None  # ("skipped", detail) once the host is given up
    head_unreliable: bool = False


def _shown(origin: str) -> str:
    """An origin as a person reads it: the default HTTPS or HTTP port left out."""
    return origin.removesuffix(":443").removesuffix(":80")


class HostBook:
    """The health of every host (``origin_of``: per port) checked in a run.

    A host is given up after ``failure_limit`` consecutive failed attempts
    (timeouts, refused or reset connections); any HTTP answer resets the count.
    """

    def __init__(self, *, failure_limit: int) -> None:
        self.failure_limit = failure_limit
        self.hosts: dict[str, HostHealth] = {}

    def state(self, host: str) -> HostHealth:
        key = host.lower()
        found = self.hosts.get(key)
        if found is None:
            found = self.hosts[key] = HostHealth(key)
        return found

    def succeeded(self, host: str) -> None:
        self.state(host).failures = 0

    def failed(self, host: str, status: Status, detail: str) -> None:
        """Count a failed attempt; give the host up after ``failure_limit`` in a row."""
        state = self.state(host)
        state.failures += 1
        state.last_failure = detail
        if state.down is None and state.failures >= self.failure_limit:
            state.down = (
                "skipped",
                f"not checked: {_shown(state.name)} failed {state.failures} times in a row "
                f"(last: {detail}); checked again next run",
            )
