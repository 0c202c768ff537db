"""The small cache interface the sources see (the state store implements it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class CacheEntry:
    """One cached fact: JSON text, the ETag it came with, when it was fetched."""

    value: str
    etag: str | None
    fetched_at: datetime


class FactCache(Protocol):
    """Cached answers of the services, by namespace and key."""

    def cache_get_many(self, namespace: str, keys: Iterable[str]) -> dict[str, CacheEntry]:
        """Cached values for the ``keys`` that have one."""
        ...

    def cache_put_many(self, namespace: str, items: Iterable[tuple[str, str, str | None]],
                       now: datetime | None = None) -> None:
        """Store many ``(key, JSON value, etag)`` at once."""
        ...
