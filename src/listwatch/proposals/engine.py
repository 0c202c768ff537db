"""Run every rule, number repeated changes, drop declined ones, resolve conflicts.

Conflicts are resolved per file among the proposals that would be applied
(``apply=True`` with a span), so the result always goes through ``apply_edits``:

- two insertions at one point (a star count and an ``(archived)`` marker after
  the same code link) are merged into one proposal, text in reading order;
- otherwise the higher-priority kind keeps its span and the other is dropped
  (it comes back on the next run if it still applies). ``moved`` already writes
  its target in canonical form, so a ``normalise`` of the same URL adds nothing.

Priority: moved > dead > normalise > venue > title > archived > stars (replacing a
dead link by its snapshot beats tidying the dead URL).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from listwatch.markdown.style import HouseStyle, learn_style
from listwatch.model import KINDS, Kind, Proposal
from listwatch.proposals.ids import nth, proposal_id
from listwatch.proposals.inputs import ProposalInputs
from listwatch.proposals.rules import (
    archived,
    dead,
    duplicate,
    moved,
    normalise,
    stars,
    title,
    venue,
)

Rule = Callable[[ProposalInputs, HouseStyle], Iterable[Proposal]]
RULES: tuple[Rule, ...] = (
    moved.propose, normalise.propose, venue.propose, title.propose,
    stars.propose, archived.propose, dead.propose, duplicate.propose,
)
PRIORITY: tuple[Kind, ...] = (
    "moved", "dead", "normalise", "venue", "title", "archived", "stars", "duplicate",
)
# Reading order of texts inserted at one point, e.g. after a code link.
INSERT_ORDER: tuple[Kind, ...] = ("venue", "stars", "archived")


def propose(inputs: ProposalInputs) -> tuple[Proposal, ...]:
    """Every proposal for this run, in file and position order, conflict-free."""
    style = learn_style(inputs.documents, inputs.entries, inputs.repo_paths)
    drafted = [proposal for rule in RULES for proposal in rule(inputs, style)]
    numbered = _number(_unique(drafted))
    wanted = [p for p in numbered if p.id not in inputs.declined]
    return tuple(sorted(_resolve(wanted), key=_position))


def _position(p: Proposal) -> tuple[str, int, int, int, str]:
    start = p.span.start if p.span is not None else -1
    return p.file, p.line, start, KINDS.index(p.kind), p.id


def _unique(proposals: Iterable[Proposal]) -> list[Proposal]:
    """Drop exact repeats (same kind, file, span and new text)."""
    seen: set[tuple[str, str, object, str, str]] = set()
    out = []
    for p in proposals:
        key = (p.kind, p.file, p.span if p.span else p.line, p.old, p.new)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _number(proposals: list[Proposal]) -> list[Proposal]:
    """Give the 2nd, 3rd… identical change in one file its own id, in text order."""
    ordered = sorted(proposals, key=_position)
    counts: Counter[str] = Counter()
    out = []
    for p in ordered:
        out.append(dataclasses.replace(p, id=nth(p.id, counts[p.id])))
        counts[p.id] += 1
    return out


def _resolve(proposals: list[Proposal]) -> Iterator[Proposal]:
    editing = [p for p in proposals if p.edit is not None]
    yield from (p for p in proposals if p.edit is None)
    for file in sorted({p.file for p in editing}):
        kept: list[Proposal] = []
        ranked = sorted((p for p in editing if p.file == file),
                        key=lambda p: (PRIORITY.index(p.kind), _position(p)))
        for candidate in ranked:
            clash = next((k for k in kept if _overlap(k, candidate)), None)
            if clash is None:
                kept.append(candidate)
            elif _both_insert_at_one_point(clash, candidate):
                kept[kept.index(clash)] = _merge_insertions(clash, candidate)
        yield from kept


def _overlap(a: Proposal, b: Proposal) -> bool:
    assert a.span is not None and b.span is not None
    return a.span.overlaps(b.span)


def _both_insert_at_one_point(a: Proposal, b: Proposal) -> bool:
    assert a.span is not None and b.span is not None
    return a.span == b.span and a.span.start == a.span.end and a.kind != b.kind


def _merge_insertions(a: Proposal, b: Proposal) -> Proposal:
    """One insertion carrying both texts in reading order; the higher-priority kind names it."""
    first, second = sorted((a, b), key=lambda p: _insert_rank(p.kind))
    lead = min((a, b), key=lambda p: PRIORITY.index(p.kind))
    new = first.new + second.new
    return dataclasses.replace(
        lead,
        id=proposal_id(lead.kind, lead.file, "", new, f"{first.id}+{second.id}"),
        new=new,
        reason=f"{first.reason} {second.reason}",
        evidence=tuple(dict.fromkeys((*first.evidence, *second.evidence))),
        confidence=min(a.confidence, b.confidence),
    )


def _insert_rank(kind: str) -> int:
    return INSERT_ORDER.index(kind) if kind in INSERT_ORDER else len(INSERT_ORDER)
