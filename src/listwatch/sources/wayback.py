"""Wayback Machine snapshots for dead links (the availability API).

One request per dead URL, paced by the shared limiter (archive.org: 0.5 s), cached;
a snapshot is only a suggestion in the report and PR body (``[dead]
replace_with_archive`` decides whether it is written). Only URLs that may go to a
third party are asked about (``redact.shareable``: public web addresses without
credentials or secret-looking parameters); the rest have no archived copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from listwatch import net
from listwatch.errors import WaybackError
from listwatch.net.services import WAYBACK
from listwatch.redact import shareable
from listwatch.sources import cache
from listwatch.sources.interface import Source, SourceContext, SourceResult

API_URL = "https://archive.org/wayback/available"
NAMESPACE = "wayback.snapshot"

# ``facts[url]`` is the closest archived copy's URL; absent when there is none.
SnapshotReport = SourceResult[str]


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


class WaybackSnapshots(Source[str]):
    """The closest snapshot of each URL (cached answers younger than max age reused)."""

    service = WAYBACK

    def __init__(self, context: SourceContext, *, api_url: str = API_URL) -> None:
        super().__init__(context)
        self.api_url = api_url

    async def _fetch(self, keys: Iterable[str]) -> SnapshotReport:
        context = self.context
        wanted = [url for url in dict.fromkeys(keys) if shareable(url)]
        cached = cache.get_many(context.cache, NAMESPACE, wanted)
        snapshots: dict[str, str] = {}
        warnings: list[str] = []
        for url in wanted:
            entry = cached.get(url)
            if cache.is_fresh(entry, context.now, context.max_age_s):
                value = cache.decode(entry)
                if isinstance(value, str) and value:
                    snapshots[url] = value
                continue
            try:
                response = await net.send(self.network, WAYBACK, "GET", self.api_url,
                                          params={"url": url})
                found = closest_snapshot(response.json())
            except WaybackError as exc:
                warnings.append(f"{exc}; no archive snapshots looked up for the rest")
                break
            except ValueError:
                warnings.append(f"archive.org: malformed availability answer for {url}")
                continue
            cache.put(context.cache, NAMESPACE, url, found or "", now=context.now)
            if found:
                snapshots[url] = found
        return SnapshotReport(facts=snapshots, warnings=tuple(warnings))
