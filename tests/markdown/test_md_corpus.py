"""Fidelity on the real lists: byte-identical round trips, links equal to the oracle."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from md_reference import reference_web_links

from listwatch.markdown import apply_edits, extract_entries, extract_links, read_document

CORPUS = Path("/work/shared/corpus")
FILES = sorted(CORPUS.rglob("*.md")) if CORPUS.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason="corpus not available")


def _doc(path: Path):
    return read_document(path, path.relative_to(CORPUS).as_posix())


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_round_trip_is_identity(path: Path) -> None:
    doc = _doc(path)
    assert doc.encode() == path.read_bytes()
    assert apply_edits(doc, []).encode() == path.read_bytes()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_web_links_match_reference(path: Path) -> None:
    doc = _doc(path)
    ours = Counter((link.line, link.resolved) for link in extract_links(doc) if link.is_web)
    theirs = Counter(reference_web_links(doc.text))
    assert ours - theirs == Counter(), "found links the reference does not"
    assert theirs - ours == Counter(), "missed links the reference finds"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_spans_point_at_source(path: Path) -> None:
    doc = _doc(path)
    for link in extract_links(doc):
        assert doc.text[link.span.start : link.span.end] == link.url
        line_start = doc.line_start(link.line)
        assert link.span.start - line_start + 1 >= link.column


def test_whole_corpus_parses_fast() -> None:
    docs = [_doc(path) for path in FILES]
    started = time.perf_counter()
    for doc in docs:
        links = extract_links(doc)
        extract_entries(doc, links)
    assert time.perf_counter() - started < 2.0
