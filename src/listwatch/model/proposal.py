"""A proposed edit with its reason and evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from listwatch.model.document import Edit, Span

Kind = Literal["moved", "normalise", "venue", "title", "stars", "archived", "dead", "duplicate"]
KINDS: tuple[Kind, ...] = get_args(Kind)


@dataclass(frozen=True)
class Proposal:
    """One change a careful maintainer would make.

    ``id`` is stable across runs (same change, same id). ``span`` is ``None``
    for report-only proposals (``dead``, ``duplicate``) that edit nothing.
    ``apply`` is False for proposals shown for review but not committed by
    default (low confidence).
    """

    id: str
    kind: Kind
    file: str
    line: int
    span: Span | None
    old: str
    new: str
    reason: str
    evidence: tuple[str, ...]
    confidence: float
    apply: bool = True

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown proposal kind {self.kind!r}")

    @property
    def change(self) -> Edit | None:
        """The edit this proposal describes (committed or not); None when report-only."""
        return None if self.span is None else Edit(self.span, self.old, self.new)

    @property
    def edit(self) -> Edit | None:
        """The edit this proposal commits, or None when it is report- or review-only."""
        return self.change if self.apply else None
