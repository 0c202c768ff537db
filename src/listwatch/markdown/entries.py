"""List items read as paper entries: title, venue tag, labelled links, ids.

The grammar (first paragraph of a list item, after the marker)::

    entry    := title [venue] labelled*          | "[" title "](" url ")" labelled*
    venue    := "(" tag ")" | "(" "[" tag "](" url ")" ")" | "(" "*" tag "*" ")"
    tag      := "arXiv" [":"] id | words with a year (1900-2099) | Name YY
    labelled := "\\[" link ("," link)* "]"     GitBook: \\[[Paper](…)] \\[[Code](…), [Demo](…)]
              | "[[" label "]](" url ")"       awesome lists: [[GitHub]](…)
              | "[" label "](" url ")"         plain, once the title has ended

The title ends at the venue tag or the first labelled link; when there is no
bracketed label at all, a trailing run of plain links is taken as the labels.
Every list item with a non-empty title is an entry, except that a nested item
with neither a venue nor a link is only a detail (sub-bullet text) of its
parent. A nested item with links but no title (``- [[Paper]](…) [[GitHub]](…)``)
lends its links to its parent entry.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, replace

from listwatch.identifiers import arxiv_ref, github_repo
from listwatch.markdown.blocks import Blocks, InlineRun, ListItem, parse_blocks
from listwatch.markdown.document import Document
from listwatch.markdown.links import extract_links, plain_text, run_links
from listwatch.markdown.scanner import Found
from listwatch.model import Entry, LabelledLink, Link, Span

_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d{2}(?![\d.])")
_NAME_YY = re.compile(r"^[A-Z][\w&/.\-]*(?: [A-Z][\w&/.\-]*)* '?\d{2}$")


@dataclass(frozen=True)
class _Piece:
    """A labelled-link candidate inside a run (run offsets)."""

    start: int
    end: int
    label: str
    link: Link


def is_venue(tag: str) -> bool:
    """Whether the text of a parenthesised tag reads as a venue or preprint id."""
    if not tag or len(tag) > 100 or not tag[0].isalpha():
        return False
    if _NAME_YY.match(tag) or ((ref := arxiv_ref(tag)) is not None and ref.kind == "tag"):
        return True
    return tag[0].isupper() and _YEAR.search(tag) is not None


def arxiv_id_of(text: str) -> str | None:
    """The arXiv id in a tag (``arXiv: 2310.07177``) or an arxiv.org URL, without version
    (one shared string per id: the sources' facts and their keys use it too)."""
    ref = arxiv_ref(text)
    return sys.intern(ref.id) if ref is not None and ref.kind is not None else None


def repo_of(url: str) -> str | None:
    """``owner/name`` of a github.com repository URL, as written (one shared string per
    name: the GitHub facts asked for it use it too)."""
    link = github_repo(url)
    return sys.intern(link.full_name) if link else None


def _plain(content: str, start: int, end: int, founds: _Founds) -> str:
    """Plain text of ``content[start:end]`` with link constructs replaced by their text."""
    out: list[str] = []
    cursor = start
    for found in founds.within(start, end):
        a, b = found.whole
        if a < cursor or b > end or found.text is None:
            continue
        out.append(content[cursor:a])
        out.append(content[found.text[0] : found.text[1]])
        cursor = b
    out.append(content[cursor:end])
    return plain_text("".join(out))


class _Founds:
    """The constructs of a run in scanner order (by destination), indexed so that one
    stretch of the run is visited without walking all of them: reading every link of
    a long item stays linear."""

    def __init__(self, founds: list[Found]) -> None:
        self.items = sorted(founds, key=_key)
        self.keys = [_key(found) for found in self.items]

    def within(self, start: int, end: int) -> list[Found]:
        """Every construct that can lie inside ``[start, end)`` (a superset, in order)."""
        return self.items[bisect_left(self.keys, start) : bisect_left(self.keys, end)]


def _key(found: Found) -> int:
    return (found.dest or found.whole)[0]


def _back_over_blanks(content: str, i: int) -> int:
    """Where the spaces and tabs just before ``i`` begin."""
    while i > 0 and content[i - 1] in " \t":
        i -= 1
    return i


def _skip(content: str, i: int, chars: str = " \t\n") -> int:
    while i < len(content) and content[i] in chars:
        i += 1
    return i


class _ItemReader:
    """Reads one list item's first paragraph."""

    def __init__(self, doc: Document, run: InlineRun, blocks: Blocks, defs: dict[str, Link],
                 known: Mapping[int, Link] | None = None):
        self.doc = doc
        self.run = run
        self.content = run.content
        pairs = run_links(doc, run, blocks, known)
        self.founds = _Founds([found for found, _ in pairs])
        self.links: list[tuple[Found, Link]] = []
        for found, link in pairs:
            if link is None and found.ref is not None and found.ref in defs:
                link = defs[found.ref]
            if link is not None:
                self.links.append((found, link))

    def span(self, start: int, end: int) -> Span | None:
        a, b = self.run.to_source(start), self.run.to_source(end)
        return Span(a, b) if a is not None and b is not None and a <= b else None

    def pieces(self) -> tuple[list[_Piece], list[_Piece]]:
        """(bracketed label pieces, plain link pieces), each in order."""
        content = self.content
        bracketed: list[_Piece] = []
        plain: list[_Piece] = []
        group_links: set[int] = set()
        index = 0
        while index < len(self.links):
            found, link = self.links[index]
            if found.kind not in ("inline", "reference"):
                index += 1
                continue
            before = _back_over_blanks(content, found.whole[0])
            if before >= 2 and content.startswith("\\[", before - 2):
                members = [(found, link)]
                cursor = found.whole[1]
                nxt = index + 1
                while nxt < len(self.links):
                    after = _skip(content, cursor)
                    if after < len(content) and content[after] == ",":
                        after = _skip(content, after + 1)
                        candidate = self.links[nxt]
                        if candidate[0].whole[0] == after and candidate[0].kind in (
                            "inline",
                            "reference",
                        ):
                            members.append(candidate)
                            cursor = candidate[0].whole[1]
                            nxt += 1
                            continue
                    break
                close = _skip(content, cursor, " \t")
                if close < len(content) and content[close] == "]":
                    start = before - 2
                    for member, member_link in members:
                        a, b = (start, close + 1) if len(members) == 1 else member.whole
                        bracketed.append(_Piece(a, b, self._text(member), member_link))
                        group_links.add(id(member))
                    index = nxt
                    continue
            text = self._text(found)
            raw = content[found.text[0] : found.text[1]] if found.text else ""
            if raw.startswith("[") and raw.endswith("]") and len(raw) > 2:
                bracketed.append(
                    _Piece(found.whole[0], found.whole[1], plain_text(raw[1:-1]), link)
                )
            else:
                plain.append(_Piece(found.whole[0], found.whole[1], text, link))
            index += 1
        return bracketed, plain

    def _text(self, found: Found) -> str:
        if found.text is None:
            return ""
        return _plain(self.content, found.text[0], found.text[1], self.founds)

    def trailing_plain(self, plain: list[_Piece]) -> list[_Piece]:
        """The plain links that end the paragraph, separated only by spaces/commas/pipes."""
        tail: list[_Piece] = []
        end = len(self.content.rstrip())
        for piece in reversed(plain):
            gap = self.content[piece.end : end]
            if gap.strip(" \t\n,|·/-") != "":
                break
            tail.append(piece)
            end = piece.start
        return tail[::-1]

    def venue(self, start: int, end: int) -> tuple[int, str, Span | None, str | None] | None:
        """(tag start, tag text, span, link) of a venue tag ending the title region."""
        content = self.content
        close = len(content[:end].rstrip())
        if close <= start or content[close - 1] != ")":
            return None
        depth = 0
        open_at = -1
        for i in range(close - 1, start - 1, -1):
            if content[i] == ")" and (i == 0 or content[i - 1] != "\\"):
                depth += 1
            elif content[i] == "(" and (i == 0 or content[i - 1] != "\\"):
                depth -= 1
                if depth == 0:
                    open_at = i
                    break
        if open_at <= start:
            return None
        inner_start, inner_end = open_at + 1, close - 1
        link_target = None
        tag = None
        for found, link in self.links:
            if found.whole == (inner_start, inner_end) and found.kind == "inline":
                tag = self._text(found)
                link_target = link.resolved
        if tag is None:
            tag = _plain(content, inner_start, inner_end, self.founds)
        if not is_venue(tag):
            return None
        return open_at, tag, self.span(open_at, close), link_target


def _item_span(doc: Document, item: ListItem) -> Span:
    first = doc.line_start(item.start_line + 1)
    line = doc.line_text(item.start_line + 1)
    offset = len(line) - len(line.lstrip(" \t>"))
    if item.run is not None:
        content_at = item.run.to_source(0)
        if content_at is not None:
            marker = doc.text.rfind(item.markup, first, content_at)
            if marker >= 0:
                offset = marker - first
    last = item.end_line
    while last > item.start_line + 1 and not doc.line_text(last).strip(" \t>"):
        last -= 1
    end = doc.line_start(last) + len(doc.line_text(last))
    return Span(first + offset, max(end, first + offset))


@dataclass(frozen=True)
class _Read:
    entry: Entry | None  # None when the item has no title
    labelled: list[LabelledLink]
    links: list[Link]
    text: str  # the whole first paragraph as plain text


def _read_item(doc: Document, item: ListItem, blocks: Blocks, defs: dict[str, Link],
               known: Mapping[int, Link] | None = None) -> _Read:
    """What one list item's first paragraph says."""
    assert item.run is not None
    reader = _ItemReader(doc, item.run, blocks, defs, known)
    content = reader.content
    text = _plain(content, 0, len(content), reader.founds)
    all_links = [link for _, link in reader.links]
    bracketed, plain = reader.pieces()
    title_link: Link | None = None
    title_range: tuple[int, int] | None = None
    first_plain = plain[0] if plain else None
    if (
        first_plain is not None
        and first_plain.start == 0
        and not (bracketed and bracketed[0].start == 0)
    ):
        found = next(f for f, link in reader.links if link is first_plain.link)
        title_link = first_plain.link
        title_range = found.text
        plain = plain[1:]
        region_end = first_plain.end
    else:
        stops = [bracketed[0].start] if bracketed else []
        if not bracketed:
            tail = reader.trailing_plain(plain)
            if tail:
                stops.append(tail[0].start)
        region_end = min(stops) if stops else len(content)
    labelled_from = region_end
    venue = reader.venue(0 if title_link is None else region_end, region_end)
    if venue is not None and title_link is None:
        region_end = venue[0]
    if title_range is None:
        title_end = len(content[:region_end].rstrip())
        title_range = (0, title_end)
    title = _plain(content, title_range[0], title_range[1], reader.founds)
    if title_link is not None and title == title_link.label:
        title = title_link.label  # one string for the title and its link's label
    labelled = [
        LabelledLink(piece.label, piece.link, span)
        for piece in sorted(bracketed + plain, key=lambda piece: piece.start)
        if piece.start >= labelled_from
        and (span := reader.span(piece.start, piece.end)) is not None
    ]
    title_span = reader.span(*title_range)
    if not title or title_span is None:
        return _Read(None, labelled, all_links, text)
    venue_text = venue[1] if venue else None
    arxiv = arxiv_id_of(venue_text) if venue_text else None
    for link in all_links:
        arxiv = arxiv or arxiv_id_of(link.resolved)
    repos = tuple(dict.fromkeys(r for link in all_links if (r := repo_of(link.resolved))))
    entry = Entry(
        file=doc.path,
        line=item.start_line + 1,
        span=_item_span(doc, item),
        title=title,
        title_span=title_span,
        venue=venue_text,
        venue_span=venue[2] if venue else None,
        venue_link=venue[3] if venue else None,
        links=tuple(labelled),
        arxiv_id=arxiv,
        repos=repos,
        title_link=title_link,
    )
    return _Read(entry, labelled, all_links, text)


def extract_entries(
    doc: Document, links: tuple[Link, ...] | None = None, blocks: Blocks | None = None
) -> tuple[Entry, ...]:
    """One ``Entry`` per list item with a title, in source order (see module doc)."""
    blocks = blocks or parse_blocks(doc)
    if links is None and blocks.definitions:
        links = extract_links(doc, blocks)
    defs = {_label_key(link): link for link in links or () if link.kind == "definition"}
    known = {link.span.start: link for link in links or ()}
    entries: dict[int, Entry] = {}
    details: dict[int, list[str]] = {}
    for item in blocks.items:
        if item.run is None:
            continue
        read = _read_item(doc, item, blocks, defs, known)
        owner = item.parent
        while owner is not None and owner not in entries:
            owner = blocks.items[owner].parent
        if owner is not None and read.text:
            details.setdefault(owner, []).append(read.text)
        if read.entry is not None and (item.parent is None or read.links):
            entries[item.index] = read.entry
        elif item.parent in entries:
            parent = item.parent
            entries[parent] = _lend(entries[parent], read)
    return tuple(
        replace(entry, details=tuple(details.get(index, ()))) if index in details else entry
        for index, entry in sorted(entries.items())
    )


def _lend(host: Entry, read: _Read) -> Entry:
    """A parent entry completed by a nested item that is not an entry itself.

    Its labelled links are added (``- [[Paper]](…) [[GitHub]](…)`` under a
    title) and its venue tag is used when the parent has none (an author line
    ending in ``(*OSDI 2018*)``).
    """
    repos = tuple(dict.fromkeys(r for link in read.links if (r := repo_of(link.resolved))))
    arxiv = host.arxiv_id
    for link in read.links:
        arxiv = arxiv or arxiv_id_of(link.resolved)
    host = replace(
        host,
        links=host.links + tuple(read.labelled),
        repos=tuple(dict.fromkeys(host.repos + repos)),
        arxiv_id=arxiv,
    )
    nested = read.entry
    if nested is not None and nested.venue is not None and host.venue is None:
        host = replace(
            host,
            venue=nested.venue,
            venue_span=nested.venue_span,
            venue_link=nested.venue_link,
            arxiv_id=host.arxiv_id or arxiv_id_of(nested.venue),
        )
    return host


def _label_key(link: Link) -> str:
    from listwatch.markdown.blocks import normalize_label

    return normalize_label(link.label)
