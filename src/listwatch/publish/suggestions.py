"""One-click review: proposals left for review, as GitHub ``suggestion`` comments.

A proposal shown for review (``apply`` false: a title, a venue between the review
and apply thresholds) is posted on the pull request as a review comment holding a
```` ```suggestion ```` block when its line lies inside the pull request's diff
(GitHub accepts review comments only there). The block replaces whole lines of the
branch's version of the file, so the lines are those of the edited text, with the
applied edits on them too. Anything that cannot be placed so stays in the body.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from listwatch.markdown.escape import escape_inline
from listwatch.model import Edit, Proposal
from listwatch.publish.markers import suggestion_marker

# GitHub shows three lines of context around each change; those are in the diff too.
CONTEXT = 3


@dataclass(frozen=True)
class Suggestion:
    """A review comment on lines ``start_line``..``line`` (1-based, the branch's side)."""

    proposal_id: str
    path: str
    start_line: int
    line: int
    body: str


def suggestions(path: str, original: str, edited: str, applied: Sequence[Edit],
                review: Sequence[Proposal]) -> tuple[Suggestion, ...]:
    """Suggestions for the ``review`` proposals of one file that can be placed.

    ``original`` is the file as read, ``edited`` the same with the ``applied`` edits
    (what the branch holds).
    """
    commentable = _commentable_lines(original, edited)
    out = []
    for proposal in review:
        if proposal.span is None or proposal.file != path or proposal.edit is not None:
            continue
        placed = _place(original, edited, applied, proposal)
        if placed is None:
            continue
        first, last, text = placed
        if not all(number in commentable for number in range(first, last + 1)):
            continue
        out.append(Suggestion(proposal_id=proposal.id, path=path, start_line=first,
                              line=last, body=_body(proposal, text)))
    return tuple(out)


def _place(original: str, edited: str, applied: Sequence[Edit],
           proposal: Proposal) -> tuple[int, int, str] | None:
    """First and last line on the branch's side, and those lines as the proposal makes
    them; None when the lines cannot be suggested cleanly."""
    assert proposal.span is not None
    span = proposal.span
    start = original.rfind("\n", 0, span.start) + 1
    end = original.find("\n", span.end)
    end = len(original) if end == -1 else end
    inside: list[Edit] = []
    shift = 0
    for edit in sorted(applied, key=lambda e: e.span.start):
        if edit.span.end <= start and edit.span.start < start:
            shift += len(edit.new) - (edit.span.end - edit.span.start)
        elif start <= edit.span.start and edit.span.end <= end:
            if edit.span.overlaps(span):
                return None  # an applied edit already changes what the proposal changes
            inside.append(edit)
        elif edit.span.start < end and edit.span.end > start:
            return None  # an edit across the lines' boundary
    lines_now = _apply(original[start:end], start, inside)
    change = proposal.change
    assert change is not None
    lines_then = _apply(original[start:end], start, [*inside, change])
    if "\r" in lines_now or "\r" in lines_then or lines_now == lines_then:
        return None
    first = edited.count("\n", 0, start + shift) + 1
    assert edited[start + shift:start + shift + len(lines_now)] == lines_now
    return first, first + lines_now.count("\n"), lines_then


def _apply(text: str, offset: int, edits: Sequence[Edit]) -> str:
    out, cursor = [], 0
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        out.append(text[cursor:edit.span.start - offset])
        out.append(edit.new)
        cursor = edit.span.end - offset
    out.append(text[cursor:])
    return "".join(out)


def _commentable_lines(original: str, edited: str) -> frozenset[int]:
    """Line numbers of ``edited`` that GitHub shows in the diff (changes and context)."""
    old, new = original.split("\n"), edited.split("\n")
    lines: set[int] = set()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for group in matcher.get_grouped_opcodes(CONTEXT):
        lines.update(range(group[0][3] + 1, group[-1][4] + 1))
    return frozenset(lines)


def _body(proposal: Proposal, text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * (longest + 1)
    evidence = " ".join(f"[{n}]({url})" for n, url in enumerate(proposal.evidence[:4], 1))
    lines = [
        f"**{proposal.kind}** (confidence {proposal.confidence:.2f}): "
        f"{escape_inline(proposal.reason)}",
    ]
    if evidence:
        lines.append(f"Evidence: {evidence}")
    lines.extend(["", f"{fence}suggestion", text, fence, "",
                  "Commit the suggestion to accept it; resolve the thread to decline.",
                  suggestion_marker(proposal.id)])
    return "\n".join(lines)
