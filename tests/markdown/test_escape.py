"""Outside text made literal Markdown: in reports and PR bodies, and in the list itself."""

from __future__ import annotations

import re

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


# -- hostile outside text (issue 12): mentions, entities, HTML, tables, terminals, secrets


def test_inline_text_pings_nobody_and_stays_readable() -> None:
    from listwatch.markdown.escape import ZWJ, no_mentions

    escaped = escape_inline("thanks @octocat and @github/security, mail a@b.org, @ alone")
    assert escaped == (f"thanks @{ZWJ}octocat and @{ZWJ}github/security, mail a@{ZWJ}b.org, "
                       "@ alone")
    # GitHub's mention pattern: "@" then a letter or digit, after a non-word character.
    assert not re.search(r"(?:^|\W)@[a-z0-9]", escaped, re.I)
    assert no_mentions("@x") == f"@{ZWJ}x" and escape_inline("@x").replace(ZWJ, "") == "@x"


def test_inline_text_makes_no_html_entities_tables_or_terminal_codes() -> None:
    escaped = escape_inline("<img src=x onerror=alert(1)> &#64;team | cell |\x1b[2J\u202e")
    assert escaped == r"\<img src=x onerror=alert(1)\> \&#64;team \| cell \|\[2J"
    assert escape_list_text("Tom & Jerry") == "Tom & Jerry"  # the list keeps its style


def test_code_spans_and_inline_text_show_urls_redacted() -> None:
    url = "https://u:pw@h.example/p?token=t0k"
    assert code_span(url) == "`https://u:REDACTED@h.example/p?token=REDACTED`"
    assert "t0k" not in escape_inline(f"see {url}")


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://doi.org/10.1145/3600006.3613165", "https://doi.org/10.1145/3600006.3613165"),
        ("https://h.example/a?key=k", "https://h.example/a?key=REDACTED"),
        ("https://h.example/a) [click](https://evil.example", None),
        ("https://h.example/a \"title\"", None),
        ("javascript:alert(1)", None),
    ],
)
def test_link_targets_cannot_break_out(url: str, target: str | None) -> None:
    from listwatch.markdown.escape import link_target

    assert link_target(url) == target
