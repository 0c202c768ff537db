"""Reading and writing source answers in the state store's facts cache."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from listwatch.model import CacheEntry, FactCache


def age_seconds(entry: CacheEntry, now: datetime) -> float:
    """How old a cached answer is at ``now``."""
    when = entry.fetched_at if entry.fetched_at.tzinfo else entry.fetched_at.replace(tzinfo=UTC)
    moment = now if now.tzinfo else now.replace(tzinfo=UTC)
    return (moment - when).total_seconds()


def is_fresh(entry: CacheEntry | None, now: datetime, max_age_s: float) -> bool:
    return entry is not None and 0 <= age_seconds(entry, now) <= max_age_s


def decode(entry: CacheEntry | None) -> Any:
    """The JSON value of a cache entry; None when absent or unreadable."""
    if entry is None:
        return None
    try:
        return json.loads(entry.value)
    except ValueError:
        return None


def get_many(fact_cache: FactCache | None, namespace: str,
             keys: Iterable[str]) -> dict[str, CacheEntry]:
    if fact_cache is None:
        return {}
    return fact_cache.cache_get_many(namespace, list(keys))


def put_many(fact_cache: FactCache | None, namespace: str, items: Iterable[tuple[str, Any]],
             *, now: datetime) -> None:
    """Many ``(key, value)`` answers in one transaction."""
    if fact_cache is not None:
        fact_cache.cache_put_many(
            namespace, ((key, json.dumps(value, sort_keys=True), None) for key, value in items),
            now=now)


def put(fact_cache: FactCache | None, namespace: str, key: str, value: Any, *, now: datetime,
        etag: str | None = None) -> None:
    if fact_cache is not None:
        fact_cache.cache_put_many(namespace, [(key, json.dumps(value, sort_keys=True), etag)],
                                  now=now)
