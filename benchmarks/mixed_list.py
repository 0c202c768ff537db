"""Wall time of `listwatch check` on a mixed list (arXiv, GitHub, shields badges, web).

usage: .venv/bin/python benchmarks/mixed_list.py SRC_DIR [RUNS]

SRC_DIR is the listwatch src/ to run (e.g. an older commit's, from `git archive`), so
two versions can be compared on the same list and world. Not collected by pytest.
"""

from __future__ import annotations

import json
import re
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

sys.path.insert(0, str(ROOT / "src"))
from listwatch.identifiers import RESERVED  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
LATENCY_MS = 100


def corpus_text() -> str:
    return "\n".join(p.read_text(errors="replace") for p in CORPUS.rglob("*.md"))


def build() -> tuple[str, list[str], list[str], list[str]]:
    text = corpus_text()
    ids = sorted(set(re.findall(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})", text)))
    n = 0
    while len(ids) < 300:  # the corpus has fewer: more ids of the same shape
        ids.append(f"2402.{10000 + n}")
        n += 1
    repos = []
    for owner, name in re.findall(r"https://github\.com/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+)",
                                  text):
        name = name.removesuffix(".git").rstrip(".")
        full = f"{owner}/{name}"
        if owner.lower() in RESERVED or full in repos or not name:
            continue
        repos.append(full)
    repos = repos[:240]
    web = sorted(set(u for u in re.findall(r"https://[A-Za-z0-9.-]+/[^\s)\]\"'<>]*", text)
                     if not re.search(r"github\.com|arxiv\.org|shields\.io|githubusercontent",
                                      u)))[:100]
    lines = ["# Mixed list", ""]
    for i, arxiv in enumerate(ids[:300]):
        parts = [f"* Paper {i} \\[[arXiv](https://arxiv.org/abs/{arxiv})]"]
        if i < len(repos):
            repo = repos[i]
            parts.append(f"\\[[Code](https://github.com/{repo})]")
            if i < 220:
                parts.append(f"![Stars](https://img.shields.io/github/stars/{repo}?style=social)")
        if i < len(web):
            parts.append(f"\\[[Page]({web[i]})]")
        lines.append(" ".join(parts))
    return "\n".join(lines) + "\n", ids[:300], repos, web


def scenario(world: World, ids: list[str], repos: list[str], web: list[str]) -> None:
    with world.batch():
        for arxiv in ids:
            world.arxiv.paper(arxiv, title=f"Paper {arxiv}", authors=["A. Author"])
        for repo in repos:
            world.github.repo(repo, stars=10)
        world.host("img.shields.io").default(status=200, body="<svg/>",
                                             content_type="image/svg+xml",
                                             delay_ms=LATENCY_MS)
        for host in sorted({u.split("/")[2] for u in web}):
            world.host(host).default(status=200, delay_ms=LATENCY_MS)


def main() -> None:
    src = Path(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    text, ids, repos, web = build()
    tmp = Path(tempfile.mkdtemp(prefix="overlap-bench-"))
    (tmp / "list" / ".git").mkdir(parents=True)
    (tmp / "list" / "README.md").write_text(text)
    badges = text.count("img.shields.io")
    print(f"list: {len(ids)} arXiv, {len(repos)} GitHub, {badges} badges, {len(web)} web")
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
            scenario(world, ids, repos, web)
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
