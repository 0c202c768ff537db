"""Fuzzing the parser and the edit applier with hostile lists (issue 12).

Three promises, over generated documents: reading never crashes and every span
points at its source; an edit changes its own span and no other byte; no link
that a GFM renderer finds (the markdown-it-py + linkify reference in
``md_reference``) is missing from ``read_list``.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from md_reference import reference_web_links

from listwatch.markdown import Document, apply_edits, read_list
from listwatch.model import Edit, Span

_URL = st.sampled_from([
    "https://x.org/a", "https://img.shields.io/b?color=ccf&label=d", "http://h.org/p?q=1&r=2",
    "https://arxiv.org/abs/2312.07104v2", "../notes/a.md", r"https://m.org/p\_x",
    "https://github.com/o/n", "www.y.org/p", "https://e.org/a(b)c",
])
_WORD = st.sampled_from([
    "Title", "é", "a_b", "*em*", "`code`", "``", "\\[", "[", "]", "(", ")", "![", "&amp;",
    "<b>", "</b>", "<!--", "-->", "|", "#", "\t", "\\", "<", ">", '"', "'", "=", "\u00a0",
    "\ufffd", "\x00", "\x0b", "\u2028",
])
_CONSTRUCT = st.one_of(
    st.builds(lambda t, u: f"[{t}]({u})", _WORD, _URL),
    st.builds(lambda t, u: f"![{t}]({u})", _WORD, _URL),
    st.builds(lambda t, u: f"\\[[{t}]({u})]", _WORD, _URL),
    st.builds(lambda t, u: f"[[{t}]]({u})", _WORD, _URL),
    st.builds(lambda u, v: f"[![b]({u})]({v})", _URL, _URL),
    st.builds(lambda u: f"<{u}>", _URL),
    st.builds(lambda t, u: f'[{t}]({u} "title")', _WORD, _URL),
    st.builds(lambda u: f"<a href={u}>x</a>", _URL),
    st.builds(lambda u: f"<img src='{u}' alt=x>", _URL),
    st.builds(lambda t: f"[{t}][r1]", _WORD),
)
_INLINE = st.lists(st.one_of(_WORD, _URL, _CONSTRUCT), min_size=1, max_size=8).map(" ".join)
_PREFIX = st.builds(
    lambda quotes, depth, marker: ">" * quotes + "  " * depth + marker,
    st.integers(0, 3), st.integers(0, 70), st.sampled_from(["", "- ", "* ", "1. ", "+ "]),
)
_LINE = st.one_of(
    st.builds(lambda prefix, text: prefix + text, _PREFIX, _INLINE),
    st.builds(lambda u, v: f"<p><img src={u} alt=d> <a href={v}>q</a></p>", _URL, _URL),
    st.builds(lambda u: f"[r1]: {u}", _URL),
    st.sampled_from(["", "```", "~~~", "    indented [c](https://c.org)", "<div>", "</div>",
                     "| a | [b](https://b.org) |", "|---|---|", "# H #", "***", "<!-- x",
                     "-->", ">" * 120 + " deep https://deep.org/q"]),
)
# Nesting as deep as GitHub renders, and deeper (markdown-it gives up at 100 levels).
_LADDER = st.builds(
    lambda depth, quote, text: "\n".join(quote + "  " * level + "- " + text
                                         for level in range(depth)),
    st.integers(1, 70), st.sampled_from(["", "> "]), _INLINE,
)
_EOL = st.sampled_from(["\n", "\r\n", "\r", "  \n"])
_DOC = st.builds(
    lambda bom, lines, eol: ("\ufeff" if bom else "") + "".join(line + eol for line in lines),
    st.booleans(), st.lists(st.one_of(_LINE, _LADDER), max_size=25), _EOL,
)
_SETTINGS = settings(max_examples=200, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])


def _check_spans(doc: Document) -> None:
    reading = read_list(doc)
    for link in reading.links:
        assert doc.text[link.span.start : link.span.end] == link.url
        assert doc.position(link.span.start) == (link.line, link.column)
    for entry in reading.entries:
        assert entry.title_span.start <= entry.title_span.end <= len(doc.text)
    for problem in reading.problems:
        assert problem.startswith(f"{doc.path}:")


@_SETTINGS
@given(st.text(max_size=400))
def test_any_text_reads_without_a_crash(text: str) -> None:
    doc = Document.from_text(text, "docs/any.md")
    assert apply_edits(doc, []) == text
    _check_spans(doc)


@_SETTINGS
@given(_DOC)
def test_hostile_lists_read_without_a_crash(text: str) -> None:
    doc = Document.from_text(text, "docs/list.md")
    assert apply_edits(doc, []) == text
    _check_spans(doc)


@st.composite
def _doc_and_link_edits(draw: st.DrawFn) -> tuple[Document, list[Edit]]:
    doc = Document.from_text(draw(_DOC), "docs/list.md")
    reading = read_list(doc)
    spans = sorted({link.span for link in reading.links if link.kind != "definition"}
                   | {entry.title_span for entry in reading.entries}
                   | {entry.venue_span for entry in reading.entries if entry.venue_span},
                   key=lambda span: (span.start, span.end))
    chosen: list[Span] = []
    for span in draw(st.lists(st.sampled_from(spans), max_size=6)) if spans else []:
        if all(span.end < other.start or other.end < span.start for other in chosen):
            chosen.append(span)
    new = st.sampled_from(["https://new.org/x", "", "(SOSP 2024)", "\\[[Paper](https://p.org)]"])
    return doc, [Edit(span, doc.text[span.start : span.end], draw(new)) for span in chosen]


@_SETTINGS
@given(_doc_and_link_edits())
def test_an_edit_at_a_parsed_span_changes_no_other_byte(case: tuple[Document, list[Edit]]
                                                         ) -> None:
    doc, edits = case
    out = apply_edits(doc, edits)
    cursor_in = cursor_out = 0
    for edit in sorted(edits, key=lambda e: e.span.start):
        kept = doc.text[cursor_in : edit.span.start]
        assert out[cursor_out : cursor_out + len(kept)] == kept
        cursor_out += len(kept)
        assert out[cursor_out : cursor_out + len(edit.new)] == edit.new
        cursor_out += len(edit.new)
        cursor_in = edit.span.end
    assert out[cursor_out:] == doc.text[cursor_in:]


@_SETTINGS
@given(_DOC)
def test_no_link_a_gfm_renderer_finds_is_lost(text: str) -> None:
    doc = Document.from_text(text, "docs/list.md")
    # Compared by URL: the reference dates a link by its inline token's first line,
    # which is not the link's when a code span spans lines before it.
    ours = Counter(link.resolved for link in read_list(doc).links if link.is_web)
    lost = Counter(url for _, url in reference_web_links(text)) - ours
    # linkify-it ends a bare URL before an unbalanced ")" or "]" that GFM keeps
    # (`(https://x.org/a)]` is `https://x.org/a)]` on GitHub): the same link, longer.
    for url in list(lost):
        longer = [found for found in ours
                  if found.startswith(url) and found != url and not found[len(url):].strip(")]")]
        if longer:
            lost[url] -= min(lost[url], sum(ours[found] for found in longer))
    assert +lost == Counter()


def test_text_inside_a_link_holding_an_autolink_is_no_link_of_its_own() -> None:
    # Found by the fuzz test above: markdown-it's linkify rescans such link text,
    # GitHub does not; the reference follows GitHub, and so do we.
    text = "[\\](https://x.org/a) <https://x.org/b> []](https://y.org/c)\n"
    ours = sorted(link.resolved for link in read_list(Document.from_text(text, "l.md")).links)
    assert sorted(url for _, url in reference_web_links(text)) == ours
    assert ours == ["https://x.org/b", "https://y.org/c"]
