"""The shipped benchmark harness, exercised on a tiny synthetic list (no timing asserted).

The generator's list and world go through the real ``listwatch check`` in the simulated
internet, and the harness's scoring reads the verdicts back against the seeded truths.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from benchmarks.scale import ARXIV_API, fit, politeness_floor
from benchmarks.scoring import listwatch_outcomes, score
from benchmarks.synthetic import DEAD_KINDS, MOVED_KINDS, generate
from benchmarks.tools import Settings, write_config
from tests.world.model import World

pytestmark = pytest.mark.e2e

SIZE = 20


def test_generator_gives_each_entry_three_links_and_seeds_dead_and_moved() -> None:
    synthetic = generate(SIZE, seed=5)
    again = generate(SIZE, seed=5)
    fates = Counter(e.fate for e in synthetic.entries)

    assert synthetic.markdown() == again.markdown()
    assert synthetic.markdown() != generate(SIZE, seed=6).markdown()
    assert len(synthetic.truths) == 3 * SIZE
    assert sum(fates[k] for k in DEAD_KINDS) >= 1
    assert sum(fates[k] for k in MOVED_KINDS) >= 1
    dead = [t for t in synthetic.truths.values() if t.dead]
    assert len(dead) == sum(fates[k] for k in DEAD_KINDS)
    for entry in synthetic.entries:
        line = next(x for x in synthetic.markdown().splitlines() if entry.arxiv_url in x)
        assert entry.repo_url in line and entry.homepage in line


def test_listwatch_on_a_tiny_synthetic_list_is_scored_against_the_truths(
        world: World, tmp_path: Path) -> None:
    synthetic = generate(SIZE, seed=11, latency_ms=5)
    synthetic.build(world)
    root = tmp_path / "list"
    synthetic.write(root)
    settings = Settings(host_concurrency=10, host_interval=0.05)
    config = write_config(tmp_path / "config.toml", [root], settings,
                          tmp_path / "state" / "state.db")

    result = world.run_cli("check", "--config", str(config), "--format", "json",
                           "--no-cache", extra_env={"GITHUB_TOKEN": world.github_token})

    assert result.returncode == 1, result.stderr  # the seeded dead links are reported
    truths = synthetic.truths
    s = score(listwatch_outcomes(json.loads(result.stdout)), truths)
    assert s.missing == 0 and s.checked == len(truths)
    assert sum(s.false_broken.values()) == 0, s.false_examples
    assert s.dead_missed == []
    assert s.dead_found.total() == sum(t.dead for t in truths.values())
    assert s.moved_total >= 1 and s.moved_with_dest == s.moved_total

    log = world.requests()
    floor = politeness_floor(log, settings.host_interval, SIZE)
    assert floor.arxiv_requests == len(world.requests(ARXIV_API))
    assert floor.arxiv_needed == 1
    assert floor.slowest_requests == max(
        Counter(r.host for r in log if r.host != ARXIV_API and r.method != "CONNECT").values())


def test_fit_recovers_a_line_and_flags_a_curve() -> None:
    xs = [1000.0, 3000.0, 10000.0]
    line = fit(xs, [0.04 * x + 7 for x in xs])
    curve = fit(xs, [x * x for x in xs])

    assert line.slope == pytest.approx(0.04)
    assert line.intercept == pytest.approx(7)
    assert line.r2 == pytest.approx(1.0)
    assert curve.r2 < 0.99
