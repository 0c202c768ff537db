"""Stable proposal ids: the same change gets the same id on every run."""

from __future__ import annotations

import hashlib


def proposal_id(kind: str, file: str, old: str, new: str, anchor: str = "") -> str:
    """A short hash of what changes, never of where (line numbers shift).

    ``anchor`` tells apart insertions whose ``old`` text is empty (e.g. the
    code link an ``(archived)`` marker follows); ``occurrence`` numbering for
    repeated identical changes is added by the engine.
    """
    digest = hashlib.sha256("\x1f".join((kind, file, anchor, old, new)).encode("utf-8"))
    return f"{kind}-{digest.hexdigest()[:12]}"


def nth(base: str, occurrence: int) -> str:
    """The id of the ``occurrence``-th (0-based) identical change in one file."""
    return base if occurrence == 0 else f"{base}-{occurrence + 1}"
