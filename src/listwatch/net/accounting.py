"""Request accounting: how many requests each service was actually sent."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping


class RequestLog:
    """Counts requests as they go out (retries included), by service key.

    One per run, shared by every caller; the report's ``requests`` come from it.
    Only the event loop thread counts, so no lock is needed.
    """

    def __init__(self) -> None:
        self._sent: Counter[str] = Counter()

    def sent(self, service: str) -> None:
        """Record one request to ``service`` leaving now."""
        self._sent[service] += 1

    def count(self, service: str) -> int:
        """Requests sent to ``service`` so far."""
        return self._sent[service]

    def totals(self) -> Mapping[str, int]:
        """A copy of every count so far."""
        return dict(self._sent)
