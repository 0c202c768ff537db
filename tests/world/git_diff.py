"""Diffs between two trees as GitHub shows them: per-file status, counts, unified patch
hunks, and which lines a review comment may point at ("part of the diff")."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .git_objects import BLOB_MODES, ObjectStore

CONTEXT = 3


@dataclass
class FileDiff:
    """One changed file between two trees."""

    filename: str
    status: str  # added, removed, modified
    sha: str | None
    additions: int = 0
    deletions: int = 0
    patch: str = ""
    right_lines: set[int] = field(default_factory=set)
    """New-file line numbers inside a hunk (``side: RIGHT``)."""
    left_lines: set[int] = field(default_factory=set)
    """Old-file line numbers inside a hunk (``side: LEFT``)."""
    positions: int = 0
    """Lines of the patch below the first ``@@`` (the deprecated ``position`` range)."""

    @property
    def changes(self) -> int:
        """Additions plus deletions."""
        return self.additions + self.deletions


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8", "replace").splitlines()


def file_diff(name: str, old: bytes | None, new: bytes | None, sha: str | None) -> FileDiff:
    """The diff of one file (``None`` content: absent on that side)."""
    status = "added" if old is None else "removed" if new is None else "modified"
    a, b = _lines(old or b""), _lines(new or b"")
    diff = FileDiff(name, status, sha)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for group in matcher.get_grouped_opcodes(CONTEXT):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        old_start = i1 + 1 if i2 > i1 else i1
        new_start = j1 + 1 if j2 > j1 else j1
        out.append(f"@@ -{old_start},{i2 - i1} +{new_start},{j2 - j1} @@")
        for tag, x1, x2, y1, y2 in group:
            if tag == "equal":
                for k in range(x2 - x1):
                    out.append(" " + a[x1 + k])
                    diff.left_lines.add(x1 + k + 1)
                    diff.right_lines.add(y1 + k + 1)
                continue
            for k in range(x1, x2):
                out.append("-" + a[k])
                diff.left_lines.add(k + 1)
                diff.deletions += 1
            for k in range(y1, y2):
                out.append("+" + b[k])
                diff.right_lines.add(k + 1)
                diff.additions += 1
    diff.patch = "\n".join(out)
    diff.positions = max(0, len(out) - 1)
    return diff


def tree_diff(store: ObjectStore, base_tree: str | None, head_tree: str) -> list[FileDiff]:
    """Changed files from ``base_tree`` to ``head_tree``, sorted by path."""
    old = store.flat(base_tree) if base_tree else {}
    new = store.flat(head_tree)
    out = []
    for path in sorted(set(old) | set(new)):
        if old.get(path) == new.get(path):
            continue
        o, n = old.get(path), new.get(path)
        before = store.blob(o[1]) if o and o[0] in BLOB_MODES else None
        after = store.blob(n[1]) if n and n[0] in BLOB_MODES else None
        if o and n and o[1] == n[1]:
            d = FileDiff(path, "changed", n[1])  # mode change only
        else:
            d = file_diff(
                path,
                before if o else None,
                after if n else None,
                n[1] if n else o[1] if o else None,
            )
        out.append(d)
    return out
