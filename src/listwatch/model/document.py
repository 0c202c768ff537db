"""Values describing a list file: spans, links, entries, edits.

All offsets are indexes into the decoded text of a document (``str``), which is
the file's bytes decoded as UTF-8 with nothing normalised (a BOM stays as
``\\ufeff``, ``\\r\\n`` stays as two characters), so ``text.encode()`` gives the
original bytes back.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True, slots=True)
class Span:
    """Half-open range ``[start, end)`` of characters in a document's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span {self.start}..{self.end}")

    def overlaps(self, other: Span) -> bool:
        """True when the two spans share a character, or both insert at one point."""
        if self.start == self.end or other.start == other.end:
            return self.start == other.start or (self.start < other.end and other.start < self.end)
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Link:
    """One link destination as written in a file.

    ``url`` is the destination exactly as written (``span`` points at it);
    ``resolved`` has escapes and entities undone and relative paths resolved
    against the file (a GitBook folder link means its ``README.md``).
    ``kind`` is one of ``inline``, ``image``, ``reference``, ``definition``,
    ``autolink``, ``bare``, ``html``.
    """

    file: str
    line: int
    column: int
    span: Span
    url: str
    resolved: str
    label: str
    kind: str

    @property
    def is_web(self) -> bool:
        return self.resolved.startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class LabelledLink:
    """A bracketed link that names what it points at: ``\\[[Code](…)]``, ``[[GitHub]](…)``.

    ``span`` covers the whole construct including its outer brackets, so an
    inserted neighbour can be placed before or after it.
    """

    label: str
    link: Link
    span: Span


@dataclass(frozen=True, slots=True)
class Entry:
    """One list item that describes a paper (or project).

    ``venue`` is the tag text (``SOSP 2023``, ``arXiv 2312.07104``);
    ``venue_span`` covers the whole parenthesised tag, parentheses included;
    ``venue_link`` is the tag's own link target when the tag is linked;
    ``title_link`` is set when the title itself is a link (``[Title](url)``).
    """

    file: str
    line: int
    span: Span
    title: str
    title_span: Span
    venue: str | None = None
    venue_span: Span | None = None
    venue_link: str | None = None
    links: tuple[LabelledLink, ...] = ()
    arxiv_id: str | None = None
    repos: tuple[str, ...] = ()
    details: tuple[str, ...] = field(default=())
    title_link: Link | None = None

    @property
    def is_preprint(self) -> bool:
        return self.venue is not None and self.venue.lower().startswith("arxiv")


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``span`` of a document's text with ``new``; ``old`` guards against drift."""

    span: Span
    old: str
    new: str
