"""pytest fixtures for the simulated internet.

* ``world_proxy`` (session): one mitmdump running ``addon.py``.
* ``world`` (function): a fresh :class:`~.model.World` (the proxy is reset before each
  test); after the test, recorded contract violations fail it unless the test is marked
  ``@pytest.mark.world_violations_expected``.
* ``world_inprocess``: ``world`` plus ``os.environ`` patched with ``world.env`` so that
  in-process clients (httpx with ``trust_env``, requests, PyGithub, arxiv) use the proxy.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from .model import World
from .proxy import WorldProxy


def pytest_configure(config: pytest.Config) -> None:
    """Register the world's marker."""
    config.addinivalue_line(
        "markers",
        "world_violations_expected: the test provokes contract violations on purpose",
    )


@pytest.fixture(scope="session")
def world_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorldProxy]:
    """The session's mitmdump process."""
    proxy = WorldProxy(tmp_path_factory.mktemp("world-proxy"))
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()


@pytest.fixture
def world(world_proxy: WorldProxy, request: pytest.FixtureRequest) -> Iterator[World]:
    """An empty simulated internet for this test."""
    w = World.on(world_proxy)
    w.sync()
    yield w
    violations = world_proxy.violations()
    if violations and request.node.get_closest_marker("world_violations_expected") is None:
        pytest.fail(
            "the simulated internet recorded contract violations:\n  " + "\n  ".join(violations),
            pytrace=False,
        )


@pytest.fixture
def world_inprocess(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    """``world`` with ``os.environ`` pointing in-process clients at the proxy."""
    for key in list(os.environ):
        if key not in world.env:
            monkeypatch.delenv(key)
    for key, value in world.env.items():
        monkeypatch.setenv(key, value)
    return world
