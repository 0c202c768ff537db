"""Wayback Machine snapshots for dead links (the availability API).

One request per dead URL, paced, cached; a snapshot is only a suggestion in the
report and PR body (``[dead] replace_with_archive`` decides whether it is written).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from listwatch.model import FactCache
from listwatch.sources import cache
from listwatch.sources.http import Counter, Pacer, ServiceDown, send

API_URL = "https://archive.org/wayback/available"
NAMESPACE = "wayback.snapshot"
INTERVAL = 0.5


@dataclass(frozen=True)
class SnapshotReport:
    """``snapshots[url]`` is the closest archived copy's URL; absent when there is none."""

    snapshots: Mapping[str, str]
    warnings: tuple[str, ...]
    requests: int


def closest_snapshot(data: Any) -> str | None:
    """The snapshot URL in an availability answer, if an available 2xx copy exists."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    closest = (data.get("archived_snapshots") or {}).get("closest")
    if not isinstance(closest, dict) or not closest.get("available"):
        return None
    status, url = str(closest.get("status", "")), closest.get("url")
    if not status.startswith("2") or not isinstance(url, str):
        return None
    return url.replace("http://web.archive.org/", "https://web.archive.org/", 1)


async def find_snapshots(urls: Iterable[str], *, client: httpx.AsyncClient,
                         store: FactCache | None, now: datetime, max_age_s: float,
                         api_url: str = API_URL, interval: float = INTERVAL) -> SnapshotReport:
    """The closest snapshot of each URL (cached answers younger than ``max_age_s`` reused)."""
    wanted = list(dict.fromkeys(urls))
    cached = cache.get_many(store, NAMESPACE, wanted)
    snapshots: dict[str, str] = {}
    warnings: list[str] = []
    counter = Counter()
    pacer = Pacer(interval)
    for url in wanted:
        entry = cached.get(url)
        if cache.is_fresh(entry, now, max_age_s):
            value = cache.decode(entry)
            if isinstance(value, str) and value:
                snapshots[url] = value
            continue
        try:
            response = await send(client, "GET", api_url, service="archive.org",
                                  params={"url": url}, pacer=pacer, counter=counter)
            found = closest_snapshot(response.json())
        except ServiceDown as exc:
            warnings.append(f"{exc}; no archive snapshots looked up for the rest")
            break
        except ValueError:
            warnings.append(f"archive.org: malformed availability answer for {url}")
            continue
        cache.put(store, NAMESPACE, url, found or "", now=now)
        if found:
            snapshots[url] = found
    return SnapshotReport(snapshots=snapshots, warnings=tuple(warnings), requests=counter.sent)
