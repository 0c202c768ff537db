"""Which lines of a checkout's files were added or changed since a git ref.

For `check --changed BASE` (a pull request's check): ``git diff --unified=0 BASE``
against the working tree gives, per file, the hunks' line ranges on the new side.
A file git does not track yet counts as changed throughout.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from listwatch.errors import InputError

# "@@ -12,3 +14,5 @@": the new side starts at line 14 and spans 5 lines (1 when omitted).
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
GIT_TIMEOUT = 120


@dataclass(frozen=True)
class Changed:
    """The changed lines of one file (1-based); ``everything`` for a new file."""

    lines: frozenset[int] = frozenset()
    everything: bool = False

    def touches(self, first: int, last: int | None = None) -> bool:
        """Whether lines ``first``..``last`` include a changed one."""
        return self.everything or any(n in self.lines for n in range(first, (last or first) + 1))


def changed_lines(root: Path, base: str, paths: Iterable[str]) -> Mapping[str, Changed]:
    """For each of ``paths`` (relative to ``root``), the lines that differ from ``base``
    (every line of a file git does not track; none of an unchanged file)."""
    wanted = sorted(set(paths))
    _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}",
         problem=f"--changed: git knows no commit {base!r} in {root} (in GitHub Actions, "
                 "check out with fetch-depth: 0 so the base is there)")
    found: dict[str, Changed] = {path: Changed() for path in wanted}
    if not wanted:
        return found
    diff = _git(root, "-c", "core.quotePath=false", "diff", "--no-color", "--no-ext-diff",
                "--unified=0", "--no-renames", base, "--", *wanted,
                problem=f"--changed: git diff against {base!r} failed")
    found.update((path, Changed(lines)) for path, lines in parse_diff(diff).items())
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", *wanted,
                     problem="--changed: git ls-files failed")
    for path in filter(None, untracked.split("\0")):
        found[path] = Changed(everything=True)
    return found


def toplevel(folder: Path) -> Path:
    """The root of the git checkout around ``folder``."""
    out = _git(folder, "rev-parse", "--show-toplevel",
               problem=f"--changed: {folder} is not inside a git checkout")
    return Path(out.strip())


def parse_diff(text: str) -> dict[str, frozenset[int]]:
    """The new-side line numbers of every hunk in a ``--unified=0`` diff, per file."""
    lines: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in text.splitlines():
        if line.startswith("+++ "):
            target = line[4:]
            current = None if target == "/dev/null" else lines.setdefault(
                target[2:] if target.startswith("b/") else target, set())
            continue
        match = _HUNK.match(line)
        if match and current is not None:
            start, count = int(match.group(1)), int(match.group(2) or "1")
            current.update(range(start, start + count))
    return {path: frozenset(numbers) for path, numbers in lines.items()}


def _git(root: Path, *args: str, problem: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"{problem}: cannot run git ({type(exc).__name__})") from None
    if done.returncode != 0:
        raise InputError(problem)
    return done.stdout
