"""The dashboard issue body: dead, failing and blocked links, and its marker."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from listwatch.model import Link, Span, Verdict
from listwatch.publish.dashboard import draft_dashboard
from listwatch.publish.markers import is_dashboard
from listwatch.publish.model import LinkResult

NOW = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)


def _result(url: str, status: str, *, line: int = 1, detail: str = "",
            evidence: tuple[str, ...] = ()) -> LinkResult:
    link = Link(file="list.md", line=line, column=3, span=Span(0, len(url)), url=url,
                resolved=url, label="Paper", kind="inline")
    return LinkResult(link, Verdict(url=url, status=status, detail=detail,
                                    evidence=evidence))


def _draft(results: list[LinkResult], snapshots: dict[str, str] | None = None):
    return draft_dashboard("Owner/List", results, snapshots or {}, title="Link health",
                           label="listwatch", checked_at=NOW)


def test_sections_rows_and_archived_copies() -> None:
    dead = "https://gone.example/p"
    results = [
        _result(dead, "broken", line=4, detail="404 Not Found; failing in 2 runs since x",
                evidence=("https://gone.example/p",)),
        _result(dead, "broken", line=9),
        _result("https://other.example/x", "broken", line=12, detail="410 Gone"),
        _result("https://flaky.example/", "failing", detail="failing (1/2): timed out"),
        _result("https://dl.acm.org/doi/1", "blocked", detail="bot challenge"),
        _result("https://fine.example/", "ok"),
    ]
    draft = _draft(results, {dead: "https://web.archive.org/web/2020/https://gone.example/p"})
    body = draft.body
    assert draft.problems == 4 and draft.title == "Link health" and draft.label == "listwatch"
    assert "## Dead links (2)" in body and "## Failing links (1)" in body
    assert "## Blocked links (1)" in body
    assert ("| `list.md:4`, `list.md:9` | `https://gone.example/p` | 404 Not Found; failing in "
            "2 runs since x [evidence](https://gone.example/p) | "
            "[Wayback Machine](https://web.archive.org/web/2020/https://gone.example/p) |") in body
    assert "| `list.md:12` | `https://other.example/x` | 410 Gone | no archived copy |" in body
    assert "failing (1/2): timed out" in body and "fine.example" not in body
    assert "Last run: 2026-11-24 04:00 UTC, 5 URLs checked." in body
    assert is_dashboard(body, "owner/list")


def test_all_well_has_no_problems() -> None:
    draft = _draft([_result("https://fine.example/", "ok")])
    assert draft.problems == 0 and "All links are fine." in draft.body


def test_outside_text_cannot_break_the_table_or_ping_links() -> None:
    url = "https://x.example/a|b)"
    draft = _draft([_result(url, "broken", detail="<img src=x> | @team",
                            evidence=("javascript:alert(1)", "https://ok.example/e)"))],
                   {url: "https://web.archive.org/web/1/x) [a](b"})
    row = next(line for line in draft.body.splitlines() if "x.example" in line)
    cells = re.split(r"(?<!\\)\|", row)[1:-1]
    assert len(cells) == 4, cells  # every pipe from the outside text is escaped
    assert "`https://x.example/a\\|b)`" in row
    assert re.search(r"(?<!\\)<img", row) is None
    assert "javascript:" not in row and "ok.example/e)" not in row
    assert row.endswith("| no archived copy |")
