"""Review-only proposals become one-click suggestions on lines inside the diff."""

from __future__ import annotations

from listwatch.markdown import Document, apply_edits
from listwatch.model import Edit, Proposal, Span
from listwatch.publish.suggestions import suggestions

PATH = "list.md"


def _doc(lines: list[str]) -> Document:
    return Document.from_text("".join(line + "\n" for line in lines), PATH)


def _replace(doc: Document, old: str, new: str, *, apply: bool, occurrence: int = 0,
             kind: str = "title") -> Proposal:
    start = -1
    for _ in range(occurrence + 1):
        start = doc.text.index(old, start + 1)
    return Proposal(id=f"{kind}-{start}", kind=kind, file=PATH,
                    line=doc.text.count("\n", 0, start) + 1,
                    span=Span(start, start + len(old)), old=old, new=new, reason="why",
                    evidence=("https://arxiv.org/abs/2401.00001",), confidence=0.6,
                    apply=apply)


def _edited(doc: Document, applied: list[Proposal]) -> tuple[str, list[Edit]]:
    edits = [p.edit for p in applied if p.edit is not None]
    return apply_edits(doc, edits), edits


def test_a_review_proposal_on_an_edited_line_carries_both_changes() -> None:
    doc = _doc([f"line {n}" for n in range(1, 6)] +
               ["- Old Title (arXiv 2401.00001) [[Code](http://github.com/a/b)]"] +
               [f"line {n}" for n in range(7, 20)])
    moved = _replace(doc, "http://github.com/a/b", "https://github.com/a/c", apply=True,
                     kind="moved")
    title = _replace(doc, "Old Title", "New Title", apply=False)
    edited, edits = _edited(doc, [moved])
    [found] = suggestions(PATH, doc.text, edited, edits, [title])
    assert (found.start_line, found.line) == (6, 6)
    block = found.body.split("```suggestion\n", 1)[1].split("\n```", 1)[0]
    assert block == "- New Title (arXiv 2401.00001) [[Code](https://github.com/a/c)]"
    assert "confidence 0.60" in found.body and "[1](https://arxiv.org/abs/2401.00001)" in found.body


def test_line_numbers_follow_edits_that_add_lines_above() -> None:
    doc = _doc(["- A (x)", "- B (y)", "- C Title (z)"])
    grow = Proposal(id="venue-1", kind="venue", file=PATH, line=1, span=Span(3, 3), old="",
                    new="one\n  two ", reason="r", evidence=(), confidence=0.9)
    title = _replace(doc, "C Title", "C New", apply=False)
    edited, edits = _edited(doc, [grow])
    [found] = suggestions(PATH, doc.text, edited, edits, [title])
    assert edited.splitlines()[found.line - 1] == "- C Title (z)"
    assert found.line == 4


def test_lines_outside_the_diff_stay_in_the_body() -> None:
    doc = _doc([f"- entry {n}" for n in range(1, 30)])
    applied = _replace(doc, "entry 2", "entry two", apply=True, kind="moved")
    near = _replace(doc, "entry 5", "entry five", apply=False)   # 3 lines of context: in
    far = _replace(doc, "entry 20", "entry twenty", apply=False)  # far from any change: out
    edited, edits = _edited(doc, [applied])
    found = suggestions(PATH, doc.text, edited, edits, [near, far])
    assert [s.proposal_id for s in found] == [near.id]


def test_a_review_proposal_overlapping_an_applied_edit_is_not_suggested() -> None:
    doc = _doc(["- Title one", "- Title two"])
    applied = _replace(doc, "Title one", "Title 1", apply=True, kind="moved")
    clash = _replace(doc, "one", "uno", apply=False)
    edited, edits = _edited(doc, [applied])
    assert suggestions(PATH, doc.text, edited, edits, [clash]) == ()


def test_applied_proposals_and_other_files_are_not_suggestions() -> None:
    doc = _doc(["- Title one", "- Title two"])
    applied = _replace(doc, "Title one", "Title 1", apply=True, kind="moved")
    edited, edits = _edited(doc, [applied])
    assert suggestions("other.md", doc.text, edited, edits,
                       [_replace(doc, "two", "2", apply=False)]) == ()
    assert suggestions(PATH, doc.text, edited, edits, [applied]) == ()


def test_crlf_lines_are_left_to_the_body() -> None:
    doc = Document.from_text("- Title one\r\n- Title two\r\n", PATH)
    applied = _replace(doc, "one", "1", apply=True, kind="moved")
    review = _replace(doc, "two", "2", apply=False)
    edited, edits = _edited(doc, [applied])
    assert suggestions(PATH, doc.text, edited, edits, [review]) == ()


def test_a_fence_inside_the_text_gets_a_longer_fence() -> None:
    doc = _doc(["- Title one", "- Title two"])
    applied = _replace(doc, "one", "1", apply=True, kind="moved")
    review = _replace(doc, "two", "```two```", apply=False)
    edited, edits = _edited(doc, [applied])
    [found] = suggestions(PATH, doc.text, edited, edits, [review])
    assert "````suggestion\n- Title ```two```\n````" in found.body
