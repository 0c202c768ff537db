"""Outside text is data: safe for a terminal, literal in Markdown."""

from __future__ import annotations

from listwatch.text import markdown_code, markdown_escape, one_line, terminal_safe


def test_terminal_safe_drops_escapes_and_bidi_overrides() -> None:
    assert terminal_safe("ok\x1b[31mred\x1b[0m\u202eevil\n") == "ok[31mred[0mevil\n"


def test_one_line_collapses_and_cuts() -> None:
    assert one_line("a\n  b\tc") == "a b c"
    assert one_line("x" * 10, limit=5) == "xxxx…"


def test_markdown_escape_keeps_text_literal() -> None:
    escaped = markdown_escape("see [this](https://evil.example) <img src=x> a|b *c* `d`")
    assert escaped == ("see \\[this\\](https://evil.example) \\<img src=x\\> a\\|b \\*c\\* "
                       "\\`d\\`")


def test_markdown_code_fences_around_backticks() -> None:
    assert markdown_code("a`b") == "``a`b``"
    assert markdown_code("`x") == "`` `x ``"
    assert markdown_code("plain") == "`plain`"
