"""Metadata sources at scale: `listwatch check` on a synthetic list of N entries.

Run from the repository root:

    .venv/bin/python benchmarks/sources_scale.py [--entries N] [--code SRC]

Each entry links an arXiv paper and a GitHub repository (1% of each unknown), nothing
else, so the run is the sources' work: GitHub GraphQL batches and arXiv id lists. The
script prints wall time, requests per service host as the simulated internet logged them,
and how many GraphQL queries were in flight at once. ``--code`` runs another checkout's
``src`` (e.g. an older commit exported with ``git archive``) for before/after figures.
Not a test: nothing here is asserted in the suite.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.world.model import RequestRecord, World, peak_concurrency  # noqa: E402
from tests.world.proxy import WorldProxy  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--code", type=Path, help="a checkout's src directory to run instead")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="listwatch-scale-"))
    try:
        lines = []
        for n in range(args.entries):
            lines.append(f"* Paper {n} [arXiv](https://arxiv.org/abs/2403.{n:05d}) "
                         f"[Code](https://github.com/lab{n % 97}/tool{n})\n")
        root = tmp / "list"
        root.mkdir()
        (root / "README.md").write_text("".join(lines), encoding="utf-8")
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        config = tmp / "config.toml"
        config.write_text(
            f'[[targets]]\nrepo = "bench/list"\nfiles = ["README.md"]\npath = "{root}"\n'
            f'[state]\npath = "{tmp / "state.db"}"\n[sources]\ndblp = false\n'
            "semantic_scholar = false\n", encoding="utf-8")
        proxy = WorldProxy(tmp / "proxy")
        proxy.start()
        try:
            world = World.on(proxy)
            with world.batch():
                for n in range(args.entries):
                    if n % 100 != 99:
                        world.arxiv.paper(f"2403.{n:05d}", title=f"Paper {n}")
                        world.github.repo(f"lab{n % 97}/tool{n}", stars=n)
            env = {**world.env, "GITHUB_TOKEN": world.github_token, "NO_COLOR": "1"}
            if args.code:
                env["PYTHONPATH"] = str(args.code.resolve())
            start = time.monotonic()
            done = subprocess.run([sys.executable, "-m", "listwatch", "check", "--config",
                                   str(config), "--format", "json", "--no-cache"], env=env,
                                  capture_output=True, text=True, check=False, timeout=3600)
            wall = time.monotonic() - start
            log = [RequestRecord.from_json(r) for r in proxy.log()]
        finally:
            proxy.stop()
        if done.returncode not in (0, 1):
            sys.exit(f"listwatch exited {done.returncode}:\n{done.stderr[-3000:]}")
        hosts = Counter(r.host for r in log if r.method != "CONNECT")
        graphql = [r for r in log if r.host == "api.github.com" and r.path == "/graphql"]
        arxiv = [r for r in log if r.host == "export.arxiv.org"]
        print(f"{args.entries} entries: {wall:.1f} s; requests: "
              + ", ".join(f"{h} {n}" for h, n in hosts.most_common(6)))
        if graphql:
            span = max(r.end or r.start for r in graphql) - min(r.start for r in graphql)
            print(f"  GraphQL: {len(graphql)} queries in {span:.1f} s, "
                  f"peak {peak_concurrency(graphql)} in flight")
        if arxiv:
            span = max(r.end or r.start for r in arxiv) - min(r.start for r in arxiv)
            print(f"  arXiv: {len(arxiv)} requests ({', '.join(sorted({r.method for r in arxiv}))})"
                  f" in {span:.1f} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
