"""Hostile lists (issue 12, item 2): no link vanishes, and what cannot be read as
Markdown is named by file and line."""

from __future__ import annotations

from typing import Any

import pytest

from listwatch.markdown import Document, read_list


def nested(depth: int) -> str:
    lines = [f"{'  ' * level}- item {level} [d{level}](https://x.org/d{level})"
             for level in range(depth)]
    return "# L\n\n" + "\n".join(lines) + "\n\n- after [a](https://x.org/after)\n"


def test_a_list_nested_ten_deep_hides_nothing() -> None:
    reading = read_list(Document.from_text(nested(12), "docs/list.md"))
    assert [link.url for link in reading.links] == [
        *(f"https://x.org/d{level}" for level in range(12)), "https://x.org/after"]
    assert [entry.title for entry in reading.entries][-1] == "after"
    assert reading.problems == ()


def test_nesting_past_what_can_be_read_is_named_and_its_links_still_found() -> None:
    text = nested(80) + "\n" + ">" * 300 + " [q](https://x.org/q) <https://x.org/q2>\n\ntail\n"
    doc = Document.from_text(text, "docs/list.md")
    reading = read_list(doc)
    urls = [link.url for link in reading.links]
    assert urls == [*(f"https://x.org/d{level}" for level in range(80)),
                    "https://x.org/after", "https://x.org/q", "https://x.org/q2"]
    for link in reading.links:
        assert doc.text[link.span.start : link.span.end] == link.url
        assert doc.line_text(link.line)[link.column - 1 :].startswith(link.url)
    first_cut = next(link.line for link in reading.links if link.url.endswith("/d49"))
    assert reading.problems == (
        f"docs/list.md:{first_cut}: lists or quotes nested too deep to read as Markdown; "
        "their links are read line by line",
    )


def test_a_quote_nested_too_deep_is_read_line_by_line_and_the_rest_as_markdown() -> None:
    text = "x\n\n" + ">" * 300 + " [q](https://x.org/q)\n\n- tail [t](https://x.org/t)\n"
    reading = read_list(Document.from_text(text, "q.md"))
    assert [(link.line, link.url) for link in reading.links] == [
        (3, "https://x.org/q"), (5, "https://x.org/t")]
    assert [entry.title for entry in reading.entries] == ["tail"]
    assert reading.problems == ("q.md:3: lists or quotes nested too deep to read as "
                                "Markdown; their links are read line by line",)


def test_unquoted_attribute_values_run_to_whitespace_as_in_a_browser() -> None:
    text = (
        '<p align="center">\n'
        "<img src=https://img.shields.io/pypi/dm/x?color=ccf&label=downloads alt=d>\n"
        "<a href=https://x.org/q?a=b&c=d title='x href=https://no.org'>q</a>"
        '<img/src=https://x.org/slash.png>\n'
        "</p>\n"
    )
    reading = read_list(Document.from_text(text))
    assert [link.url for link in reading.links] == [
        "https://img.shields.io/pypi/dm/x?color=ccf&label=downloads",
        "https://x.org/q?a=b&c=d",
        "https://x.org/slash.png",
    ]


def test_a_definition_on_the_first_line_after_a_byte_order_mark_is_found() -> None:
    # Found by the fuzz test (test_md_fuzz.py).
    reading = read_list(Document.from_text("\ufeff[r1]: https://x.org/a\n"))
    assert [(link.line, link.column, link.url) for link in reading.links] == [
        (1, 7, "https://x.org/a")]


def test_a_tag_commonmark_leaves_as_text_still_has_its_link_checked() -> None:
    # `=` in an unquoted value: not HTML to CommonMark, but a link to a reader (and a
    # browser); found by the fuzz test against linkify.
    text = "x <a href=https://img.shields.io/b?color=ccf&label=d>[y](https://y.org)</a>\n"
    reading = read_list(Document.from_text(text))
    assert [(link.kind, link.url) for link in reading.links] == [
        ("html", "https://img.shields.io/b?color=ccf&label=d"), ("inline", "https://y.org")]


def test_text_that_cannot_be_placed_in_the_source_keeps_its_links(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No input is known to defeat the alignment; if one does, its links are still read.
    from listwatch.markdown import blocks

    real = blocks._align

    def refuse_line_two(content: str, source: str, cursor: int, in_cell: bool) -> Any:
        return None if "second" in source else real(content, source, cursor, in_cell)

    monkeypatch.setattr(blocks, "_align", refuse_line_two)
    text = "# L\n\n- first [a](https://x.org/a)\n- second [b](https://x.org/b) <c@d.org>\n"
    reading = read_list(Document.from_text(text, "l.md"))
    assert [(link.line, link.url) for link in reading.links] == [
        (3, "https://x.org/a"), (4, "https://x.org/b")]
    assert reading.problems == ("l.md:4: text the Markdown parser changed could not be "
                                "placed in the source; its links are read line by line",)
