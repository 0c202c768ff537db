"""Unified diffs that `git apply` and `patch -p1` accept from the repository root."""

from __future__ import annotations

import difflib

NO_NEWLINE = "\\ No newline at end of file\n"


def _lines(text: str) -> list[str]:
    # Split only on "\n" so "\r\n" endings stay inside the line, as git expects.
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def unified_diff(path: str, old: str, new: str, *, context: int = 3) -> str:
    """A git-style diff of one file (``a/`` and ``b/`` prefixes), or "" when unchanged."""
    if old == new:
        return ""
    out = [f"diff --git a/{path} b/{path}\n"]
    for line in difflib.unified_diff(_lines(old), _lines(new), f"a/{path}", f"b/{path}",
                                     n=context):
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\n") + "\n")
        elif line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n" + NO_NEWLINE)
    return "".join(out)
