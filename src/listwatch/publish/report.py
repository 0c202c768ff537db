"""Reports: what `links`, `check` and `run` print, as text, JSON or Markdown."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from listwatch.markdown import Document
from listwatch.markdown.model import Entry, Link
from listwatch.text import terminal_safe

Parsed = tuple[Document, Sequence[Link], Sequence[Entry]]


def _link_json(link: Link) -> dict[str, Any]:
    return {
        "file": link.file,
        "line": link.line,
        "column": link.column,
        "url": link.url,
        "resolved": link.resolved,
        "label": link.label,
        "kind": link.kind,
    }


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "file": entry.file,
        "line": entry.line,
        "title": entry.title,
        "venue": entry.venue,
        "venue_link": entry.venue_link,
        "arxiv_id": entry.arxiv_id,
        "repos": list(entry.repos),
        "links": [
            {"label": item.label, "url": item.link.url, "resolved": item.link.resolved}
            for item in entry.links
        ],
    }


def render_links(parsed: Sequence[Parsed], fmt: str) -> str:
    """The `listwatch links` output."""
    if fmt == "json":
        payload = {
            "links": [_link_json(link) for _, links, _ in parsed for link in links],
            "entries": [_entry_json(entry) for _, _, entries in parsed for entry in entries],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    lines: list[str] = []
    for document, links, entries in parsed:
        lines.append(f"{document.path}: {len(links)} links, {len(entries)} entries")
        for link in links:
            shown = link.url if link.url == link.resolved else f"{link.url} -> {link.resolved}"
            label = f"  [{link.label}]" if link.label else ""
            lines.append(terminal_safe(f"  {link.line}:{link.column}  {shown}{label}"))
        for entry in entries:
            venue = f" ({entry.venue})" if entry.venue else ""
            labels = " ".join(f"[{item.label}]" for item in entry.links)
            text = f"  entry {entry.line}: {entry.title}{venue} {labels}".rstrip()
            lines.append(terminal_safe(text))
    total_links = sum(len(links) for _, links, _ in parsed)
    total_entries = sum(len(entries) for _, _, entries in parsed)
    lines.append(f"{len(parsed)} files, {total_links} links, {total_entries} entries")
    return "\n".join(lines) + "\n"
