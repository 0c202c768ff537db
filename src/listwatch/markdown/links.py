"""Every link destination in a document, with exact spans."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping

from listwatch.markdown.blocks import Blocks, InlineRun, normalize_label, parse_blocks
from listwatch.markdown.document import Document
from listwatch.markdown.resolve import decode_entities, resolve, unescape
from listwatch.markdown.scanner import Found, html_link_attrs, scan_inline
from listwatch.model import Link, Span

_DEF_HEAD = re.compile(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*\[")
_SPACES = re.compile(r"\s+")


# Plain texts up to this long are shared (labels such as ``Paper`` or ``Code`` recur on
# every entry of a list: one string each, not one per link).
SHARED_TEXT_MAX = 40


def plain_text(markdown: str) -> str:
    """Readable text of an inline snippet: escapes undone, markup and spacing trimmed."""
    text = _SPACES.sub(" ", unescape(markdown)).strip()
    text = text.strip("*_~`").strip()
    return sys.intern(text) if len(text) <= SHARED_TEXT_MAX else text


def _reference_lookup(blocks: Blocks) -> Callable[[str], str | None] | None:
    if not blocks.definitions:
        return None

    def lookup(label: str) -> str | None:
        key = normalize_label(label)
        return key if key and key in blocks.definitions else None

    return lookup


def run_links(
    doc: Document, run: InlineRun, blocks: Blocks, known: Mapping[int, Link] | None = None
) -> list[tuple[Found, Link | None]]:
    """The constructs of one inline run, each with its Link (None for reference usages).

    ``known`` (links by span start, from ``extract_links``) are reused rather than
    made again, so that links and entries share one ``Link`` per destination.
    """
    out: list[tuple[Found, Link | None]] = []
    for item in scan_inline(run.content, _reference_lookup(blocks)):
        if item.dest is None:
            out.append((item, None))
            continue
        start = run.to_source(item.dest[0])
        end = run.to_source(item.dest[1])
        if start is None or end is None or start == end:
            continue
        same = known.get(start) if known is not None else None
        if same is not None and same.span.end == end and same.kind == item.kind:
            out.append((item, same))
            continue
        written = run.content[item.dest[0] : item.dest[1]]
        if item.kind in ("inline", "image"):
            meaning = unescape(written)
        elif item.kind == "html":
            meaning = decode_entities(written)
        elif item.kind == "bare" and written[:4].lower() == "www.":
            meaning = "http://" + written  # as GFM links it
        else:
            meaning = written
        if item.kind in ("bare", "autolink"):
            label = written
        elif item.text is not None:
            label = plain_text(run.content[item.text[0] : item.text[1]])
        else:
            label = ""
        out.append((item, _link(doc, start, end, meaning, label, item.kind)))
    return out


def _link(doc: Document, start: int, end: int, meaning: str, label: str, kind: str) -> Link:
    line, column = doc.position(start)
    written = doc.text[start:end]
    resolved = resolve(meaning, doc.base_dir)
    return Link(
        file=doc.path,
        line=line,
        column=column,
        span=Span(start, end),
        url=written,
        resolved=written if resolved == written else resolved,  # one string, not two
        label=label,
        kind=kind,
    )


def _html_block_links(doc: Document, first: int, last: int) -> list[Link]:
    start = doc.line_start(first + 1)
    end = doc.line_start(last + 1) if last < doc.line_count else len(doc.text)
    return [
        _link(doc, a, b, decode_entities(doc.text[a:b]), "", "html")
        for a, b in html_link_attrs(doc.text, start, end)
        if a < b
    ]


def _definition_links(doc: Document, blocks: Blocks) -> list[Link]:
    from listwatch.markdown.scanner import parse_definition

    links = []
    for definition in blocks.definitions.values():
        if definition.line >= doc.line_count:
            continue
        start = doc.line_start(definition.line + 1)
        if start == 0 and doc.text.startswith("\ufeff"):
            start = 1  # a byte-order mark is not text
        head = _DEF_HEAD.match(doc.text, start)
        if head is None:
            continue
        parsed = parse_definition(doc.text, head.end() - 1)
        if parsed is None:
            continue
        label_range, dest = parsed
        if normalize_label(doc.text[label_range[0] : label_range[1]]) != definition.label:
            continue
        a, b = dest
        if a < b:
            label = plain_text(doc.text[label_range[0] : label_range[1]])
            links.append(_link(doc, a, b, unescape(doc.text[a:b]), label, "definition"))
    return links


def extract_links(doc: Document, blocks: Blocks | None = None) -> tuple[Link, ...]:
    """All link destinations of ``doc`` in source order (see ``Link.kind``)."""
    blocks = blocks or parse_blocks(doc)
    links: list[Link] = []
    for run in blocks.runs:
        links.extend(link for _, link in run_links(doc, run, blocks) if link is not None)
    for first, last in blocks.html_lines:
        links.extend(_html_block_links(doc, first, last))
    links.extend(_definition_links(doc, blocks))
    links.sort(key=lambda link: link.span.start)
    return tuple(links)
