"""A CommonMark + GFM inline scanner that reports where links are, exactly.

It works on one inline run (a paragraph's or heading's or table cell's text as
CommonMark sees it) and returns offsets into that run: code spans, escapes,
autolinks and raw HTML bind tightest, then bracketed links and images (links
may not contain links), then GFM extended autolinks in what is left.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from listwatch.markdown.resolve import ASCII_PUNCT

Range = tuple[int, int]


@dataclass(frozen=True)
class Found:
    """One link construct in an inline run (offsets into the run).

    ``dest`` is the destination as written (angle brackets and quotes
    excluded); ``text`` the bracketed text (for bracket links); ``whole`` the
    entire construct; ``ref`` the normalised label of a reference usage.
    """

    kind: str
    whole: Range
    dest: Range | None = None
    text: Range | None = None
    ref: str | None = None


_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\x00-\x20]*)>")
_EMAIL_AUTOLINK = re.compile(
    r"<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*)>"
)
_ATTR_VALUE = r"""(?:[^"'=<>`\x00-\x20]+|'[^']*'|"[^"]*")"""
_ATTR = r"(?:\s+[A-Za-z_:][A-Za-z0-9_.:\-]*(?:\s*=\s*" + _ATTR_VALUE + r")?)"
_OPEN_TAG = re.compile(r"<[A-Za-z][A-Za-z0-9\-]*" + _ATTR + r"*\s*/?>")
_CLOSING_TAG = re.compile(r"</[A-Za-z][A-Za-z0-9\-]*\s*>")
# Raw HTML that is not a start tag: (opening, what ends it); a declaration is
# ``<!`` and a letter. A comment may also be just ``<!-->`` or ``<!--->``.
_OTHER_HTML = (("<!--", "-->"), ("<?", "?>"), ("<![CDATA[", "]]>"), ("<!", ">"))


class _Closers:
    """Where the next ``-->``, ``?>``, ``]]>`` or ``>`` is, each looked for once per
    stretch: an unclosed ``<!--`` repeated along a line would otherwise send every
    one of them to the end of the line (quadratic). Positions asked for only grow."""

    def __init__(self, s: str, stop: int) -> None:
        self.s, self.stop = s, stop
        self.seen: dict[str, tuple[int, int]] = {}  # closer -> (asked from, found at)

    def find(self, closer: str, start: int) -> int:
        asked = self.seen.get(closer)
        if asked is not None and asked[0] <= start and (asked[1] < 0 or asked[1] >= start):
            return asked[1]
        at = self.s.find(closer, start, self.stop)
        self.seen[closer] = (start, at)
        return at


def other_html_end(s: str, i: int, closers: _Closers) -> int | None:
    """End of the closing tag, comment, processing instruction, declaration or CDATA
    section at ``i``, or None."""
    stop = closers.stop
    if s.startswith("</", i, stop):
        tag = _CLOSING_TAG.match(s, i, stop)
        return tag.end() if tag else None
    for short in ("<!-->", "<!--->"):
        if s.startswith(short, i, stop):
            return i + len(short)
    for opening, closer in _OTHER_HTML:
        if s.startswith(opening, i, stop):
            if opening == "<!" and not (i + 2 < stop and s[i + 2].isascii()
                                        and s[i + 2].isalpha()):
                continue
            at = closers.find(closer, i + len(opening))
            return at + len(closer) if at >= 0 else None
    return None
# How a browser reads a start tag in an HTML block (the HTML tokenizer, not
# CommonMark's stricter inline rule): an unquoted value runs to whitespace or ">",
# so `src=https://img.shields.io/x?color=ccf&label=downloads` is one value.
_BROWSER_TAG = re.compile(r"<[A-Za-z][^\s/>]*")
_BROWSER_ATTR = re.compile(
    r"""[\s/]*([^\s/>][^\s/>=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?"""
)
_LINK_ATTRS = frozenset({"href", "src"})
# A tag CommonMark does not take as HTML, as far as the next "<" or ">" (so that
# reading one costs no more than the text up to there).
_LOOSE_TAG = re.compile(r"<[A-Za-z][^<>]*>")


def html_link_attrs(source: str, start: int = 0, end: int | None = None) -> list[Range]:
    """Ranges of ``href``/``src`` values in the HTML tags of ``source[start:end]``,
    with attributes read as a browser reads them.

    Comments, processing instructions and declarations are skipped.
    """
    stop = len(source) if end is None else end
    found: list[Range] = []
    closers = _Closers(source, stop)
    i = source.find("<", start, stop)
    while 0 <= i < stop:
        other = other_html_end(source, i, closers)
        if other is not None:
            i = source.find("<", other, stop)
            continue
        tag = _BROWSER_TAG.match(source, i, stop)
        i = _tag_attrs(source, tag.end(), stop, found) if tag else i + 1
        i = source.find("<", i, stop)
    return found


def _tag_attrs(source: str, i: int, stop: int, found: list[Range]) -> int:
    """Collect the link attributes of the tag whose attributes start at ``i``;
    return where the tag ends (after ``>``, or ``stop`` when it never closes)."""
    while i < stop and source[i] != ">":
        attr = _BROWSER_ATTR.match(source, i, stop)
        if attr is None or attr.end() == i:
            break
        if attr.group(1).lower() in _LINK_ATTRS:
            group = next((g for g in (2, 3, 4) if attr.group(g) is not None), None)
            if group is not None:
                found.append((attr.start(group), attr.end(group)))
        i = attr.end()
    return i + 1 if i < stop else stop


def _code_span_end(s: str, i: int) -> tuple[int, bool]:
    """End of the backtick run at ``i`` and of its code span, if it closes."""
    n = len(s)
    j = i
    while j < n and s[j] == "`":
        j += 1
    run = j - i
    k = j
    while True:
        k = s.find("`", k)
        if k < 0:
            return j, False
        m = k
        while m < n and s[m] == "`":
            m += 1
        if m - k == run:
            return m, True
        k = m


def _skip_space(s: str, i: int) -> int:
    """Skip spaces/tabs with at most one line ending."""
    n = len(s)
    newline = False
    while i < n:
        if s[i] in " \t":
            i += 1
        elif s[i] == "\n" and not newline:
            newline = True
            i += 1
        else:
            break
    return i


def _parse_destination(s: str, i: int) -> tuple[Range, int] | None:
    """Parse a link destination at ``i``; return its range and the end."""
    n = len(s)
    if i < n and s[i] == "<":
        j = i + 1
        while j < n:
            c = s[j]
            if c == "\\" and j + 1 < n and s[j + 1] in ASCII_PUNCT:
                j += 2
                continue
            if c == ">":
                return (i + 1, j), j + 1
            if c in "<\n":
                return None
            j += 1
        return None
    depth = 0
    j = i
    while j < n:
        c = s[j]
        if c == "\\" and j + 1 < n and s[j + 1] in ASCII_PUNCT:
            j += 2
            continue
        if c <= " " or c == "\x7f":
            break
        if c == "(":
            depth += 1
            if depth > 32:
                return None
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        j += 1
    if depth != 0:
        return None
    return (i, j), j


def _parse_title(s: str, i: int) -> int | None:
    """End of a link title starting at ``i`` or None."""
    n = len(s)
    if i >= n or s[i] not in "\"'(":
        return None
    close = ")" if s[i] == "(" else s[i]
    j = i + 1
    while j < n:
        c = s[j]
        if c == "\\" and j + 1 < n and s[j + 1] in ASCII_PUNCT:
            j += 2
            continue
        if c == close:
            return j + 1
        if close == ")" and c == "(":
            return None
        j += 1
    return None


def _parse_inline_tail(s: str, i: int) -> tuple[Range, int] | None:
    """Parse ``(dest "title")`` at ``i`` (just after ``]``)."""
    n = len(s)
    if i >= n or s[i] != "(":
        return None
    j = _skip_space(s, i + 1)
    if j < n and s[j] == ")":
        return (j, j), j + 1
    parsed = _parse_destination(s, j)
    if parsed is None:
        return None
    dest, j = parsed
    k = _skip_space(s, j)
    if k < n and s[k] != ")":
        if k == j:
            return None
        end = _parse_title(s, k)
        if end is None:
            return None
        k = _skip_space(s, end)
    if k < n and s[k] == ")":
        return dest, k + 1
    return None


def _parse_label(s: str, i: int) -> int | None:
    """End (after ``]``) of a link label starting with ``[`` at ``i``."""
    n = len(s)
    j = i + 1
    while j < n and j - i <= 1000:
        c = s[j]
        if c == "\\" and j + 1 < n and s[j + 1] in ASCII_PUNCT:
            j += 2
            continue
        if c == "[":
            return None
        if c == "]":
            return j + 1
        j += 1
    return None


@dataclass(frozen=True)
class _Opener:
    pos: int
    image: bool
    active: bool


class _Openers:
    """The stack of ``[`` and ``![`` waiting for their ``]``.

    Once a link is made, every ``[`` below the top may no longer start a link
    (links do not nest). Rather than marking each one, which costs the depth of
    the stack per link and makes a long run quadratic, ``floor`` says how many
    openers from the bottom have lost that right.
    """

    def __init__(self) -> None:
        self._stack: list[tuple[int, bool]] = []
        self._floor = 0

    def push(self, pos: int, image: bool) -> None:
        self._stack.append((pos, image))

    def pop(self) -> _Opener | None:
        if not self._stack:
            return None
        pos, image = self._stack.pop()
        active = image or len(self._stack) >= self._floor
        self._floor = min(self._floor, len(self._stack))
        return _Opener(pos, image, active)

    def links_made(self) -> None:
        """A link closed: every ``[`` still open becomes plain text."""
        self._floor = len(self._stack)


def scan_inline(s: str, is_reference: Callable[[str], str | None] | None = None) -> list[Found]:
    """Every link construct in inline run ``s``, in source order.

    ``is_reference(label)`` returns the normalised label when a definition
    exists for it, else None.
    """
    n = len(s)
    found: list[Found] = []
    openers = _Openers()
    closers = _Closers(s, n)
    opaque: list[Range] = []  # code spans, autolinks, raw HTML: no bare URLs there
    i = 0
    while i < n:
        c = s[i]
        if c == "\\":
            # GFM scans bare URLs in the raw text, escapes included, so an
            # escape does not end one.
            if i + 1 < n and s[i + 1] in ASCII_PUNCT:
                i += 2
            else:
                i += 1
        elif c == "`":
            end, closed = _code_span_end(s, i)
            if closed:
                opaque.append((i, end))
            i = end
        elif c == "<":
            i = _scan_angle(s, i, found, opaque, closers)
        elif c == "!" and i + 1 < n and s[i + 1] == "[":
            openers.push(i, True)
            i += 2
        elif c == "[":
            openers.push(i, False)
            i += 1
        elif c == "]":
            i = _close_bracket(s, i, openers, found, is_reference)
        else:
            i += 1
    found.sort(key=lambda f: f.whole[0])
    _add_bare_urls(s, found, opaque)
    found.sort(key=lambda f: (f.dest or f.whole)[0])
    return found


def _scan_angle(s: str, i: int, found: list[Found], opaque: list[Range],
                closers: _Closers) -> int:
    match = _AUTOLINK.match(s, i)
    if match:
        found.append(Found("autolink", match.span(), dest=match.span(1)))
        opaque.append(match.span())
        return match.end()
    match = _EMAIL_AUTOLINK.match(s, i)
    if match:
        opaque.append(match.span())
        return match.end()
    match = _OPEN_TAG.match(s, i)
    if match:
        for attr in html_link_attrs(s, match.start(), match.end()):
            found.append(Found("html", match.span(), dest=attr))
        opaque.append(match.span())
        return match.end()
    other = other_html_end(s, i, closers)
    if other is not None:
        opaque.append((i, other))
        return other
    match = _LOOSE_TAG.match(s, i)
    if match:
        # Not HTML to CommonMark (`<img src=https://x?a=b>`: "=" in an unquoted value),
        # so its text stays text; but a reader sees a link there, so it is checked.
        attrs: list[Range] = []
        _tag_attrs(s, _BROWSER_TAG.match(s, i).end(), match.end(), attrs)  # type: ignore[union-attr]
        for attr in attrs:
            found.append(Found("html", attr, dest=attr))
            opaque.append(attr)
    return i + 1


def _close_bracket(
    s: str,
    i: int,
    openers: _Openers,
    found: list[Found],
    is_reference: Callable[[str], str | None] | None,
) -> int:
    opener = openers.pop()
    if opener is None or not opener.active:
        return i + 1
    text_start = opener.pos + (2 if opener.image else 1)
    kind = "image" if opener.image else "inline"
    tail = _parse_inline_tail(s, i + 1)
    if tail is not None:
        dest, end = tail
        found.append(Found(kind, (opener.pos, end), dest=dest, text=(text_start, i)))
        if not opener.image:
            openers.links_made()
        return end
    if is_reference is not None:
        label_end = _parse_label(s, i + 1) if i + 1 < len(s) and s[i + 1] == "[" else None
        ref: str | None = None
        end = i + 1
        if label_end is not None and label_end - (i + 1) > 2:
            ref = is_reference(s[i + 2 : label_end - 1])
            end = label_end
        elif label_end is None or label_end - (i + 1) == 2:
            ref = is_reference(s[text_start:i])
            end = label_end if label_end is not None else i + 1
        if ref is not None:
            ref_kind = "image" if opener.image else "reference"
            found.append(Found(ref_kind, (opener.pos, end), text=(text_start, i), ref=ref))
            if not opener.image:
                openers.links_made()
            return end
    return i + 1


# GFM extended autolinks -------------------------------------------------------

_BARE_START = re.compile(r"https?://|www\.", re.IGNORECASE)
_DOMAIN = re.compile(r"[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)*")
_TRAILING_PUNCT = "?!.,:*_~"
_LEFT_BOUNDARY = frozenset(" \t\n*_~(")
_ENTITY = re.compile(r"&[A-Za-z0-9]+;")


class _Domains:
    """The domain of each bare-URL candidate in one stretch of text, each domain run
    read once: ``www.a.b_www.a.b_…`` has a candidate at every ``www.``, all inside
    one run, and reading the run again for each was quadratic."""

    def __init__(self, s: str, stop: int) -> None:
        self.s, self.stop = s, stop
        self.run: tuple[int, int, bool, bool, int] | None = None  # start, end, _ flags, dot

    def read(self, at: int) -> tuple[int, bool] | None:
        """(end of the domain starting at ``at``, whether GFM refuses it: an
        underscore in one of its last two labels), or None without a domain."""
        run = self.run
        if run is None or not run[0] <= at < run[1]:
            match = _DOMAIN.match(self.s, at, self.stop)
            if match is None:
                return None
            last_dot = self.s.rfind(".", at, match.end())
            second_dot = self.s.rfind(".", at, last_dot) if last_dot >= 0 else -1
            last = "_" in self.s[last_dot + 1 if last_dot >= 0 else at : match.end()]
            second = last_dot >= 0 and "_" in self.s[second_dot + 1 if second_dot >= 0 else at
                                                     : last_dot]
            run = self.run = (at, match.end(), last, second, last_dot)
        start, end, last, second, last_dot = run
        # Inside the run, a candidate follows a dot: only the last label is its own
        # when that dot is the run's last one.
        refused = last if at == last_dot + 1 and at != start else last or second
        return end, refused


def bare_url_end(s: str, start: int, stop: int, domains: _Domains | None = None) -> int | None:
    """End of a GFM extended autolink starting at ``start`` (before ``stop``)."""
    head = _BARE_START.match(s, start, stop)
    if head is None:
        return None
    read = (domains or _Domains(s, stop)).read(head.end())
    if read is None or read[1]:
        return None
    end = read[0]
    while end < stop and not s[end].isspace() and s[end] != "<":
        end += 1
    return _trim_tail(s, start, end)


def _trim_tail(s: str, start: int, end: int) -> int | None:
    opens = closes = -1  # counted on the first ")"
    while end > start:
        last = s[end - 1]
        if last in _TRAILING_PUNCT:
            end -= 1
        elif last == ")":
            if closes < 0:
                opens, closes = s.count("(", start, end), s.count(")", start, end)
            if closes > opens:
                end -= 1
                closes -= 1
            else:
                break
        elif last == ";":
            amp = s.rfind("&", start, end)
            if amp < 0 or _ENTITY.fullmatch(s, amp, end) is None:
                break
            end = amp
        else:
            break
    return end


def _add_bare_urls(s: str, found: list[Found], opaque: list[Range]) -> None:
    blocked = sorted([f.whole for f in found if f.kind != "html"] + opaque, key=lambda r: r[0])
    pos = 0
    segments: list[Range] = []
    for start, end in blocked:
        if start > pos:
            segments.append((pos, start))
        pos = max(pos, end)
    if pos < len(s):
        segments.append((pos, len(s)))
    for seg_start, seg_stop in segments:
        pos = seg_start
        domains = _Domains(s, seg_stop)
        while True:
            head = _BARE_START.search(s, pos, seg_stop)
            if head is None:
                break
            start = head.start()
            pos = head.end()
            if start > 0 and s[start - 1] not in _LEFT_BOUNDARY:
                continue
            url_end = bare_url_end(s, start, seg_stop, domains)
            if url_end is not None and url_end > head.end():
                found.append(Found("bare", (start, url_end), dest=(start, url_end)))
                pos = url_end


def parse_definition(s: str, i: int) -> tuple[Range, Range] | None:
    """Label range and destination range of a definition whose ``[`` is at ``i``."""
    label_end = _parse_label(s, i)
    if label_end is None or label_end >= len(s) or s[label_end] != ":":
        return None
    j = _skip_space(s, label_end + 1)
    parsed = _parse_destination(s, j)
    if parsed is None:
        return None
    return (i + 1, label_end - 1), parsed[0]
