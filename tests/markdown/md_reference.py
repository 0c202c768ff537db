"""An independent link extractor built on markdown-it-py tokens (the test oracle).

It reports ``(line, href)`` for http(s) links the way a CommonMark + GFM
renderer sees them: link and image tokens, ``href``/``src`` in HTML tokens,
and bare URLs through linkify, narrowed to GFM's extended-autolink rules.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

_WEB = ("http://", "https://")


def _parser() -> MarkdownIt:
    # As deep as GitHub renders nested lists and quotes (markdown-it's preset stops at 20).
    md = MarkdownIt("commonmark", {"linkify": True, "maxNesting": 100})
    md.enable(["linkify", "table", "strikethrough"])
    # Compare destinations as written and unescaped, not percent-encoded.
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    # GFM links bare e-mail addresses as mailto:, never as web links.
    md.linkify.set({"fuzzy_email": False})
    return md


class _Attrs(HTMLParser):
    """Collects (line offset, value) of href/src attributes; skips comments."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source_lines = source.split("\n")
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, _ = self.getpos()
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append((line - 1 + self._extra_lines(line - 1, name), value))

    handle_startendtag = handle_starttag

    def _extra_lines(self, first: int, name: str) -> int:
        # An attribute can sit on a later line than its tag's "<".
        pattern = re.compile(rf"\b{name}\s*=", re.IGNORECASE)
        for offset, text in enumerate(self.source_lines[first:]):
            if pattern.search(text):
                return offset
        return 0


def _html_links(content: str) -> list[tuple[int, str]]:
    parser = _Attrs(content)
    parser.feed(content)
    parser.close()
    return parser.found


def _is_gfm_bare(text: str) -> bool:
    """GFM links only ``http(s)://…`` and ``www.…`` bare text (linkify-it also links
    ``example.com``, ``//host`` and ``ftp://``)."""
    return text.lower().startswith(("http://", "https://", "www."))


_DELIMITER_TOKENS = ("em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close")


def _after_gfm_boundary(children: list, index: int) -> bool:
    """GFM links bare text only at a line start, after whitespace or after one of
    ``*_~(`` (linkify-it also links after ``<``, ``=``, quotes…): true when the
    linkify link opened by ``children[index]`` is so placed."""
    if index == 0:
        return True
    before = children[index - 1]
    if before.type in ("softbreak", "hardbreak") or before.type in _DELIMITER_TOKENS:
        return True
    if before.type == "text":
        return not before.content or before.content[-1].isspace() or \
            before.content[-1] in "*_~("
    return False


def reference_web_links(text: str) -> list[tuple[int, str]]:
    """(1-based line, href) of every http(s) link in ``text``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    env: dict = {}
    tokens = _parser().parse(text, env)
    definitions = {
        (ref["href"], ref.get("title", "")) for ref in env.get("references", {}).values()
    }
    found: list[tuple[int, str]] = []
    for ref in env.get("references", {}).values():
        found.append((ref["map"][0] + 1, ref["href"]))
    for token in tokens:
        if token.map is None:
            continue
        if token.type == "html_block":
            first = token.map[0] + 1
            found.extend((first + line, href) for line, href in _html_links(token.content))
        if token.type != "inline" or not token.children:
            continue
        line = token.map[0] + 1
        children = token.children
        open_links = 0  # links the current child is inside
        for index, child in enumerate(children):
            if child.type == "link_close":
                open_links -= 1
            elif child.type == "link_open":
                open_links += 1
                if child.markup == "linkify" and open_links > 1:
                    # markdown-it's linkify rescans the text of a link that holds an
                    # autolink (it walks back only to the inner link's start); GitHub
                    # does not turn text inside a link into another link.
                    continue
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "html_inline":
                found.extend((line + extra, href) for extra, href in _html_links(child.content))
                line += child.content.count("\n")
            elif child.type == "image":
                src = str(child.attrs.get("src", ""))
                if (src, str(child.attrs.get("title") or "")) not in definitions:
                    found.append((line, src))
                # else a reference usage (`![][r1]`): reported at the definition's line
            elif child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                if child.markup == "linkify":
                    shown = children[index + 1].content if index + 1 < len(children) else ""
                    if not _is_gfm_bare(shown) or not _after_gfm_boundary(children, index):
                        continue
                elif (
                    child.markup != "autolink"
                    and (
                        href,
                        str(child.attrs.get("title", "")),
                    )
                    in definitions
                ):
                    # A reference usage: the definition was reported at its own line.
                    continue
                found.append((line, href))
    return [(line, href) for line, href in found if href.lower().startswith(_WEB)]
