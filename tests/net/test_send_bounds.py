"""API answers are bounded: size (``MAX_ANSWER``) and the whole answer's deadline."""

from __future__ import annotations

import asyncio
import gzip
import importlib

import httpx
import pytest

send_module = importlib.import_module("listwatch.net.send")  # the package's `send` is the function


class _Endless(httpx.AsyncByteStream):
    def __init__(self) -> None:
        self.sent = 0

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        while True:
            self.sent += 65536
            yield b"x" * 65536


def test_an_endless_answer_stops_at_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(send_module, "MAX_ANSWER", 1 << 20)
    stream = _Endless()

    async def main() -> None:
        transport = httpx.MockTransport(lambda request: httpx.Response(200, stream=stream))
        async with httpx.AsyncClient(transport=transport) as client:
            request = client.build_request("GET", "https://api.example/x")
            with pytest.raises(send_module.TooLarge):
                await send_module.bounded(client, request, False)

    asyncio.run(main())
    assert (1 << 20) < stream.sent <= (1 << 20) + 65536


def test_a_compressed_answer_is_rebuilt_decoded() -> None:
    data = b'{"a": 1}'

    async def main() -> httpx.Response:
        def answer(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, headers={"content-encoding": "gzip", "x-k": "v"},
                                  content=gzip.compress(data))
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
            request = client.build_request("GET", "https://api.example/x")
            return await send_module.bounded(client, request, False)

    response = asyncio.run(main())
    assert response.json() == {"a": 1} and response.headers["x-k"] == "v"
    assert "content-encoding" not in response.headers
