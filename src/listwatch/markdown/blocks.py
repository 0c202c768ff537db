"""Block structure from markdown-it-py, tied back to exact source offsets.

markdown-it gives line ranges (``Token.map``) and the inline text of each
paragraph, heading and table cell with container prefixes removed. Each such
run is aligned with the source line by line, so any offset in the run maps to
an offset in the document text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference

from listwatch.markdown.document import Document

Segment = tuple[int, int, int]  # (run start, run end, source start)
# The optional closing sequence of an ATX heading (`# Title #`), not part of its text.
_ATX_CLOSING = re.compile(r"[ \t]+#+$")


@dataclass(frozen=True)
class InlineRun:
    """One inline text as CommonMark sees it, with its place in the source."""

    content: str
    segments: tuple[Segment, ...]
    first_line: int  # 0-based line of the block
    _starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(seg[0] for seg in self.segments))

    def to_source(self, offset: int) -> int | None:
        """Source offset of run offset ``offset`` (None if it is not in the source)."""
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0:
            return None
        start, end, source = self.segments[index]
        if offset > end:
            return None
        return source + offset - start


@dataclass(frozen=True)
class ListItem:
    """A list item: its lines, first paragraph, and nesting."""

    index: int
    start_line: int  # 0-based, inclusive
    end_line: int  # 0-based, exclusive
    markup: str
    run: InlineRun | None  # the first paragraph, when the item starts with one
    parent: int | None  # index of the enclosing list item


@dataclass(frozen=True)
class Definition:
    """A link reference definition found by markdown-it."""

    label: str  # normalised
    href: str
    line: int  # 0-based


@dataclass(frozen=True)
class Blocks:
    """``problems`` are places the block structure could not be read (``file:line:
    what``); their links are still found, line by line."""

    runs: tuple[InlineRun, ...]
    html_lines: tuple[tuple[int, int], ...]  # 0-based [start, end) of HTML blocks
    items: tuple[ListItem, ...]
    definitions: dict[str, Definition]
    problems: tuple[str, ...] = ()


# markdown-it stops reading, silently, at this depth of open blocks (a list item
# costs two: the list and the item). Its CommonMark preset allows 20, which ten
# nested lists reach; real lists stay far below 100.
MAX_NESTING = 100
# The container marks at the start of a line: quote markers, list markers, indentation.
_CONTAINER_PREFIX = re.compile(r"(?:[ \t>]|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))*")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    return md.enable(["table", "strikethrough"]).disable("inline")


def _lines(doc: Document) -> list[tuple[int, str]]:
    """(offset, text without line ending) for each line; NUL reads as U+FFFD."""
    text = doc.text.replace("\0", "\ufffd")
    out = []
    for number in range(1, doc.line_count + 1):
        start = doc.line_start(number)
        end = doc.line_start(number + 1) if number < doc.line_count else len(text)
        out.append((start, text[start:end].rstrip("\r\n")))
    return out


def _align(
    content_line: str, source_line: str, cursor: int, in_cell: bool
) -> tuple[list[tuple[int, int, int]], int] | None:
    """Segments (line offset, length, source column) placing ``content_line`` in the source."""
    if not content_line:
        return [], cursor
    if in_cell:
        return _align_cell(content_line, source_line, cursor)
    body = content_line.rstrip()
    line = source_line.rstrip()
    for stripped in dict.fromkeys((line, _ATX_CLOSING.sub("", line))):
        col = stripped.rfind(body)
        if col >= 0 and col + len(body) == len(stripped):
            return [(0, len(body), col)], col + len(body)
        lead = len(body) - len(body.lstrip())
        if lead:
            col = stripped.rfind(body[lead:])
            if col >= 0 and col + len(body) - lead == len(stripped):
                return [(lead, len(body) - lead, col)], len(stripped)
    return None


def _align_cell(
    content: str, source: str, cursor: int
) -> tuple[list[tuple[int, int, int]], int] | None:
    """Place a table cell's text, allowing ``\\|`` in the source for ``|``."""
    pieces = content.split("|")
    segments = []
    offset = 0
    col = source.find(pieces[0], cursor) if pieces[0] else -1
    if col < 0:
        if pieces[0]:
            return None
        col = source.find("\\|" if len(pieces) > 1 else "", cursor)
        if col < 0:
            return None
    for number, piece in enumerate(pieces):
        if number:
            if source.startswith("\\|", col):
                col += 1
            if not source.startswith("|", col):
                return None
            segments.append((offset, 1, col))
            offset += 1
            col += 1
        if not source.startswith(piece, col):
            return None
        segments.append((offset, len(piece), col))
        offset += len(piece)
        col += len(piece)
    return segments, col


@dataclass
class _PendingItem:
    """A list item while its tokens are read (``first``: the token of its first block)."""

    index: int
    start: int
    end: int
    markup: str
    parent: int | None
    first: int
    run: InlineRun | None = None


