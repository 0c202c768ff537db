"""Outside text is data: safe for a terminal, on one line."""

from __future__ import annotations

from listwatch.text import one_line, terminal_safe


def test_terminal_safe_drops_escapes_and_bidi_overrides() -> None:
    assert terminal_safe("ok\x1b[31mred\x1b[0m\u202eevil\n") == "ok[31mred[0mevil\n"


def test_one_line_collapses_and_cuts() -> None:
    assert one_line("a\n  b\tc") == "a b c"
    assert one_line("x" * 10, limit=5) == "xxxx…"

