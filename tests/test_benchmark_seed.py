"""The seed-list section of the benchmark harness: its judgement and the baseline export
(nothing timed; the runs themselves happen only in benchmarks/)."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

from benchmarks.seed_dry_run import Pass, SeedRun
from benchmarks.seed_report import ROOT, SeedComparison, export_src, seed_lines, seed_targets


def _pass(wall: float, requests: int, proposals: list[dict[str, object]]) -> Pass:
    hosts = Counter({"doi.org": requests})
    return Pass(wall, hosts, {"proposals": proposals}, {"doi.org": (0.5, wall)})


def _run(wall: float, proposals: list[dict[str, object]], warm_requests: int = 0) -> SeedRun:
    return SeedRun({"preprint": 3}, _pass(wall, 100, proposals),
                   _pass(0.5, warm_requests, proposals))


def test_proposals_are_compared_whatever_their_key_order() -> None:
    a = [{"kind": "moved", "line": 3}, {"kind": "venue", "line": 9}]
    b = [{"line": 9, "kind": "venue"}, {"line": 3, "kind": "moved"}]
    assert SeedComparison("abc1234", _run(8.0, a), _run(60.0, b)).identical
    assert not SeedComparison("abc1234", _run(8.0, a), _run(60.0, a[:1])).identical


def test_targets_need_both_the_time_and_the_same_proposals() -> None:
    same = [{"kind": "moved"}]
    met, warm = seed_targets(SeedComparison("abc1234", _run(8.0, same), _run(60.0, same)))
    assert met.met and met.measured == "8.0 s, identical"
    assert warm.met and warm.measured == "0 / 100 = 0.00×"
    slow = seed_targets(SeedComparison("abc1234", _run(12.0, same), _run(60.0, same)))[0]
    changed = seed_targets(SeedComparison("abc1234", _run(8.0, same), _run(60.0, [])))[0]
    chatty = seed_targets(SeedComparison("abc1234", _run(8.0, same, 11), _run(60.0, same)))[1]
    assert not slow.met and not changed.met and not chatty.met
    assert changed.measured == "8.0 s, different"


def test_the_section_shows_both_runs_and_the_verdict() -> None:
    proposals = [{"kind": "moved"}]
    lines = seed_lines(SeedComparison("abc1234", _run(8.0, proposals), _run(60.0, [])))
    text = "\n".join(lines)
    assert "| now | 8.0 | 100 | 0.5 | 0 | 1 |" in lines
    assert "| abc1234 | 60.0 | 100 | 0.5 | 0 | 0 |" in lines
    assert "Proposals identical to the baseline's: no." in text
    assert "preprint: 3" in text and "doi.org 100 (0.5–8.0 s)" in text


def test_a_commit_is_exported_as_a_runnable_src(tmp_path: Path) -> None:
    src = export_src("HEAD", tmp_path)
    committed = subprocess.run(["git", "-C", str(ROOT), "show", "HEAD:src/listwatch/cli.py"],
                               capture_output=True, check=True).stdout
    assert (src / "listwatch" / "cli.py").read_bytes() == committed
    assert (src / "listwatch" / "__init__.py").is_file()
