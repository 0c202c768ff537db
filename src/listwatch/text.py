"""Making outside text safe: for a terminal, for Markdown, for one line."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
# Enough to keep outside text literal inside a line: brackets (so no link can start),
# emphasis and code markers, HTML angle brackets, table pipes, strikethrough.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def terminal_safe(text: str) -> str:
    """Drop control characters (ANSI escapes, bidi overrides) but keep newlines and tabs."""
    return _CONTROL.sub("", text.replace("\x1b", ""))


def one_line(text: str, limit: int = 300) -> str:
    """Collapse whitespace, drop control characters, cut to ``limit`` characters."""
    flat = " ".join(terminal_safe(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def markdown_escape(text: str) -> str:
    """Escape outside text so it renders literally in Markdown (PR bodies, reports)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text, limit=1000))


def markdown_code(text: str) -> str:
    """Show text as inline code, choosing a fence longer than any backtick run inside."""
    flat = one_line(text, limit=1000)
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat else ""
    return f"{fence}{pad}{flat}{pad}{fence}"
