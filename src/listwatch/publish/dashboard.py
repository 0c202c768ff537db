"""The dashboard issue of a target: what listwatch cannot fix by itself.

Dead links (with their evidence and an archived copy, or plainly none), failing
links (not yet dead: the streak so far) and blocked links (the server refuses
automated checks). One issue per target repository, found again by its label,
its creator and a hidden marker; updated in place, closed when all is well.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from listwatch.markdown.escape import code_cell, escape_inline, link_target
from listwatch.model import Status
from listwatch.publish.markers import dashboard_marker
from listwatch.publish.model import LinkResult
from listwatch.redact import redact_text

MAX_ROWS = 300
SECTIONS: tuple[tuple[Status, str, str], ...] = (
    ("broken", "Dead links",
     "Broken past the flakiness window. Not removed from the list: replace or remove "
     "them by hand, or let listwatch write the archived copy (`[dead] replace_with_archive`)."),
    ("failing", "Failing links",
     "Failing, but not for long enough to be called dead; they may recover."),
    ("blocked", "Blocked links",
     "The server refuses automated checks (a bot challenge or a rate limit): "
     "check them in a browser."),
)


@dataclass(frozen=True)
class DashboardDraft:
    """Title, body and label of the dashboard issue; ``problems`` counts its rows."""

    title: str
    body: str
    label: str
    problems: int


def draft_dashboard(repository: str, links: Sequence[LinkResult], snapshots: Mapping[str, str],
                    *, title: str, label: str, checked_at: datetime) -> DashboardDraft:
    """The dashboard of ``repository`` for the links of its lists (``problems == 0``:
    all is well, and an open dashboard is closed)."""
    rows: dict[Status, dict[str, list[LinkResult]]] = {status: {} for status, _, _ in SECTIONS}
    for result in links:
        by_url = rows.get(result.verdict.status)
        if by_url is not None:
            by_url.setdefault(result.verdict.url, []).append(result)
    urls = {result.verdict.url for result in links}
    lines = [
        "listwatch checks the links of this list on a schedule. This issue lists what it "
        "cannot fix by itself; it is updated in place after every run and closed when all "
        "is well.",
        "",
        f"Last run: {checked_at.strftime('%Y-%m-%d %H:%M UTC')}, {len(urls)} URLs checked.",
        "",
    ]
    problems = 0
    for status, heading, explanation in SECTIONS:
        found = rows[status]
        if not found:
            continue
        problems += len(found)
        lines.extend([f"## {heading} ({len(found)})", "", explanation, ""])
        header = "| where | link | why |" + (" archived copy |" if status == "broken" else "")
        lines.extend([header, "|" + " --- |" * (header.count("|") - 1)])
        for url, results in list(found.items())[:MAX_ROWS]:
            lines.append(_row(url, results, snapshots if status == "broken" else None))
        if len(found) > MAX_ROWS:
            lines.append(f"\n… and {len(found) - MAX_ROWS} more (see the run's report)")
        lines.append("")
    if not problems:
        lines.extend(["All links are fine.", ""])
    lines.append(dashboard_marker(repository))
    return DashboardDraft(title=title, body=redact_text("\n".join(lines)) + "\n", label=label,
                          problems=problems)


def _row(url: str, results: Sequence[LinkResult], snapshots: Mapping[str, str] | None) -> str:
    places = ", ".join(code_cell(f"{r.link.file}:{r.link.line}") for r in results[:3])
    if len(results) > 3:
        places += f" (+{len(results) - 3})"
    verdict = results[0].verdict
    why = escape_inline(verdict.detail or verdict.status)
    evidence = " ".join(f"[evidence]({target})" for item in verdict.evidence[:2]
                        if (target := link_target(item)))
    cells = [places, code_cell(url), f"{why} {evidence}".strip()]
    if snapshots is not None:
        snapshot = snapshots.get(url)
        target = link_target(snapshot) if snapshot else None
        cells.append(f"[Wayback Machine]({target})" if target else "no archived copy")
    return "| " + " | ".join(cells) + " |"
