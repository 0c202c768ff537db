"""Apply span edits to a document's text, touching nothing else."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from listwatch.errors import InternalError
from listwatch.markdown.document import Document
from listwatch.model import Edit


class EditConflict(InternalError):
    """Edits overlap, fall outside the text, or no longer match it (a bug upstream)."""


def apply_edits(doc: Document, edits: Iterable[Edit]) -> str:
    """``doc.text`` with every edit's span replaced by its ``new`` text.

    Raises ``EditConflict`` when two edits overlap (two insertions at one point
    count as overlapping), a span runs past the end, or ``old`` differs from
    the text under the span.
    """
    text = doc.text
    ordered = sorted(edits, key=lambda edit: (edit.span.start, edit.span.end))
    for edit in ordered:
        if edit.span.end > len(text):
            raise EditConflict(
                f"{doc.path}: edit {edit.span.start}..{edit.span.end} is past the end of the file"
            )
        current = text[edit.span.start : edit.span.end]
        if current != edit.old:
            line, column = doc.position(edit.span.start)
            raise EditConflict(
                f"{doc.path}:{line}:{column}: expected {edit.old!r} but found {current!r}"
            )
    for before, after in pairwise(ordered):
        if before.span.overlaps(after.span):
            line, column = doc.position(after.span.start)
            raise EditConflict(f"{doc.path}:{line}:{column}: overlapping edits")
    pieces: list[str] = []
    cursor = 0
    for edit in ordered:
        pieces.append(text[cursor : edit.span.start])
        pieces.append(edit.new)
        cursor = edit.span.end
    pieces.append(text[cursor:])
    return "".join(pieces)
