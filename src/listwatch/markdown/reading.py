"""A whole list read at once: its links, its entries, and what could not be read."""

from __future__ import annotations

from dataclasses import dataclass, field

from listwatch.markdown.blocks import parse_blocks
from listwatch.markdown.document import Document
from listwatch.markdown.entries import extract_entries
from listwatch.markdown.links import extract_links
from listwatch.model import Entry, Link


@dataclass(frozen=True)
class ListReading:
    """Links and entries of one document; ``problems`` are ``file:line: what`` notes
    about parts read in a fallback way (their links are still in ``links``)."""

    links: tuple[Link, ...] = field(repr=False)
    entries: tuple[Entry, ...] = field(repr=False)
    problems: tuple[str, ...] = ()


def read_list(doc: Document) -> ListReading:
    """Parse ``doc`` once and read its links and entries."""
    blocks = parse_blocks(doc)
    links = extract_links(doc, blocks)
    return ListReading(links, extract_entries(doc, links, blocks), blocks.problems)
