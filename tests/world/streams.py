"""Answers that take time to arrive: a loopback HTTP/1.1 server inside the proxy process.

mitmproxy sends an answer made by the addon in one piece. Answers that must arrive
over time (a body trickled a few bytes at a time, a body that never ends, a
connection reset in the middle of a body) are served by this small server instead:
the addon points the flow at it and lets mitmproxy stream the answer through to
the client unchanged. The behaviour travels in the ``x-world-stream`` request
header as JSON: ``{"mode": "trickle"|"endless"|"reset", "status": 200, ...}``.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
from typing import Any

HEADER = "x-world-stream"
"""The request header carrying the behaviour (set by the addon, never by a client)."""

ENDLESS_CHUNK = b"<p>and more</p>\n" * 4096
ENDLESS_LIMIT_SECONDS = 300.0
"""An endless body stops after this long, so a broken client cannot pin the proxy."""


class StreamServer:
    """The loopback server; ``port`` is known once :meth:`start` returned."""

    def __init__(self) -> None:
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        """Listen on a free loopback port."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            method = head.split(b" ", 1)[0].decode("ascii", "replace").upper()
            spec = _spec(head)
            await _answer(spec, method, writer)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass  # the client (mitmproxy) went away: that is the point of most modes
        finally:
            if not writer.is_closing():
                writer.close()


def _spec(head: bytes) -> dict[str, Any]:
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == HEADER:
            loaded: dict[str, Any] = json.loads(value.strip())
            return loaded
    return {"mode": "missing"}


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} World", "connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _answer(spec: dict[str, Any], method: str, writer: asyncio.StreamWriter) -> None:
    mode = spec.get("mode")
    status = int(spec.get("status", 200))
    headers = {"content-type": "text/html; charset=utf-8"}
    if mode == "trickle":
        size = int(spec.get("size") or 10_000_000)
        headers["content-length"] = str(size)
        writer.write(_head(status, headers))
        await writer.drain()
        if method == "HEAD":
            return
        interval = float(spec["interval"])
        for _ in range(size):
            await asyncio.sleep(interval)
            writer.write(b"<")
            await writer.drain()
    elif mode == "endless":
        writer.write(_head(status, headers))  # no length: the body lasts until close
        await writer.drain()
        if method == "HEAD":
            return
        loop = asyncio.get_running_loop()
        stop = loop.time() + ENDLESS_LIMIT_SECONDS
        while loop.time() < stop:
            writer.write(ENDLESS_CHUNK)
            await writer.drain()
    elif mode == "reset":
        after = int(spec.get("after", 0))
        headers["content-length"] = str(max(after * 4, 100_000))
        writer.write(_head(status, headers))
        if method != "HEAD":
            writer.write(b"x" * after)
        await writer.drain()
        await asyncio.sleep(0.05)
        sock = writer.get_extra_info("socket")
        if sock is not None:  # linger 0: close with RST, not FIN
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()
    else:
        writer.write(_head(500, {"content-length": "0"}))
        await writer.drain()
