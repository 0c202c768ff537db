"""RELIABILITY.md names a test for every case: each one exists, and the totals add up."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "RELIABILITY.md"

# `tests/e2e/test_x.py::test_y`, `test_x.py::test_y` and, after one of those in the same
# row, `::test_z` (the same file).
_FILE = re.compile(r"(?:tests/[\w/]+/)?(test_\w+\.py)")
_REFERENCE = re.compile(r"(?:(?:tests/[\w/]+/)?(test_\w+\.py))?::(test_\w+)")


def _test_files() -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for path in (ROOT / "tests").rglob("test_*.py"):
        found.setdefault(path.name, []).append(path)
    return found


def _defines(paths: list[Path], name: str) -> bool:
    pattern = re.compile(rf"^(?:async )?def {re.escape(name)}\(", re.M)
    return any(pattern.search(path.read_text(encoding="utf-8")) for path in paths)


def test_every_test_named_in_reliability_md_exists() -> None:
    files = _test_files()
    checked, missing = 0, []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        current: str | None = None
        for span in re.findall(r"`([^`]+)`", line):
            for match in _REFERENCE.finditer(span):
                current = match.group(1) or current
                if current is None:
                    continue
                checked += 1
                if current not in files or not _defines(files[current], match.group(2)):
                    missing.append(f"{current}::{match.group(2)}")
            for name in _FILE.findall(span):
                if name not in files:
                    missing.append(name)
                current = current if "::" in span else name
    assert checked >= 30 and missing == [], missing


def test_the_totals_add_up() -> None:
    text = DOC.read_text(encoding="utf-8")
    table = text.split("## Totals", 1)[1].split("\n\n", 2)[1]
    rows = [[cell.strip() for cell in row.strip("|").split("|")]
            for row in table.splitlines()[2:]]
    parts, [everything] = rows[:-1], rows[-1:]
    assert everything[0] == "**all**" and len(parts) >= 3
    for column in range(1, len(everything)):
        assert int(everything[column]) == sum(int(row[column]) for row in parts)
