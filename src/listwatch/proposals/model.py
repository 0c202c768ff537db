"""A proposed edit with its reason and evidence."""

from __future__ import annotations

from dataclasses import dataclass

from listwatch.markdown.model import Span

KINDS = ("moved", "normalise", "venue", "title", "stars", "archived", "dead", "duplicate")


@dataclass(frozen=True)
class Proposal:
    """One change a careful maintainer would make.

    ``id`` is stable across runs (same change, same id). ``span`` is ``None``
    for report-only proposals (``dead``, ``duplicate``) that edit nothing.
    ``apply`` is False for proposals shown for review but not committed by
    default (low confidence).
    """

    id: str
    kind: str
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