def parse_blocks(doc: Document) -> Blocks:
    """Inline runs, HTML block lines, list items and definitions of ``doc``."""
    env: dict[str, Any] = {}
    text = doc.text[1:] if doc.text.startswith("\ufeff") else doc.text
    tokens = _parser().parse(text, env)
    lines = _lines(doc)
    cursors: dict[int, int] = {}
    runs: list[InlineRun] = []
    html: list[tuple[int, int]] = []
    items: list[ListItem] = []
    stack: list[int] = []
    pending: list[_PendingItem] = []
    cell_depth = 0
    cuts = _nesting_cuts(tokens)
    unplaced: list[tuple[int, int]] = []
    for position, token in enumerate(tokens):
        kind = token.type
        if kind in ("th_open", "td_open"):
            cell_depth += 1
        elif kind in ("th_close", "td_close"):
            cell_depth -= 1
        elif kind == "html_block" and token.map:
            html.append((token.map[0], token.map[1]))
        elif kind == "list_item_open" and token.map:
            info = _PendingItem(index=len(pending), start=token.map[0], end=token.map[1],
                                markup=(token.info or "") + token.markup,
                                parent=stack[-1] if stack else None, first=position + 1)
            pending.append(info)
            stack.append(info.index)
        elif kind == "list_item_close":
            stack.pop()
        elif kind == "inline" and token.map:
            run = _make_run(token.content, token.map, lines, cursors, cell_depth > 0)
            if run is None:
                unplaced.append((token.map[0], token.map[1]))
                continue
            runs.append(run)
            if stack:
                owner = pending[stack[-1]]
                if owner.first == position - 1 and tokens[position - 1].type == (
                    "paragraph_open"
                ):
                    owner.run = run
    for info in pending:
        items.append(
            ListItem(
                index=info.index,
                start_line=info.start,
                end_line=info.end,
                markup=info.markup,
                run=info.run,
                parent=info.parent,
            )
        )
    definitions = {
        label: Definition(label, ref.get("href", ""), (ref.get("map") or [0])[0])
        for label, ref in env.get("references", {}).items()
    }
    problems = []
    for first, end in cuts:
        runs.extend(_line_runs(lines, first, end))
        problems.append(f"{doc.path}:{first + 1}: lists or quotes nested too deep to read "
                        "as Markdown; their links are read line by line")
    for first, end in dict.fromkeys(unplaced):
        runs.extend(_line_runs(lines, first, end))
        problems.append(f"{doc.path}:{first + 1}: text the Markdown parser changed could not "
                        "be placed in the source; its links are read line by line")
    runs.sort(key=lambda run: run.first_line)
    return Blocks(tuple(runs), tuple(html), tuple(items), definitions, tuple(problems))


def _nesting_cuts(tokens: list[Any]) -> list[tuple[int, int]]:
    """The 0-based line ranges markdown-it skipped because blocks nest too deep.

    A block that reaches the limit opens at level ``MAX_NESTING - 1``; markdown-it
    reads nothing inside it, to the end of its line range.
    """
    return [(int(token.map[0]), int(token.map[1])) for token in tokens
            if token.nesting == 1 and token.level >= MAX_NESTING - 1 and token.map]


def _line_runs(lines: list[tuple[int, str]], first: int, end: int) -> list[InlineRun]:
    """Each line of ``[first, end)`` as an inline run of its own, container marks
    skipped: a link that spans lines is cut there, but no link on a line is lost."""
    runs = []
    for number in range(first, min(end, len(lines))):
        start, text = lines[number]
        column = _CONTAINER_PREFIX.match(text).end()  # type: ignore[union-attr]
        body = text[column:].rstrip()
        if body:
            runs.append(InlineRun(body, ((0, len(body), start + column),), number))
    return runs


def _make_run(
    content: str,
    span: list[int],
    lines: list[tuple[int, str]],
    cursors: dict[int, int],
    in_cell: bool,
) -> InlineRun | None:
    segments: list[Segment] = []
    offset = 0
    for number, part in enumerate(content.split("\n")):
        line_index = span[0] + number
        if line_index >= len(lines) or line_index >= span[1]:
            return None
        line_start, line_text = lines[line_index]
        placed = _align(part, line_text, cursors.get(line_index, 0), in_cell)
        if placed is None:
            return None
        pieces, cursor = placed
        if in_cell:
            cursors[line_index] = cursor
        for piece_offset, length, column in pieces:
            start = offset + piece_offset
            segments.append((start, start + length, line_start + column))
        offset += len(part) + 1
    return InlineRun(content, tuple(segments), span[0])


def normalize_label(label: str) -> str:
    """The key markdown-it uses for a reference label."""
    return normalizeReference(label)
