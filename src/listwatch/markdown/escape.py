"""Outside text made literal Markdown: one notion of what is special, two contexts.

``SPECIAL`` holds the characters inline Markdown can give meaning to: the
backslash itself, code backticks, emphasis ``*`` and ``_``, link brackets,
HTML angle brackets, table pipes and strikethrough tildes. Each context escapes
them with a backslash; they differ only in how much they may leave alone:

- ``escape_inline``: text the bot writes whole (reports, PR bodies, their table
  cells). Every special character is escaped, so the text is literal anywhere,
  inside a table cell too; it is one line of at most 1000 characters, control
  characters dropped (``text.one_line``).
- ``escape_list_text``: text written into the maintainer's list (a title, a
  venue), whose source people read and diff. Only what can act inside a list
  item is escaped: ``_`` only at word edges (an intraword ``_`` never
  emphasises, so ``snake_case`` stays as written), ``|`` not at all (a list
  item is no table cell), ``~`` always (GitHub strikes ``~text~`` through,
  even inside a word), and parentheses that do not balance, because the
  list's entry grammar pairs them to find venue tags and link destinations.
  Control characters become spaces and whitespace collapses to one line.

``code_span`` shows text as inline code instead; ``code_cell`` does so inside a
table cell, where GFM splits cells at a ``|`` even within code, so it is escaped.

Text the bot writes on GitHub must not notify anyone: ``escape_inline`` (and
``no_mentions``, for commit messages) puts a zero-width joiner after every ``@``
that starts a name, which GitHub's mention pattern (``@`` then a letter or digit)
then no longer matches; it still reads ``@name``. ``&`` is escaped too, so an
entity (``&#64;``) cannot turn into an ``@`` or a tag after rendering. Code spans
need neither: GitHub finds no mentions or entities in code. ``link_target`` admits
a URL as a Markdown link destination only when it cannot break out of one. Every
URL is shown redacted (``listwatch.redact``).
"""

from __future__ import annotations

import re

from listwatch.redact import redact_text
from listwatch.text import one_line

SPECIAL = "\\`*_[]<>|~&"
# Left alone in list text (see the module docstring): "_" is handled at word edges only;
# "&" in a list file renders as written and notifies nobody.
_LIST_LEAVES = "_|&"
_INLINE_RE = re.compile(f"([{re.escape(SPECIAL)}])")
_LIST_RE = re.compile(f"([{re.escape(''.join(c for c in SPECIAL if c not in _LIST_LEAVES))}])")
_EDGE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")
ZWJ = "\u200d"
# A link destination that cannot end early or start a title: no spaces, brackets,
# quotes, pipes or backticks.
_SAFE_TARGET = re.compile(r"https?://[^\s()<>\[\]|`\"'\\]+")
INLINE_LIMIT = 1000


def no_mentions(text: str) -> str:
    """``text`` with every ``@name`` made unable to notify (a zero-width joiner after ``@``)."""
    return _MENTION.sub("@" + ZWJ, text)


def escape_inline(text: str) -> str:
    """Outside text, literal anywhere in a report or PR body (one line, every special
    escaped, no mentions)."""
    return no_mentions(_INLINE_RE.sub(r"\\\1", one_line(redact_text(text),
                                                          limit=INLINE_LIMIT)))


def link_target(url: str) -> str | None:
    """``url`` (redacted) as a Markdown link destination, or None when it could break
    out of one (a person reads it as code instead)."""
    shown = redact_text(url)
    return shown if _SAFE_TARGET.fullmatch(shown) else None


def escape_list_text(text: str) -> str:
    """Outside text (a title, a venue) as literal inline Markdown on one line of the list."""
    flat = " ".join(_CONTROL.sub(" ", text).split())
    flat = _LIST_RE.sub(r"\\\1", flat)
    flat = _EDGE_UNDERSCORE.sub(r"\\_", flat)
    return _escape_unbalanced_parens(flat)


def _escape_unbalanced_parens(text: str) -> str:
    opened: list[int] = []
    unbalanced: set[int] = set()
    for index, char in enumerate(text):
        if index and text[index - 1] == "\\":
            continue
        if char == "(":
            opened.append(index)
        elif char == ")":
            if opened:
                opened.pop()
            else:
                unbalanced.add(index)
    unbalanced.update(opened)
    return "".join("\\" + c if i in unbalanced else c for i, c in enumerate(text))


def code_span(text: str) -> str:
    """Text as inline code, with a fence longer than any backtick run inside."""
    flat = one_line(redact_text(text), limit=INLINE_LIMIT)
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def code_cell(text: str) -> str:
    """Text as inline code inside a GFM table cell (its pipes escaped, as GFM requires)."""
    return code_span(text).replace("|", "\\|")
