"""The benchmark's measurement of one tool: its own peak RSS and wall time, whatever the
size of the harness that starts it."""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.running import run_measured

MIB = 1024  # KiB


def test_a_small_tool_is_measured_small_though_the_harness_is_large(tmp_path: Path) -> None:
    ballast = bytearray(300 * 1024 * 1024)  # the harness holding a large world
    ballast[::4096] = b"x" * len(ballast[::4096])  # touched, so it is resident
    small = run_measured([sys.executable, "-S", "-c", "print('hi')"], {}, tmp_path,
                         tmp_path / "small.out")
    big = run_measured([sys.executable, "-S", "-c",
                        "import sys; b = bytearray(120 * 2**20); b[::4096] = b'x' * len(b[::4096]);"
                        " sys.exit(3)"], {}, tmp_path, tmp_path / "big.out")
    del ballast

    assert small.returncode == 0 and (tmp_path / "small.out").read_text() == "hi\n"
    assert small.maxrss_kib < 60 * MIB  # not the harness's 300 MB
    assert big.returncode == 3
    assert 120 * MIB <= big.maxrss_kib < 200 * MIB
    assert 0 < small.wall < 30
