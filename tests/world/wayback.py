"""The fake Wayback Machine: archive.org's availability API and web.archive.org captures."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .wire import Reply, Req, html_reply, json_reply

if TYPE_CHECKING:
    from .engine import Engine


def normalize(url: str) -> str:
    """Wayback's loose URL key: no scheme, no ``www.``, no trailing slash, lower-case host."""
    url = re.sub(r"^[a-z]+://", "", url.strip(), flags=re.I)
    host, sep, rest = url.partition("/")
    host = host.lower().removeprefix("www.")
    return (host + sep + rest).rstrip("/")


def _captures(engine: Engine, url: str) -> list[dict[str, Any]]:
    key = normalize(url)
    return sorted(
        (s for s in engine.scenario["wayback"]["snapshots"] if normalize(s["url"]) == key),
        key=lambda s: s["timestamp"],
    )


def _closest(caps: list[dict[str, Any]], timestamp: str | None) -> dict[str, Any] | None:
    if not caps:
        return None
    if not timestamp:
        return caps[-1]
    target = int(timestamp.ljust(14, "0")[:14])
    return min(caps, key=lambda s: abs(int(s["timestamp"]) - target))


def handle(engine: Engine, req: Req) -> Reply:
    """archive.org ``/wayback/available`` and web.archive.org ``/web/<ts>/<url>``."""
    if req.host == "archive.org" and req.path.rstrip("/") == "/wayback/available":
        url = req.arg("url", "") or ""
        best = _closest(_captures(engine, url), req.arg("timestamp"))
        snaps: dict[str, Any] = {}
        if best is not None:
            snaps["closest"] = {
                "status": best["status"],
                "available": True,
                "url": f"http://web.archive.org/web/{best['timestamp']}/{best['url']}",
                "timestamp": best["timestamp"],
            }
        return json_reply({"url": url, "archived_snapshots": snaps})
    m = re.match(r"^/web/(\d{1,14})(?:[a-z]{2}_)?/(.+)$", req.path)
    if req.host == "web.archive.org" and m:
        ts, target = m.group(1), unquote(m.group(2))
        if req.query_string:
            target += "?" + req.query_string
        best = _closest(_captures(engine, target), ts)
        if best is None:
            reply = html_reply(
                "Wayback Machine", "Hrm. The Wayback Machine has not archived that URL.", 404
            )
        elif best["timestamp"] != ts:
            loc = f"https://web.archive.org/web/{best['timestamp']}/{best['url']}"
            reply = html_reply("Wayback Machine", loc, 302, {"location": loc})
        else:
            reply = html_reply(f"Wayback Machine: {best['url']}", f"captured {ts}")
            reply.headers["memento-datetime"] = ts
    elif req.path.strip("/") == "":
        reply = html_reply("Internet Archive", "")
    else:
        reply = html_reply("Not Found", "", 404)
    if req.method == "HEAD":
        reply.body = b""
    return reply
