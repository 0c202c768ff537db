"""`listwatch run --dry-run` on the seed list, cold then warm, in the simulated internet.

Run from the repository root:

    .venv/bin/python benchmarks/seed_dry_run.py [--code SRC] [--proposals FILE] [--compare FILE]

The seed list is the default config's target (mental2008/awesome-papers, every file under
``paper-list/``), copied from ``../shared/corpus/``. Every link answers; GitHub, arXiv
and doi.org know what the list links to. Each preprint entry gets what the real services
typically hold, drawn with a fixed seed: DBLP's CoRR record for every paper; for about
one in six a formal conference record too; Semantic Scholar knows most papers, with
``externalIds.DBLP`` naming the record DBLP files them under (the formal one when there
is one), and knows a few not at all. The run goes twice on one state database (cold,
then warm within the cache ages); the script prints wall time and requests per service
as the world logged them. ``--code`` runs another checkout's ``src`` (e.g. an older
commit exported with ``git archive``) to measure before and after; ``--proposals`` saves
the cold run's proposals, ``--compare`` checks them against a saved file.
Not a test: nothing here is asserted in the suite.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.world.model import World  # noqa: E402
from tests.world.proxy import WorldProxy  # noqa: E402

from listwatch.markdown import extract_entries, extract_links, read_document  # noqa: E402
from listwatch.markdown.entries import arxiv_id_of, repo_of  # noqa: E402
from listwatch.probe.verifiers.doi import extract as doi_of  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "awesome-papers"
VENUES = ("SOSP", "OSDI", "MLSys", "NSDI", "EuroSys", "ASPLOS")
SEED = 11


def populate(world: World, root: Path, seed: int) -> dict[str, int]:
    """The seed list's links and publication facts; returns counts of what was seeded."""
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    drawn: set[str] = set()  # a paper listed in two files is drawn once
    with world.batch():
        for path in sorted((root / "paper-list").rglob("*.md")):
            document = read_document(path, str(path.relative_to(root)))
            links = extract_links(document)
            entries = extract_entries(document, links)
            titles = {e.arxiv_id: e.title for e in entries if e.arxiv_id}
            for link in links:
                url = link.resolved
                if not url.startswith("http"):
                    continue
                host = url.split("/")[2].lower()
                if repo := repo_of(url):
                    world.github.repo(repo, stars=100)
                elif arxiv := arxiv_id_of(url):
                    world.arxiv.paper(arxiv, title=titles.get(arxiv) or "A paper",
                                      authors=_authors(arxiv))
                elif doi := doi_of(url):
                    world.doi.register(doi, url)
                elif host not in ("github.com", "dl.acm.org"):
                    world.host(host).default(status=200)
            for entry in entries:
                if entry.arxiv_id and entry.is_preprint and entry.arxiv_id not in drawn:
                    drawn.add(entry.arxiv_id)
                    counts[_publication(world, rng, entry.arxiv_id, entry.title)] += 1
        world.host("dl.acm.org", challenge="non-browser")
    return dict(counts)


def _authors(arxiv: str) -> list[str]:
    tail = arxiv.replace(".", "").replace("/", "")
    return [f"Ada Lovelace{tail}", f"Alan Turing{tail}", "Grace Hopper"]


def _publication(world: World, rng: random.Random, arxiv: str, title: str) -> str:
    authors = _authors(arxiv)
    world.arxiv.paper(arxiv, title=title, authors=authors)
    world.dblp.corr(arxiv, title=title, authors=authors, year=2023)
    corr = "journals/corr/abs-" + arxiv.replace(".", "-").replace("/", "-")
    draw = rng.random()
    if draw < 0.17:  # published: DBLP's formal record
        venue = rng.choice(VENUES)
        key = f"conf/{venue.lower()}/{arxiv.replace('.', '')}"
        doi = f"10.1145/{arxiv}"
        world.dblp.record(key, title=title, authors=authors, venue=venue, year=2024, doi=doi)
        linked = rng.random() < 0.8  # Semantic Scholar usually names the formal record
        world.s2.paper(title=title, arxiv=arxiv, venue=venue, year=2024, authors=authors,
                       doi=doi, dblp=key if linked else None)
        return "published, S2 names the DBLP record" if linked else "published, S2 no DBLP id"
    if draw < 0.9:
        world.s2.paper(title=title, arxiv=arxiv, venue="arXiv.org", year=2023,
                       authors=authors, dblp=corr)
        return "preprint, S2 names the CoRR record"
    return "preprint, unknown to S2"


