"""extract_links: every kind of destination, exact spans, resolution."""

from __future__ import annotations

from listwatch.markdown import Document, extract_links
from listwatch.model import Link


def links(text: str, path: str = "paper-list/systems-for-ml/llm.md") -> list[Link]:
    doc = Document.from_text(text, path)
    found = list(extract_links(doc))
    for link in found:
        assert doc.text[link.span.start : link.span.end] == link.url
    return found


def test_inline_with_title_and_angle_brackets() -> None:
    found = links('[a](https://x.org/a "T") [b](<https://x.org/b c>)')
    assert [(f.url, f.kind, f.label) for f in found] == [
        ("https://x.org/a", "inline", "a"),
        ("https://x.org/b c", "inline", "b"),
    ]


def test_escapes_in_url_span_points_at_source() -> None:
    (link,) = links(r"* T \[[Paper](https://mlsys.org/paper\_files/x.html)]")
    assert link.url == r"https://mlsys.org/paper\_files/x.html"
    assert link.resolved == "https://mlsys.org/paper_files/x.html"
    assert (link.line, link.column) == (1, 15)


def test_entities_decoded_in_resolved() -> None:
    (link,) = links("[a](https://x.org/?a=1&amp;b=2&#x41;)")
    assert link.url == "https://x.org/?a=1&amp;b=2&#x41;"
    assert link.resolved == "https://x.org/?a=1&b=2A"


def test_relative_folder_link_means_readme() -> None:
    (link,) = links("([SOSP 2023](../../reading-notes/conference/sosp-2023/))")
    assert link.resolved == "reading-notes/conference/sosp-2023/README.md"
    (link,) = links("[n](../x.md#sec)")
    assert link.resolved == "paper-list/x.md#sec"


def test_images_autolinks_and_www() -> None:
    found = links("![alt](img.png) <https://a.org/x> see www.b.org/p.")
    assert [(f.kind, f.resolved) for f in found] == [
        ("image", "paper-list/systems-for-ml/img.png"),
        ("autolink", "https://a.org/x"),
        ("bare", "http://www.b.org/p"),
    ]


def test_bare_url_trailing_punctuation_and_parens() -> None:
    found = links("(see https://x.org/a_(b)), and https://y.org/q?. done")
    assert [f.url for f in found] == ["https://x.org/a_(b)", "https://y.org/q"]


def test_bare_url_needs_boundary_and_not_in_links() -> None:
    assert links("xhttps://x.org [https://y.org](https://z.org)")[0].url == "https://z.org"
    assert len(links("xhttps://x.org [https://y.org](https://z.org)")) == 1


def test_code_spans_and_fences_ignored() -> None:
    text = (
        "`[a](https://x.org)` https://y.org/\n\n```\n[b](https://z.org)\n```\n\n    https://w.org\n"
    )
    assert [f.url for f in links(text)] == ["https://y.org/"]


def test_html_inline_and_block() -> None:
    text = (
        'Text <a href="https://x.org/a?b=1&amp;c=2">x</a>\n\n'
        '<figure><img src="../../.gitbook/assets/p.png" alt=""></figure>\n'
        "<!-- <a href='https://hidden.org'> -->\n"
    )
    found = links(text)
    assert [(f.kind, f.resolved, f.line) for f in found] == [
        ("html", "https://x.org/a?b=1&c=2", 1),
        ("html", ".gitbook/assets/p.png", 3),
    ]


def test_reference_definitions_reported_once() -> None:
    text = (
        "Use [the paper][p] and [p].\n\n[p]: https://x.org/p\\_q 'T'\n[unused]: <https://u.org>\n"
    )
    found = links(text)
    assert [(f.kind, f.line, f.url, f.resolved, f.label) for f in found] == [
        ("definition", 3, "https://x.org/p\\_q", "https://x.org/p_q", "p"),
        ("definition", 4, "https://u.org", "https://u.org", "unused"),
    ]


def test_links_in_lists_quotes_and_tables() -> None:
    text = "> * [a](https://a.org)\n\n| h |\n|---|\n| [b](https://b.org) \\| x |\n"
    found = links(text)
    assert [(f.url, f.line, f.column) for f in found] == [
        ("https://a.org", 1, 9),
        ("https://b.org", 5, 7),
    ]


def test_crlf_and_bom_lines() -> None:
    found = links("\ufeff# T\r\n\r\n* [a](https://a.org)\r\n* b https://b.org\r\n")
    assert [(f.line, f.column, f.url) for f in found] == [
        (3, 7, "https://a.org"),
        (4, 5, "https://b.org"),
    ]


def test_multiline_paragraph_lines() -> None:
    found = links("one\ntwo [a](https://a.org)\n  three https://b.org\n")
    assert [(f.line, f.column) for f in found] == [(2, 9), (3, 9)]


def test_links_cannot_contain_links() -> None:
    found = links("[[Paper](https://p.org)] [[GitHub]](https://github.com/a/b)")
    assert [(f.url, f.label) for f in found] == [
        ("https://p.org", "Paper"),
        ("https://github.com/a/b", "[GitHub]"),
    ]
