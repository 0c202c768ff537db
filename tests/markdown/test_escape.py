"""Outside text made literal Markdown: in reports and PR bodies, and in the list itself."""

from __future__ import annotations

import pytest

from listwatch.markdown.escape import SPECIAL, code_span, escape_inline, escape_list_text


def test_inline_keeps_text_literal() -> None:
    escaped = escape_inline("see [this](https://evil.example) <img src=x> a|b *c* `d`")
    assert escaped == ("see \\[this\\](https://evil.example) \\<img src=x\\> a\\|b \\*c\\* "
                       "\\`d\\`")


def test_inline_escapes_every_special_character_on_one_cut_line() -> None:
    assert escape_inline(SPECIAL) == "".join("\\" + c for c in SPECIAL)
    assert escape_inline("snake_case ~x~\n\u202enext") == r"snake\_case \~x\~ next"
    assert len(escape_inline("x" * 2000)) == 1000


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("Plain Title: With Colon", "Plain Title: With Colon"),
        ("A *bold* [claim] <b>", r"A \*bold\* \[claim\] \<b\>"),
        ("snake_case and _lead", r"snake_case and \_lead"),
        ("Unbalanced ( paren", r"Unbalanced \( paren"),
        ("Balanced (paren) `code`", r"Balanced (paren) \`code\`"),
        ("two\nlines\x1b[31m", r"two lines \[31m"),
        ("a|b", "a|b"),
        # GitHub strikes ~text~ through, even inside a word: escaped (was left as is)
        ("Scaling to ~1000 GPUs with a~b~c", r"Scaling to \~1000 GPUs with a\~b\~c"),
    ],
)
def test_list_text(raw: str, escaped: str) -> None:
    assert escape_list_text(raw) == escaped


def test_code_span_fences_around_backticks() -> None:
    assert code_span("a`b") == "``a`b``"
    assert code_span("`x") == "`` `x ``"
    assert code_span("plain") == "`plain`"
