"""Building small list repositories and configs for end-to-end CLI runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FAST_HTTP = """
[http]
timeout = 2
host_concurrency = 2
host_interval = 0.05

[check]
retries = 1
retry_after_max = 3
"""


def make_list(tmp_path: Path, files: dict[str, str], *, extra: str = FAST_HTTP,
              repo: str = "owner/list") -> Path:
    """A local checkout with ``files`` and a config.toml reading it; returns the config path."""
    checkout = tmp_path / "checkout"
    (checkout / ".git").mkdir(parents=True)
    for name, text in files.items():
        path = checkout / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    config = tmp_path / "config.toml"
    config.write_text(
        f'[[targets]]\nrepo = "{repo}"\nfiles = ["**/*.md"]\npath = "checkout"\n{extra}',
        encoding="utf-8",
    )
    return config


def by_url(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The report's link rows keyed by URL (first occurrence)."""
    rows: dict[str, dict[str, Any]] = {}
    for row in report["links"]:
        rows.setdefault(row["url"], row)
    return rows


def load(stdout: str) -> dict[str, Any]:
    return json.loads(stdout)
