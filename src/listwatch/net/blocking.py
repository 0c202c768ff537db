"""Bounds for synchronous clients (``requests`` sessions run in worker threads).

A worker thread cannot be cancelled, so the bound must be inside the request: an
adapter that reads the body itself, each read within the read timeout, the whole
answer within a deadline and under ``MAX_ANSWER`` bytes.
"""

from __future__ import annotations

import time
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from listwatch.net.send import DEADLINE_READS, MAX_ANSWER

READ_SIZE = 64 * 1024


class BoundedAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` whose answers arrive whole within ``deadline`` seconds."""

    def __init__(self, read_timeout: float, deadline: float) -> None:
        super().__init__()
        self.read_timeout = read_timeout
        self.deadline = deadline

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             timeout: Any = None, verify: bool | str = True, cert: Any = None,
             proxies: dict[str, str] | None = None) -> requests.Response:
        """Send ``request`` and read its body within the bounds (``stream`` is ignored)."""
        end = time.monotonic() + self.deadline
        response = super().send(request, stream=True, timeout=self.read_timeout,
                                verify=verify, cert=cert, proxies=proxies)
        body = bytearray()
        try:
            while chunk := response.raw.read1(READ_SIZE, decode_content=True):
                body += chunk
                if len(body) > MAX_ANSWER:
                    raise requests.exceptions.ContentDecodingError(
                        f"answer larger than {MAX_ANSWER // (1024 * 1024)} MiB")
                if time.monotonic() > end:
                    raise requests.exceptions.ReadTimeout(
                        f"no complete answer within {self.deadline:g} s")
        except BaseException:
            response.close()  # never back to the pool with unread bytes
            raise
        response._content = bytes(body)
        response._content_consumed = True
        return response


def bound_session(session: requests.Session, read_timeout: float | None) -> None:
    """Mount ``BoundedAdapter`` on ``session`` for http and https."""
    read = read_timeout or 30.0
    adapter = BoundedAdapter(read, read * DEADLINE_READS)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
