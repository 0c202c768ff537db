"""The pull request a reviewer can trust and merge in a minute: title and body.

The body says what changed and why, with evidence links, per kind of change;
lists what was left for review (low confidence, dead links) without touching
the list; and ends with a hidden marker of proposal ids so a later run can tell
which changes a closed pull request declined.
"""

from __future__ import annotations

from collections.abc import Sequence

from listwatch.config import Config
from listwatch.markdown.escape import code_span, escape_inline, link_target
from listwatch.model import Kind, Proposal
from listwatch.publish.markers import proposals_marker
from listwatch.publish.model import EntryFacts, PullRequestDraft
from listwatch.redact import redact_text

KIND_HEADINGS: dict[Kind, str] = {
    "moved": "Moved links (permanent redirects and renamed repositories)",
    "normalise": "Canonical link forms",
    "venue": "Preprints published at a venue",
    "title": "Titles that changed",
    "stars": "Star counts",
    "archived": "Archived repositories",
    "dead": "Dead links (not removed: evidence and a suggested replacement)",
    "duplicate": "Duplicates (reported, not changed)",
}
MAX_ROWS_PER_KIND = 200


def _evidence(proposal: Proposal) -> str:
    links = [f"[{index}]({target})" if (target := link_target(url)) else
             f"{index}: {code_span(url)}"
             for index, url in enumerate(proposal.evidence[:4], start=1)]
    return " ".join(links)


def _change(proposal: Proposal) -> str:
    """How the change reads in one line: a replacement, an insertion or a suggestion."""
    if proposal.new == proposal.old:
        return ""
    if proposal.span is None:
        return f": {code_span(proposal.old)}, suggested {code_span(proposal.new)}"
    if not proposal.old.strip():
        return f": adds {code_span(proposal.new.strip())}"
    return f": {code_span(proposal.old)} → {code_span(proposal.new)}"


def _row(proposal: Proposal) -> str:
    change = _change(proposal)
    confidence = f" (confidence {proposal.confidence:.2f})" if proposal.confidence < 0.9 else ""
    evidence = _evidence(proposal)
    evidence = f" — evidence {evidence}" if evidence else ""
    return (f"- `{proposal.file}:{proposal.line}`{change}. {escape_inline(proposal.reason)}"
            f"{confidence}{evidence}")


def _section(title: str, proposals: Sequence[Proposal]) -> list[str]:
    lines = [f"### {title}", ""]
    lines.extend(_row(p) for p in proposals[:MAX_ROWS_PER_KIND])
    if len(proposals) > MAX_ROWS_PER_KIND:
        lines.append(f"- … and {len(proposals) - MAX_ROWS_PER_KIND} more (see the run's report)")
    lines.append("")
    return lines


def _stars_table(entries: Sequence[EntryFacts]) -> list[str]:
    rows = sorted(
        {(repo.name_with_owner or repo.requested, repo.stars)
         for item in entries for repo in item.repos if repo.exists and repo.stars is not None},
        key=lambda row: (-(row[1] or 0), row[0].lower()),
    )
    if not rows:
        return []
    lines = ["<details><summary>Star counts of the linked repositories</summary>", "",
             "| repository | stars |", "| --- | ---: |"]
    lines.extend(f"| {escape_inline(name)} | {stars} |" for name, stars in rows)
    lines.extend(["", "</details>", ""])
    return lines


def draft_pull_request(config: Config, proposals: Sequence[Proposal],
                       entries: Sequence[EntryFacts], base: str | None,
                       suggested: frozenset[str] = frozenset()) -> PullRequestDraft:
    """Title and body for the proposals: the ones applied, those posted as review
    suggestions (``suggested`` ids), and the rest left for review in the body."""
    applied = [p for p in proposals if p.edit is not None]
    review = [p for p in proposals if p.edit is None and p.id not in suggested]
    files = sorted({p.file for p in applied})
    lines = [
        f"This pull request updates {len(applied)} "
        f"{'place' if len(applied) == 1 else 'places'} in {len(files)} "
        f"{'file' if len(files) == 1 else 'files'} of the list. Each change below says why, "
        "with the evidence it rests on; nothing was deleted.",
        "",
    ]
    for kind, heading in KIND_HEADINGS.items():
        chosen = [p for p in applied if p.kind == kind]
        if chosen:
            lines.extend(_section(heading, chosen))
    if review:
        lines.extend(["## For review (not changed by this pull request)", ""])
        for kind, heading in KIND_HEADINGS.items():
            chosen = [p for p in review if p.kind == kind]
            if chosen:
                lines.extend(_section(heading, chosen))
    if suggested:
        count = len(suggested)
        lines.extend([f"{count} more {'change is' if count == 1 else 'changes are'} suggested "
                      "on the diff as review comments: commit a suggestion to accept it.", ""])
    lines.extend(_stars_table(entries))
    lines.append("Close this pull request to decline its changes: listwatch remembers "
                 "declined changes and does not propose them again.")
    lines.extend(["", proposals_marker(p.id for p in proposals), ""])
    count = len(applied)
    title = config.pr.title if count else f"{config.pr.title} (nothing to change)"
    return PullRequestDraft(title=title, body=redact_text("\n".join(lines)),
                            branch=config.pr.branch, base=base, labels=config.pr.labels)
