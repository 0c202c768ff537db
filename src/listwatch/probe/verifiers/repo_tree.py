"""Relative links and ``#fragments`` checked against the repository tree.

A link arrives as a repository-relative path (``docs/setup.md#install``). The
file must exist in ``repo_paths`` (a directory exists when some path lies in
it); a fragment on a Markdown file must name one of its heading anchors, as
GitHub renders them, when the file's text is at hand.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Callable
from urllib.parse import unquote

from listwatch.model import Verdict
from listwatch.probe.classify import clean

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^\s{0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_HTML_ANCHOR = re.compile(r"""<a\s[^>]*?(?:name|id)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_HTML_ID = re.compile(r"""\sid\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


def normalise(link: str) -> tuple[str, str | None] | None:
    """``(path, fragment)`` of a relative link; None when it climbs out of the repository."""
    path, _, fragment = link.partition("#")
    path = unquote(path.split("?", 1)[0])
    if path.startswith("/"):
        path = path.lstrip("/")
    clean_path = posixpath.normpath(path) if path else ""
    if clean_path == ".":
        clean_path = ""
    if clean_path.startswith(".."):
        return None
    return clean_path, unquote(fragment) if fragment else None


def verify(
    url: str,
    paths: frozenset[str] | None,
    read_file: Callable[[str], str | None] | None,
) -> Verdict:
    """The verdict on a repository-relative link."""
    normal = normalise(url)
    if normal is None:
        return Verdict(url=url, status="broken", via="repo-tree",
                       detail="relative link points outside the repository")
    path, fragment = normal
    if paths is None:
        return Verdict(url=url, status="skipped", via="repo-tree",
                       detail="repository tree unknown; relative link not checked")
    if path and path not in paths and not _is_directory(path, paths):
        return Verdict(url=url, status="broken", via="repo-tree",
                       detail=f"no such file in the repository: {clean(path)}")
    if fragment and path.lower().endswith(MARKDOWN_SUFFIXES) and read_file is not None:
        text = read_file(path)
        if text is not None and fragment.lower() not in anchors(text):
            return Verdict(url=url, status="broken", via="repo-tree",
                           detail=f"no heading #{clean(fragment, 100)} in {clean(path)}")
    return Verdict(url=url, status="ok", via="repo-tree")


def _is_directory(path: str, paths: frozenset[str]) -> bool:
    prefix = path.rstrip("/") + "/"
    return any(p.startswith(prefix) for p in paths)


def anchors(markdown: str) -> frozenset[str]:
    """The anchors GitHub gives a Markdown file's headings (lowercase), plus HTML ids."""
    found: list[str] = []
    counts: dict[str, int] = {}
    fence: str | None = None
    previous = ""
    for line in markdown.splitlines():
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            previous = ""
            continue
        if opening:
            fence = opening.group(1)
            previous = ""
            continue
        heading: str | None = None
        atx = _ATX.match(line)
        if atx:
            heading = atx.group(1) or ""
        elif previous.strip() and _SETEXT.match(line) and not _ATX.match(previous):
            heading = previous.strip()
        if heading is not None:
            slug = slugify(heading)
            number = counts.get(slug, 0)
            counts[slug] = number + 1
            found.append(slug if number == 0 else f"{slug}-{number}")
            previous = ""
            continue
        found.extend(m.lower() for m in _HTML_ANCHOR.findall(line))
        found.extend(m.lower() for m in _HTML_ID.findall(line))
        previous = line
    return frozenset(found)


def slugify(heading: str) -> str:
    """GitHub's anchor for a heading text."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # images → alt text
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links → label
    text = re.sub(r"\[([^\]]*)\]\[[^\]]*\]", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = re.sub(r"(?<!\w)[*_]+|[*_]+(?!\w)", "", text)  # emphasis markers
    text = text.strip().lower()
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in "-_" or category[0] in "LNM":
            kept.append(char)
        elif char == " ":
            kept.append("-")
    return "".join(kept)
