"""Wall time of `listwatch check` on the mixed list (``mixed.py``: arXiv, GitHub, shields
badges, web), one listwatch version against another.

usage: .venv/bin/python benchmarks/mixed_list.py SRC_DIR [RUNS]

SRC_DIR is the listwatch src/ to run (e.g. an older commit's, from `git archive`), so
two versions can be compared on the same list and world. Not collected by pytest.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.world.model import World  # noqa: E402
from tests.world.proxy import WorldProxy  # noqa: E402

from benchmarks import mixed  # noqa: E402
from benchmarks.corpus_pool import read_pool  # noqa: E402

LATENCY_MS = 100


def main() -> None:
    src = Path(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    shape = mixed.generate(read_pool(), seed=2024, latency_ms=LATENCY_MS)
    tmp = Path(tempfile.mkdtemp(prefix="overlap-bench-"))
    (tmp / "list" / ".git").mkdir(parents=True)
    shape.write(tmp / "list")
    print(shape.describe())
    proxy = WorldProxy(tmp / "proxy")
    proxy.start()
    try:
        for run in range(runs):
            state = tmp / f"state{run}"
            config = tmp / "config.toml"
            config.write_text(
                f'[[targets]]\nrepo = "bench/list"\nfiles = ["**/*.md"]\npath = "{tmp / "list"}"\n'
                "[http]\ntimeout = 20\nmax_concurrency = 10\nhost_concurrency = 10\n"
                "host_interval = 0.05\n[check]\nfail_runs = 1\nfail_hours = 0\n"
                f'[state]\npath = "{state}/state.db"\n')
            world = World.on(proxy)
            shape.build(world)
            env = {**world.env, "GITHUB_TOKEN": world.github_token, "NO_COLOR": "1",
                   "PYTHONPATH": str(src)}
            start = time.monotonic()
            done = subprocess.run([sys.executable, "-m", "listwatch", "check", "--config",
                                   str(config), "--format", "json", "--no-cache"],
                                  env=env, capture_output=True, text=True, cwd=tmp)
            wall = time.monotonic() - start
            report = json.loads(done.stdout)
            log = proxy.log()
            hosts: dict[str, int] = {}
            for r in log:
                hosts[r["host"]] = hosts.get(r["host"], 0) + 1
            t0 = min(r["start"] for r in log)
            first_web = min((r["start"] for r in log if r["host"] not in (
                "api.github.com", "export.arxiv.org", "api.semanticscholar.org", "dblp.org")),
                default=t0) - t0
            last_api = max(r["end"] for r in log if r["host"] in ("api.github.com",
                                                                   "export.arxiv.org")) - t0
            statuses: dict[str, int] = {}
            for row in report["links"]:
                statuses[row["status"]] = statuses.get(row["status"], 0) + 1
            print(f"run {run}: wall {wall:.2f} s, exit {done.returncode}, {len(log)} requests "
                  f"(shields {hosts.get('img.shields.io', 0)}, github api "
                  f"{hosts.get('api.github.com', 0)}, arxiv {hosts.get('export.arxiv.org', 0)})"
                  f", first web request at {first_web:.2f} s, GitHub/arXiv facts done at "
                  f"{last_api:.2f} s, verdicts {statuses}")
            if done.returncode not in (0, 1):
                print(done.stderr[-2000:])
    finally:
        proxy.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
