"""Scoring a tool's report against the seeded truths of a benchmark world.

Each tool's JSON report is normalised to one :class:`Outcome` per URL; :func:`score`
counts valid links called broken, dead links missed and redirects reported with their
destination.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

# listwatch statuses a maintainer is told to fix (``blocked`` means "could not verify").
LW_PROBLEM = {"broken", "failing", "error", "timeout"}


@dataclasses.dataclass(frozen=True)
class Truth:
    """What a URL really is in this world."""

    url: str
    kind: str  # ok | blocked-valid | dead-* | moved-* | temp-* | flaky-503 | ...
    dest: str | None = None

    @property
    def dead(self) -> bool:
        return self.kind.startswith("dead-")

    @property
    def valid(self) -> bool:
        return not self.dead


@dataclasses.dataclass(frozen=True)
class Outcome:
    """One tool's verdict on one URL, normalised."""

    problem: bool  # reported as broken / an error the maintainer must act on
    label: str  # the tool's own status text
    dest: str | None = None  # where it said the link went (final URL), if it said
    permanent: bool | None = None


def listwatch_outcomes(report: dict[str, Any]) -> dict[str, Outcome]:
    """Verdicts from ``listwatch check --format json``."""
    out: dict[str, Outcome] = {}
    for row in report["links"]:
        url = row["url"]
        if not url.startswith(("http://", "https://")) or url in out:
            continue
        status = row["status"]
        out[url] = Outcome(problem=status in LW_PROBLEM, label=status,
                           dest=row.get("final_url") if status == "redirect" else None,
                           permanent=row.get("permanent") if status == "redirect" else None)
    return out


def lychee_outcomes(report: dict[str, Any]) -> dict[str, Outcome]:
    """Verdicts from lychee's ``--format json --verbose`` output."""
    out: dict[str, Outcome] = {}
    redirects: dict[str, list[dict[str, Any]]] = {}
    for entries in report.get("redirect_map", {}).values():
        for entry in entries:
            redirects[entry["origin"]] = entry.get("redirects") or []
    for key, problem in (("success_map", False), ("excluded_map", False),
                         ("error_map", True), ("timeout_map", True)):
        for entries in report.get(key, {}).values():
            for entry in entries:
                status = entry.get("status", {})
                code = status.get("code")
                text = str(code or status.get("text", "")).split(":")[0].split("(")[0]
                label = f"{key.removesuffix('_map')} {text}".strip()
                hops = redirects.get(entry["url"]) or (entry.get("redirects") or {}).get(
                    "redirects") or []
                dest = hops[-1]["url"] if hops else None
                permanent = all(h.get("code") in (301, 308) for h in hops) if hops else None
                out.setdefault(entry["url"], Outcome(problem, label, dest, permanent))
    return out


def normal(url: str) -> str:
    """A URL for matching across tools: no fragment, no Markdown escapes, host in lower
    case, no trailing slash (lychee keeps ``\\_`` escapes that listwatch undoes)."""
    parts = urlsplit(url.replace("\\", ""))
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}{query}"


def lookup(outcomes: dict[str, Outcome], index: dict[str, Outcome], url: str
           ) -> Outcome | None:
    """The verdict on ``url``: as written, else by its normal form (``index``)."""
    return outcomes.get(url) or index.get(normal(url))



@dataclasses.dataclass
class Score:
    """One tool's verdicts counted against the truths."""

    checked: int = 0
    missing: int = 0
    false_broken: Counter[str] = dataclasses.field(default_factory=Counter)
    valid_by_kind: Counter[str] = dataclasses.field(default_factory=Counter)
    dead_found: Counter[str] = dataclasses.field(default_factory=Counter)
    dead_missed: list[str] = dataclasses.field(default_factory=list)
    moved_with_dest: int = 0
    moved_total: int = 0
    moved_said_permanent: int = 0
    temp_with_dest: int = 0
    temp_total: int = 0
    temp_said_moved: int = 0
    labels: Counter[str] = dataclasses.field(default_factory=Counter)
    false_examples: list[str] = dataclasses.field(default_factory=list)


def same_place(said: str | None, truth: str | None) -> bool:
    """Whether a reported destination is the seeded one (case and trailing slash aside)."""
    if not said or not truth:
        return False
    return said.rstrip("/").lower() == truth.rstrip("/").lower()


def score(outcomes: dict[str, Outcome], truths: dict[str, Truth]) -> Score:
    """How one tool's ``outcomes`` compare with the ``truths`` (``unscored`` skipped)."""
    s = Score()
    seen: set[str] = set()
    index: dict[str, Outcome] = {}
    for key, value in outcomes.items():
        index.setdefault(normal(key), value)
    for url, truth in truths.items():
        if truth.kind == "unscored" or url in seen:
            continue
        seen.add(url)
        outcome = lookup(outcomes, index, url)
        if outcome is None:
            s.missing += 1
            continue
        s.checked += 1
        s.labels[outcome.label] += 1
        if truth.dead:
            if outcome.problem:
                s.dead_found[truth.kind] += 1
            else:
                s.dead_missed.append(f"{url} ({truth.kind}: said {outcome.label})")
            continue
        s.valid_by_kind[truth.kind] += 1
        if outcome.problem:
            s.false_broken[truth.kind] += 1
            if len(s.false_examples) < 8:
                s.false_examples.append(f"{url} ({truth.kind}: said {outcome.label})")
        if truth.kind.startswith("moved-"):
            s.moved_total += 1
            if same_place(outcome.dest, truth.dest):
                s.moved_with_dest += 1
                s.moved_said_permanent += bool(outcome.permanent)
        elif truth.kind.startswith("temp-"):
            s.temp_total += 1
            if same_place(outcome.dest, truth.dest):
                s.temp_with_dest += 1
            s.temp_said_moved += bool(outcome.permanent)
    return s
