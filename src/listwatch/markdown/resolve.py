"""From a destination as written to what it means: unescape, decode, resolve."""

from __future__ import annotations

import html.entities
import posixpath
import re

ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

_ENTITY_SRC = (
    r"&(?:#(?P<dec>[0-9]{1,7})|#[xX](?P<hex>[0-9a-fA-F]{1,6})"
    r"|(?P<name>[A-Za-z][A-Za-z0-9]{0,31}));"
)
_ESCAPE_OR_ENTITY = re.compile(r"\\(?P<esc>[!-/:-@\[-`{-~])|" + _ENTITY_SRC)
_ENTITY = re.compile(_ENTITY_SRC)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]{1,31}:")


def _codepoint(value: int) -> str:
    if value == 0 or value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return "\ufffd"
    return chr(value)


def _replace(match: re.Match[str]) -> str:
    groups = match.groupdict()
    if groups.get("esc") is not None:
        return groups["esc"]
    if groups["dec"] is not None:
        return _codepoint(int(groups["dec"]))
    if groups["hex"] is not None:
        return _codepoint(int(groups["hex"], 16))
    return html.entities.html5.get(f"{groups['name']};", match.group(0))


def unescape(text: str) -> str:
    """Undo CommonMark backslash escapes and entity references."""
    if "\\" not in text and "&" not in text:
        return text
    return _ESCAPE_OR_ENTITY.sub(_replace, text)


def decode_entities(text: str) -> str:
    """Undo entity references only (HTML attribute values have no backslash escapes)."""
    if "&" not in text:
        return text
    return _ENTITY.sub(_replace, text)


def resolve(url: str, base_dir: str) -> str:
    """Resolve an unescaped destination against the directory of its file.

    Absolute URLs are kept; fragments and
    ``mailto:`` are kept; a relative path becomes repo-relative and a path
    ending in ``/`` means that folder's ``README.md`` (GitBook convention).
    """
    if _SCHEME.match(url) or url.startswith(("#", "//")) or not url:
        return url
    path, hash_, fragment = url.partition("#")
    path, query_mark, query = path.partition("?")
    if not path:
        return url
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        joined = posixpath.join(base_dir, path) if base_dir else path
    folder = path.endswith("/") or path in (".", "..") or path.endswith(("/.", "/.."))
    joined = posixpath.normpath(joined)
    if joined == ".":
        joined = ""
    if folder:
        joined = f"{joined}/README.md" if joined else "README.md"
    return joined + query_mark + query + hash_ + fragment
