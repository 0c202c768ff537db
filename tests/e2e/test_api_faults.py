"""API faults end to end: each is retried within budget, then reported; none is an edit.

One list, one scenario with facts behind every kind of proposal (venue, archived,
moved, dead). A clean ``run --dry-run`` gives the reference proposals; under each
fault the run must complete, say what failed, and propose nothing the clean run
would not (a failed or partial answer is never evidence).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .helpers import FAST_HTTP, load, make_list
from .test_metadata import LIST, scenario

pytestmark = pytest.mark.e2e

CONFIG = FAST_HTTP + "fail_runs = 1\nfail_hours = 0\n"  # a dead link is proposed at once


def _run(world, tmp_path: Path) -> tuple[dict[str, Any], set[tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    config = make_list(tmp_path, {"README.md": LIST}, extra=CONFIG)
    result = world.run_cli("run", "--dry-run", "--config", str(config), "--format", "json",
                           extra_env={"GITHUB_TOKEN": world.github_token})
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    assert world.github_token not in result.stdout + result.stderr
    report = load(result.stdout)
    edits = {(p["kind"], p["file"], p["old"], p["new"]) for p in report["proposals"]}
    return report, edits


@pytest.fixture
def reference(world, tmp_path: Path) -> set[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    scenario(world)
    _, edits = _run(world, tmp_path / "clean")
    assert {kind for kind, *_ in edits} >= {"venue", "archived", "moved", "dead"}, edits
    return edits


Fault = Callable[[Any], None]

# (name, how to inject, host whose requests show the retries, a word of the warning,
#  whether the fault is transient: then the run must end exactly like the clean one)
CASES: list[tuple[str, Fault, str, str, bool]] = [
    ("github 502 once", lambda w: w.fail("api.github.com", 502, times=1),
     "api.github.com", "", True),
    ("github 5xx for good", lambda w: w.fail("api.github.com", 503), "api.github.com", "github", False),
    ("github secondary limit", lambda w: w.github.secondary_rate_limit(times=1, retry_after=1),
     "api.github.com", "", True),
    ("github malformed JSON", lambda w: w.malformed("api.github.com"), "api.github.com", "github", False),
    ("graphql partial FORBIDDEN", lambda w: w.github.graphql_error("S-LoRA/S-LoRA"),
     "api.github.com", "FORBIDDEN", False),
    ("graphql partial timeout", lambda w: w.github.graphql_error(
        "old/tool", type="SERVICE_UNAVAILABLE", message="Something went wrong while "
        "executing your query. This may be the result of a timeout."),
     "api.github.com", "SERVICE_UNAVAILABLE", False),
    ("arxiv 503 once", lambda w: w.arxiv.fail(503, times=1, retry_after=1),
     "export.arxiv.org", "", True),
    ("arxiv 503 for good", lambda w: w.arxiv.down(503), "export.arxiv.org", "arxiv", False),
    ("arxiv empty page once", lambda w: w.arxiv.empty(times=1), "export.arxiv.org", "", True),
    ("arxiv empty pages", lambda w: w.arxiv.empty(), "export.arxiv.org", "arxiv", False),
    ("dblp 429 once", lambda w: w.dblp.fail(429, times=1, retry_after=1), "dblp.org", "", True),
    ("dblp 429 for good", lambda w: w.dblp.fail(429, retry_after=1), "dblp.org", "dblp", False),
    ("s2 429 once", lambda w: w.s2.fail(429, times=1), "api.semanticscholar.org", "", True),
    ("s2 429 for good", lambda w: w.s2.fail(429), "api.semanticscholar.org", "semantic",
     False),
]


@pytest.mark.parametrize(("name", "inject", "host", "word", "transient"), CASES,
                         ids=[c[0] for c in CASES])
def test_api_fault_is_retried_then_reported_never_an_edit(
        world, tmp_path: Path, reference: set[tuple[str, ...]], name: str, inject: Fault,
        host: str, word: str, transient: bool) -> None:
    before = len(world.requests(host))
    inject(world)
    report, edits = _run(world, tmp_path / "faulty")
    print(f"\n[api] {name}: {len(world.requests(host)) - before} requests to {host}, "
          f"{len(edits)}/{len(reference)} proposals, warnings {report['warnings']}")
    assert edits <= reference, edits - reference  # never a false edit
    if transient:
        assert len(world.requests(host)) - before >= 2  # asked again
        assert edits == reference  # retried: the run ends as if nothing happened
    else:
        warnings = " ".join(report["warnings"]).lower()
        assert word.lower() in warnings, report["warnings"]
