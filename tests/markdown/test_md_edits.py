"""apply_edits and the round-trip properties over generated Markdown."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from listwatch.errors import InternalError, ListwatchError
from listwatch.markdown import Document, EditConflict, apply_edits, extract_entries, extract_links
from listwatch.model import Edit, Span


def test_replaces_only_the_span() -> None:
    doc = Document.from_text("* T (arXiv 2312.07104) \\[[P](https://p.org)]\r\n", "a.md")
    (entry,) = extract_entries(doc)
    span = entry.venue_span
    edit = Edit(span, doc.text[span.start : span.end], "(OSDI 2024)")
    assert apply_edits(doc, [edit]) == "* T (OSDI 2024) \\[[P](https://p.org)]\r\n"


def test_insertions_and_replacements_together() -> None:
    doc = Document.from_text("abcdef", "a.md")
    out = apply_edits(doc, [Edit(Span(6, 6), "", "!"), Edit(Span(0, 1), "a", "A")])
    assert out == "Abcdef!"


@pytest.mark.parametrize(
    "edits",
    [
        [Edit(Span(0, 3), "abc", "x"), Edit(Span(2, 4), "cd", "y")],
        [Edit(Span(2, 2), "", "x"), Edit(Span(2, 2), "", "y")],
        [Edit(Span(0, 6), "abcdef", "x"), Edit(Span(3, 3), "", "y")],
        [Edit(Span(0, 1), "z", "x")],
        [Edit(Span(5, 9), "f", "x")],
    ],
)
def test_conflicts_are_refused(edits: list[Edit]) -> None:
    with pytest.raises(EditConflict) as err:
        apply_edits(Document.from_text("abcdef", "a.md"), edits)
    # a conflict is a bug upstream (proposals), not a user error
    assert isinstance(err.value, InternalError)
    assert not isinstance(err.value, ListwatchError)


# Generated Markdown --------------------------------------------------------

_URL = st.sampled_from(
    [
        "https://x.org/a",
        "https://arxiv.org/abs/2312.07104v2",
        "../../notes/sosp-2023/",
        r"https://m.org/paper\_files/x",
        "https://github.com/o/n",
        "www.y.org/p",
    ]
)
_WORD = st.sampled_from(
    ["Title", "GPU", "é", "a_b", "*em*", "`code`", "\\[", "]", "(", ")", "&amp;", "<b>", "|", "#"]
)
_INLINE = st.one_of(
    _WORD,
    _URL,
    st.builds(lambda t, u: f"[{t}]({u})", _WORD, _URL),
    st.builds(lambda t, u: f"\\[[{t}]({u})]", _WORD, _URL),
    st.builds(lambda t, u: f"[[{t}]]({u})", _WORD, _URL),
    st.builds(lambda u: f"([SOSP 2023]({u}))", _URL),
    st.sampled_from(
        ["(arXiv 2312.07104)", "(arXiv: 2310.07177)", "(OSDI 2022)", "<https://a.org>"]
    ),
    st.builds(lambda u: f'<a href="{u}">x</a>', _URL),
)
_LINE_TEXT = st.lists(_INLINE, min_size=1, max_size=6).map(" ".join)
_LINE = st.one_of(
    _LINE_TEXT,
    st.builds(
        lambda indent, m, t: f"{indent}{m} {t}",
        st.sampled_from(["", "  ", "    "]),
        st.sampled_from(["*", "-", "+", "1."]),
        _LINE_TEXT,
    ),
    st.sampled_from(
        [
            "",
            "```",
            "    code [a](https://c.org)",
            '{% hint style="info" %}',
            "{% endhint %}",
            "> quoted https://q.org",
            "| a | [b](https://b.org) |",
            "|---|---|",
            "[ref]: https://r.org",
            "# Heading",
            "<div>",
            "</div>",
        ]
    ),
)
_EOL = st.sampled_from(["\n", "\r\n", "\r", "  \n", "\t\r\n"])
_DOC = st.builds(
    lambda bom, lines, eols, last: (
        ("\ufeff" if bom else "")
        + "".join(line + eols[i % len(eols)] for i, line in enumerate(lines))
        + last
    ),
    st.booleans(),
    st.lists(_LINE, max_size=12),
    st.lists(_EOL, min_size=1, max_size=3),
    st.sampled_from(["", "tail", "  "]),
)


@settings(max_examples=300, deadline=None)
@given(_DOC)
# Found by hypothesis: a reference usage inside an entry resolves to a definition
# outside the item.
@example("[ref]: https://r.org\nTitle\n* Title \\[[Title](https://x.org/a)]\n[ref]: https://r.org\n")
def test_round_trip_and_spans(text: str) -> None:
    doc = Document.from_text(text, "paper-list/x/list.md")
    assert apply_edits(doc, []) == text
    assert doc.encode() == text.encode()
    links = extract_links(doc)
    for link in links:
        assert doc.text[link.span.start : link.span.end] == link.url
        assert doc.position(link.span.start)[0] == link.line
    for entry in extract_entries(doc, links):
        assert doc.text[entry.title_span.start : entry.title_span.end].strip()
        if entry.venue_span is not None:
            tag = doc.text[entry.venue_span.start : entry.venue_span.end]
            assert tag.startswith("(") and tag.endswith(")")
        for labelled in entry.links:
            if labelled.link.kind == "definition":
                # A reference usage (`[ref]`) resolves to its definition, elsewhere.
                assert doc.text[labelled.link.span.start : labelled.link.span.end] == \
                    labelled.link.url
                continue
            assert labelled.span.start <= labelled.link.span.start
            assert labelled.link.span.end <= labelled.span.end


@st.composite
def _doc_and_edits(draw: st.DrawFn) -> tuple[str, list[Edit]]:
    text = draw(_DOC)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        if edits and edits[-1].span.end >= start:
            continue
        edits.append(Edit(Span(start, end), text[start:end], draw(_INLINE)))
    return text, draw(st.permutations(edits))


@settings(max_examples=300, deadline=None)
@given(_doc_and_edits())
def test_edits_touch_only_their_spans(case: tuple[str, list[Edit]]) -> None:
    text, edits = case
    out = apply_edits(Document.from_text(text, "a.md"), edits)
    removed = sum(e.span.end - e.span.start for e in edits)
    assert len(out) == len(text) - removed + sum(len(e.new) for e in edits)
    cursor_in = cursor_out = 0
    for edit in sorted(edits, key=lambda e: e.span.start):
        kept = text[cursor_in : edit.span.start]
        assert out[cursor_out : cursor_out + len(kept)] == kept
        cursor_out += len(kept)
        assert out[cursor_out : cursor_out + len(edit.new)] == edit.new
        cursor_out += len(edit.new)
        cursor_in = edit.span.end
    assert out[cursor_out:] == text[cursor_in:]


# For the oracle comparison, words never glue a bracket onto a bare URL:
# there linkify-it stops before an unbalanced "]" or ")" inside the URL
# (``(https://x.org/a)]`` → ``https://x.org/a``) while GFM only trims trailing
# punctuation and unbalanced ")" at the very end, so the oracle is not GFM.
_PLAIN_WORD = st.sampled_from(["Title", "GPU", "é", "a_b", "*em*", "`code`", "&amp;", "<b>", "#"])
_ORACLE_INLINE = st.one_of(
    _PLAIN_WORD,
    _URL,
    st.builds(lambda t, u: f"[{t}]({u})", _PLAIN_WORD, _URL),
    st.builds(lambda t, u: f"\\[[{t}]({u})]", _PLAIN_WORD, _URL),
    st.builds(lambda t, u: f"[[{t}]]({u})", _PLAIN_WORD, _URL),
    st.builds(lambda u: f"([SOSP 2023]({u}))", _URL),
    st.sampled_from(["(arXiv 2312.07104)", "(OSDI 2022)", "<https://a.org>"]),
    st.builds(lambda u: f'<a href="{u}">x</a>', _URL),
)
_ORACLE_LINE = st.one_of(
    st.lists(_ORACLE_INLINE, min_size=1, max_size=6).map(" ".join),
    st.builds(
        lambda m, t: f"{m} {t}",
        st.sampled_from(["*", "  -", "1."]),
        st.lists(_ORACLE_INLINE, min_size=1, max_size=6).map(" ".join),
    ),
    st.sampled_from(
        [
            "",
            "```",
            "    code https://c.org",
            "> quoted https://q.org",
            "| a | [b](https://b.org) |",
            "|---|---|",
            '{% hint style="info" %}',
        ]
    ),
)
_ORACLE_DOC = st.builds(
    lambda bom, lines, eol: ("\ufeff" if bom else "") + "".join(line + eol for line in lines),
    st.booleans(),
    st.lists(_ORACLE_LINE, max_size=10),
    st.sampled_from(["\n", "\r\n", "  \n"]),
)


@settings(max_examples=300, deadline=None)
@given(_ORACLE_DOC)
def test_generated_web_links_match_reference(text: str) -> None:
    from collections import Counter

    from md_reference import reference_web_links

    doc = Document.from_text(text, "paper-list/x/list.md")
    ours = Counter((link.line, link.resolved) for link in extract_links(doc) if link.is_web)
    assert ours == Counter(reference_web_links(text))


def test_heading_with_closing_sequence_keeps_its_links() -> None:
    """`# title #`: the closing hashes are not heading text, the link is still found."""
    found = extract_links(Document.from_text("# https://x.org/a #\n## [x](https://y.org) ##\n"
                                             "para https://q.org #\n", "a.md"))
    assert [(link.url, link.line, link.column) for link in found] == [
        ("https://x.org/a", 1, 3), ("https://y.org", 2, 8), ("https://q.org", 3, 6)]
