"""The type checker runs in the suite: `mypy` over src/ with the settings in pyproject.toml."""

from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_is_clean_over_src() -> None:
    stdout, stderr, status = api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--no-incremental", str(ROOT / "src")])
    assert status == 0, stdout + stderr
    assert "Success: no issues found" in stdout
