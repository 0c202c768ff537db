"""The body prefix of a link check: bounded however the body is encoded."""

from __future__ import annotations

import asyncio
import gzip
import sys
import zlib
from pathlib import Path

import httpx

from listwatch.probe.fetch import BODY_PREFIX, DRAIN_LIMIT, body_prefix

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from world.hosts import gzip_zeros


class _Chunks(httpx.AsyncByteStream):
    def __init__(self, data: bytes, size: int = 65536) -> None:
        self.data, self.size, self.sent = data, size, 0

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        for i in range(0, len(self.data), self.size):
            self.sent += min(self.size, len(self.data) - i)
            yield self.data[i:i + self.size]


def _prefix(data: bytes, encoding: str | None) -> tuple[bytes, int]:
    stream = _Chunks(data)
    headers = {"content-encoding": encoding} if encoding else {}
    response = httpx.Response(200, headers=headers, stream=stream)
    return asyncio.run(body_prefix(response)), stream.sent


def test_a_gzip_bomb_is_inflated_only_to_the_prefix_and_read_only_to_the_drain_limit() -> None:
    body, sent = _prefix(gzip_zeros(1 << 30), "gzip")
    assert body == bytes(BODY_PREFIX)
    # One network chunk fills the prefix; what follows is dropped as sent, not inflated,
    # and no further than the drain limit (one more chunk at most).
    assert sent <= 65536 + DRAIN_LIMIT + 65536


def test_a_body_ending_within_the_drain_limit_is_read_to_its_end() -> None:
    page = b"p" * (BODY_PREFIX + DRAIN_LIMIT // 2)
    body, sent = _prefix(page, None)
    assert body == page[:BODY_PREFIX]
    assert sent == len(page)  # all of it: the connection can carry the next request


def test_encodings_decode_like_the_server_meant() -> None:
    page = b"<html>" + b"x" * 1000 + b"</html>"
    assert _prefix(gzip.compress(page), "gzip")[0] == page
    assert _prefix(gzip.compress(page), "x-gzip")[0] == page
    assert _prefix(zlib.compress(page), "deflate")[0] == page
    assert _prefix(page, None)[0] == page
    assert _prefix(page, "br")[0] == page  # not asked for: kept as sent, never inflated


def test_a_long_plain_body_and_a_corrupt_stream_stay_bounded() -> None:
    assert _prefix(b"a" * (5 * BODY_PREFIX), None)[0] == b"a" * BODY_PREFIX
    page = b"hello world " * 100
    broken = gzip.compress(page)[:40] + b"\x00garbage" * 10
    body, _ = _prefix(broken, "gzip")  # no exception: what decoded before the damage
    assert page.startswith(body) and len(body) < len(page)
