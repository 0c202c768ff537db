"""Scenario hosts: any other hostname, answering per-path behaviours set by the test."""

from __future__ import annotations

import fnmatch
import struct
import zlib
from functools import cache
from typing import TYPE_CHECKING, Any

from .wire import Reply, Req, html_reply

if TYPE_CHECKING:
    from .engine import Engine

HANG_SECONDS = 120.0
"""How long a ``hang`` route sleeps: longer than any sane client timeout."""

BROWSER_MARKERS = ("Mozilla/5.0",)


def is_browser(req: Req) -> bool:
    """Whether the User-Agent looks like a browser (what Cloudflare lets through)."""
    ua = req.header("user-agent", "") or ""
    return ua.startswith(BROWSER_MARKERS)


def challenge_reply() -> Reply:
    """Cloudflare's managed-challenge answer to a non-browser."""
    reply = html_reply("Just a moment...", "Enable JavaScript and cookies to continue", 403)
    reply.headers.update(
        {"cf-mitigated": "challenge", "server": "cloudflare", "cf-ray": "8f00000000000000-FRA"}
    )
    return reply


def find_route(host: dict[str, Any], req: Req) -> dict[str, Any] | None:
    """The route for ``req``: exact path+query, then exact path, then the longest glob."""
    routes = host.get("routes", [])
    full = f"{req.path}?{req.query_string}" if req.query_string else req.path
    for route in routes:
        if route["path"] == full:
            return route
    for route in routes:
        if route["path"] == req.path:
            return route
    globs = [r for r in routes if "*" in r["path"] and fnmatch.fnmatchcase(req.path, r["path"])]
    if globs:
        return max(globs, key=lambda r: len(r["path"]))
    return host.get("default")


def handle(engine: Engine, req: Req) -> Reply:
    """Answer a request to a scenario host."""
    host = engine.scenario["hosts"][req.host.lower()]
    mode = host.get("challenge")
    if mode == "always" or (mode == "non-browser" and not is_browser(req)):
        return challenge_reply()
    route = find_route(host, req)
    if route is None:
        return html_reply("Not Found", f"No page at {req.path}", 404)
    return answer_route(engine, route, req)


def answer_route(engine: Engine, route: dict[str, Any], req: Req) -> Reply:
    """Apply one route spec."""
    count = engine.bump(f"route:{route['rid']}")
    delay = route.get("delay_ms", 0) / 1000.0
    methods = route.get("methods")
    if methods and req.method not in methods and not (req.method == "HEAD" and "GET" in methods):
        return _with_delay(
            html_reply("Method Not Allowed", "", 405, {"allow": ", ".join(methods)}), delay
        )
    if route.get("fail_first") and count < route["fail_first"]:
        headers = {}
        if route.get("retry_after") is not None:
            headers["retry-after"] = str(route["retry_after"])
        return _with_delay(
            html_reply("Service Unavailable", "try later", route["fail_status"], headers), delay
        )
    if route.get("hang"):
        return Reply(action="hang", delay=HANG_SECONDS)
    if route.get("reset"):
        return Reply(action="reset", delay=delay)
    if route.get("challenge") and not is_browser(req):
        return _with_delay(challenge_reply(), delay)
    if route.get("refuse_head") and req.method == "HEAD":
        return _with_delay(html_reply("Method Not Allowed", "", 405, {"allow": "GET"}), delay)
    status = int(route.get("status", 200))
    stream = _stream_spec(route, status)
    if stream is not None:
        return Reply(action="stream", stream=stream, delay=delay)
    headers: dict[str, str] = {}
    if route.get("retry_after") is not None and not route.get("fail_first"):
        headers["retry-after"] = str(route["retry_after"])
    if route.get("redirect"):
        headers["location"] = route["redirect"]
        reply = html_reply("Moved", f"See {route['redirect']}", status, headers)
    elif route.get("body_size"):
        headers["content-type"] = route.get("content_type") or "application/octet-stream"
        reply = Reply(status=status, headers=headers, body_size=int(route["body_size"]))
    elif "body_b" in route or "body" in route:
        body = route["body_b"].encode("latin-1") if "body_b" in route else route["body"].encode()
        headers["content-type"] = route.get("content_type") or "text/html; charset=utf-8"
        reply = Reply(status=status, headers=headers, body=body)
    else:
        reply = html_reply(f"{req.host}{req.path}", f"status {status}", status, headers)
        if route.get("content_type"):
            reply.headers["content-type"] = route["content_type"]
    if route.get("gzip_bomb"):
        reply.body = gzip_zeros(int(route["gzip_bomb"]))
        reply.body_size = None
        reply.encoded = True
        reply.headers["content-encoding"] = "gzip"
    for i in range(int(route.get("header_flood") or 0)):
        reply.headers[f"x-flood-{i:06d}"] = "f" * 88
    reply.headers.update({k.lower(): v for k, v in (route.get("headers") or {}).items()})
    return _with_delay(reply, delay)


def _stream_spec(route: dict[str, Any], status: int) -> dict[str, Any] | None:
    if route.get("trickle"):
        return {"mode": "trickle", "status": status, "interval": float(route["trickle"]),
                "size": route.get("body_size")}
    if route.get("endless"):
        return {"mode": "endless", "status": status}
    if route.get("reset_after") is not None:
        return {"mode": "reset", "status": status, "after": int(route["reset_after"])}
    return None


@cache
def gzip_zeros(size: int) -> bytes:
    """``size`` zero bytes, gzip-compressed (about 1000:1): a decompression bomb.

    Built in milliseconds: after a full flush every 1 MiB block of zeros compresses
    to the same bytes, so one compressed block is repeated.
    """
    block = bytes(1 << 20)
    whole, rest = divmod(size, len(block))
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    parts = [first] + [again] * (whole - 1) if whole else []
    tail = packer.compress(block[:rest]) + packer.flush()
    crc = 0
    for _ in range(whole):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(block[:rest], crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return header + b"".join(parts) + tail + trailer


def _with_delay(reply: Reply, delay: float) -> Reply:
    reply.delay = delay
    return reply
