"""Making outside text safe: for a terminal, for one line (Markdown: ``markdown.escape``)."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """Drop control characters (ANSI escapes, bidi overrides) but keep newlines and tabs."""
    return _CONTROL.sub("", text.replace("\x1b", ""))


def one_line(text: str, limit: int = 300) -> str:
    """Collapse whitespace, drop control characters, cut to ``limit`` characters."""
    flat = " ".join(terminal_safe(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

