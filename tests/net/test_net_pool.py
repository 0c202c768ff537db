"""The shared pool leaves the APIs room beside a full load of link checks."""

from __future__ import annotations

import dataclasses

import pytest

from listwatch.config import HttpConfig
from listwatch.net.client import pool_size
from listwatch.net.limiter import POLITENESS


@pytest.mark.parametrize(("probes", "per_host"), [(64, 4), (10, 10), (1, 1)])
def test_every_api_has_room_at_its_ceiling_beside_the_probes(probes: int, per_host: int
                                                              ) -> None:
    config = dataclasses.replace(HttpConfig(), max_concurrency=probes,
                                 host_concurrency=per_host)
    room = pool_size(config) - probes
    ceilings = sum(rule.concurrency for rule in POLITENESS.values()) + per_host  # + GitHub
    assert room >= ceilings
