"""The cost of reading a list grows linearly with its links (issue 12, item 3).

Cost is counted, not timed: the number of Python lines the markdown package
executes while links and entries are read. Doubling the links of one list item
may at most (about) double that count; the quadratic scans this replaced grew
it fourfold.
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listwatch.markdown import Document, extract_entries, extract_links

_PACKAGE = "/listwatch/markdown/"

# One repeated piece of a list item, in the shapes real lists use (and worse).
PIECES = (
    "[Paper](https://example.org/p{i}) ",
    "\\[[Paper](https://example.org/p{i}), [Code](https://github.com/o/r{i})] ",
    "[[GitHub]](https://github.com/o/r{i}) ",
    "[Paper](https://example.org/p{i})\n  ",
    "[ ![x [Paper](https://example.org/p{i}) ",
    "![badge](https://img.shields.io/b{i}.svg) https://example.org/bare{i} ",
    "[![b](https://img.shields.io/{i})](https://example.org/{i}) (ICML 2020) ",
    "<a href=https://example.org/h{i}?a=1&b=2>x</a> [t][r{i}] ",
)


def cost(text: str) -> int:
    """Python lines run inside listwatch.markdown to read every link and entry."""
    count = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if _PACKAGE not in frame.f_code.co_filename.replace("\\", "/"):
            return None
        if event == "line":
            count += 1
        return tracer

    doc = Document.from_text(text)
    sys.settrace(tracer)
    try:
        links = extract_links(doc)
        extract_entries(doc, links)
    finally:
        sys.settrace(None)
    return count


def item(piece: str, n: int) -> str:
    body = "".join(piece.format(i=i) for i in range(n))
    definitions = "".join(f"[r{i}]: https://example.org/r{i}\n" for i in range(n))
    return f"# List\n\n- **Title** {body}\n\n{definitions}"


@pytest.mark.parametrize("piece", PIECES)
@settings(max_examples=3, deadline=None)
@given(n=st.integers(min_value=60, max_value=120))
def test_doubling_the_links_of_one_item_at_most_doubles_the_work(piece: str, n: int) -> None:
    small, large = cost(item(piece, n)), cost(item(piece, 2 * n))
    assert 0 < large <= 2.3 * small, (piece, small, large)


# Scans done in C (str.find, regular expressions) run no Python lines, so the two
# finders that bound them count the characters they examine instead.


class _Counted(str):
    """A run whose ``find`` counts the characters it examines."""

    examined = 0

    def find(self, sub: str, start: Any = None, end: Any = None) -> int:  # type: ignore[override]
        at = str.find(self, sub, start, end)
        stop = len(self) if end is None else end
        _Counted.examined += (at if at >= 0 else stop) - (start or 0)
        return at


def _examined_by_closers(piece: str, n: int) -> int:
    from listwatch.markdown.scanner import scan_inline

    _Counted.examined = 0
    scan_inline(_Counted("x " + piece * n))
    return _Counted.examined


@pytest.mark.parametrize("piece", ["<!-- a ", "<? a ", "<![CDATA[ a ", "<!DOCTYPE a "])
def test_unclosed_comments_and_declarations_are_looked_past_once(piece: str) -> None:
    small, large = _examined_by_closers(piece, 2000), _examined_by_closers(piece, 4000)
    assert 0 < large <= 2.3 * small, (small, large)


def test_a_domain_run_with_a_bare_url_candidate_at_every_label_is_read_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from listwatch.markdown import scanner

    examined = 0
    real = scanner._DOMAIN

    class Counting:
        def match(self, s: str, pos: int, endpos: int) -> Any:
            nonlocal examined
            found = real.match(s, pos, endpos)
            examined += found.end() - pos if found else 1
            return found

    monkeypatch.setattr(scanner, "_DOMAIN", Counting())

    def cost_of(n: int) -> int:
        nonlocal examined
        examined = 0
        assert not [f for f in scanner.scan_inline("x " + "www.a.b_" * n) if f.kind == "bare"]
        return examined

    small, large = cost_of(2000), cost_of(4000)
    assert 0 < large <= 2.3 * small, (small, large)
