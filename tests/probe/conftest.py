"""Fixtures for probe tests: a mock internet and recorded (not slept) retry waits."""

from __future__ import annotations

import asyncio

import pytest
from mockweb import World

from listwatch.net import clock


@pytest.fixture
def mockweb() -> World:
    return World()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retry and Retry-After waits are recorded, not slept."""
    recorded: list[float] = []

    async def fake(seconds: float) -> None:
        recorded.append(seconds)
        await asyncio.sleep(0)

    monkeypatch.setattr(clock, "sleep", fake)
    return recorded
