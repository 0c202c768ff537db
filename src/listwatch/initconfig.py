"""`listwatch init`: a starter config.toml that validates as written."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from listwatch.config import glob_problem, parse_config
from listwatch.errors import ConfigError
from listwatch.publish.files import write_atomic

_TEMPLATE = """\
# listwatch configuration: every key is described in README.md ("Configuration").

[[targets]]
repo = {repo}
files = {files}
{path_line}
[http]
timeout = 20
max_concurrency = 64
host_concurrency = 4
host_interval = 0.25

[check]
fail_runs = 2
fail_hours = 24
cache_max_age = "1d"

[state]
path = ".listwatch/state.db"

[schedule]
cron = "0 4 * * 1"

[pr]
branch = "listwatch/updates"
labels = ["listwatch"]
"""


def write_starter_config(path: Path, *, repo: str, patterns: Sequence[str],
                         local_path: str | None, force: bool) -> None:
    """Write the starter config to ``path``; refuse to overwrite unless ``force``."""
    if path.exists() and not force:
        raise ConfigError(f"{path}: already exists (use --force to overwrite)")
    for pattern in patterns:
        problem = glob_problem(pattern)
        if problem:
            raise ConfigError(f"--files: {problem}")
    path_line = f"path = {json.dumps(local_path)}\n" if local_path else \
        '# path = "/local/checkout"   # read the files from a local checkout instead\n'
    text = _TEMPLATE.format(repo=json.dumps(repo), files=json.dumps(list(patterns)),
                            path_line=path_line)
    parse_config(text, path)
    write_atomic(path, text.encode("utf-8"))