@dataclass(frozen=True)
class Pass:
    """One `run --dry-run`: wall time, requests per host, the JSON report, host spans."""

    wall: float
    hosts: Counter[str]
    report: dict[str, Any]
    spans: dict[str, tuple[float, float]]

    @property
    def requests(self) -> int:
        return sum(self.hosts.values())

    @property
    def proposals(self) -> list[str]:
        return sorted(json.dumps(p, sort_keys=True) for p in self.report["proposals"])


@dataclass(frozen=True)
class SeedRun:
    """The seed list run cold, then warm on the same state database."""

    seeded: dict[str, int]
    cold: Pass
    warm: Pass


def run(proxy: WorldProxy, config: Path, env: dict[str, str], out: Path) -> Pass:
    before = len(proxy.log())
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "listwatch", "run", "--dry-run", "--config",
                           str(config), "--format", "json"], env=env, capture_output=True,
                          text=True, check=False, timeout=1200)
    wall = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"listwatch exited {done.returncode}:\n{done.stderr[-3000:]}")
    out.write_text(done.stdout, encoding="utf-8")
    records = [r for r in proxy.log()[before:] if r.get("method") != "CONNECT"]
    (out.with_suffix(".requests.json")).write_text(json.dumps(records), encoding="utf-8")
    hosts = Counter(r["host"] for r in records)
    spans: dict[str, tuple[float, float]] = {}
    for r in records:
        first, last = spans.get(r["host"], (r["start"] - start, r["end"] - start))
        spans[r["host"]] = (min(first, r["start"] - start), max(last, r["end"] - start))
    return Pass(wall, hosts, json.loads(done.stdout), spans)


def measure(proxy: WorldProxy, work: Path, *, seed: int = SEED, code: Path | None = None
            ) -> SeedRun:
    """The seed list copied into ``work``, its world built on ``proxy``, run cold and warm
    (``code``: another checkout's ``src`` to run instead of this one)."""
    work.mkdir(parents=True, exist_ok=True)
    root = work / "awesome-papers"
    shutil.copytree(CORPUS, root, ignore=shutil.ignore_patterns(".git"))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    config = work / "config.toml"
    config.write_text(
        f'[[targets]]\nrepo = "mental2008/awesome-papers"\nfiles = ["paper-list/**/*.md"]\n'
        f'path = "{root}"\n[state]\npath = "{work / "state.db"}"\n', encoding="utf-8")
    world = World.on(proxy)
    seeded = populate(world, root, seed)
    env = {**world.env, "GITHUB_TOKEN": world.github_token, "NO_COLOR": "1"}
    if code:
        env["PYTHONPATH"] = str(code.resolve())
    cold = run(proxy, config, env, work / "cold.json")
    warm = run(proxy, config, env, work / "warm.json")
    return SeedRun(seeded, cold, warm)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, help="a checkout's src directory to run instead")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--proposals", type=Path, help="save the cold run's proposals here")
    parser.add_argument("--compare", type=Path, help="compare proposals with this file")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="listwatch-seed-"))
    try:
        proxy = WorldProxy(tmp / "proxy")
        proxy.start()
        try:
            measured = measure(proxy, tmp, seed=args.seed, code=args.code)
        finally:
            proxy.stop()
        print("seeded preprints:", json.dumps(measured.seeded, sort_keys=True))
        for name, one in (("cold", measured.cold), ("warm", measured.warm)):
            busy = sorted(one.hosts.items(), key=lambda item: -item[1])
            print(f"{name}: {one.wall:.1f} s, {one.requests} requests; "
                  f"{len(one.hosts)} hosts; the busiest (requests, first start - last end):")
            for host, n in busy[:8]:
                print(f"  {host}: {n} ({one.spans[host][0]:.1f} s - {one.spans[host][1]:.1f} s)")
        proposals = measured.cold.proposals
        print(f"proposals: {len(proposals)}")
        if args.proposals:
            args.proposals.write_text("\n".join(proposals) + "\n", encoding="utf-8")
        if args.compare:
            saved = args.compare.read_text(encoding="utf-8").splitlines()
            same = saved == proposals
            print("proposals identical to", args.compare, ":", same)
            if not same:
                print("only before:", len(set(saved) - set(proposals)),
                      "only now:", len(set(proposals) - set(saved)))
    finally:
        if args.keep:
            print("work directory kept:", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
