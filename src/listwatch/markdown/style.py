"""House style: how a list writes venue tags, labelled links and URLs, learned from the list.

Nothing is written into a list before its style is known. ``learn_style`` reads
the documents and their entries and records what the maintainer does:

- venue vocabulary: the names used in tags and how often (``ATC`` vs ``USENIX ATC``);
- venue tags: plain ``(SOSP 2023)`` or linked ``([SOSP 2023](../../notes/sosp-2023/))``,
  and for linked ones a repository-relative path template (``notes/{venue}-{year}``)
  that gives the page of another venue and year;
- labelled links: the label names, the order they appear in (``Personal Notes``,
  ``Paper``, ``arXiv``, ``Code``…), the bracket syntax of each file
  (``\\[[Paper](u)]``, ``[[Paper]](u)``, ``[\\[Paper\\]](u)`` or ``[Paper](u)``)
  and the separator between them;
- URLs: whether underscores in link destinations are written escaped (``\\_``).

``HouseStyle`` then renders new text in that style: a venue tag for a file, a
labelled link for a file, a URL as the list would write it.
"""

from __future__ import annotations

import itertools
import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from listwatch.markdown.document import Document
from listwatch.markdown.model import Entry, LabelledLink
from listwatch.sources.venues import canonical, preferred_spelling

# Bracket syntaxes of labelled links; ``{label}`` and ``{url}`` are filled in.
SYNTAXES: Mapping[str, str] = {
    "gitbook": "\\[[{label}]({url})]",
    "awesome": "[[{label}]]({url})",
    "escaped": "[\\[{label}\\]]({url})",
    "plain": "[{label}]({url})",
}

_TAG_YEAR = re.compile(r"^(?P<name>.*?)[\s,]*(?:'|’)?(?P<year>(?:19|20)\d\d|\d\d)$")
_LINKED_TAG = re.compile(r"^[(\[]\s*\[(?P<text>[^\]]*)\]\((?P<dest>[^()\s]*)\)\s*[)\]]$")
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>])")


def venue_slug(name: str) -> str:
    """``"SOSP"`` → ``"sosp"``; ``"ISPA/IUCC"`` → ``"ispa-iucc"`` (path-segment form)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def split_tag(tag: str) -> tuple[str, int | None]:
    """``"SOSP 2023"`` → ``("SOSP", 2023)``; ``"OSDI '24"`` → ``("OSDI", 2024)``."""
    text = " ".join(tag.split())
    match = _TAG_YEAR.match(text)
    if not match or not match.group("name"):
        return text, None
    year = match.group("year")
    return match.group("name"), int(year) if len(year) == 4 else 2000 + int(year)


def escape_text(text: str) -> str:
    """Outside text (a title, a venue) made literal inline Markdown on one line.

    Escapes backslashes, backticks, emphasis stars, brackets and angle brackets,
    underscores at word edges (intraword ones are literal already) and
    parentheses that do not balance.
    """
    flat = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", text).split())
    flat = _MD_SPECIAL.sub(r"\\\1", flat)
    flat = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", flat)
    return _escape_unbalanced_parens(flat)


def _escape_unbalanced_parens(text: str) -> str:
    opened: list[int] = []
    unbalanced: set[int] = set()
    for index, char in enumerate(text):
        if index and text[index - 1] == "\\":
            continue
        if char == "(":
            opened.append(index)
        elif char == ")":
            if opened:
                opened.pop()
            else:
                unbalanced.add(index)
    unbalanced.update(opened)
    return "".join("\\" + c if i in unbalanced else c for i, c in enumerate(text))


def classify_syntax(source: str) -> str | None:
    """Which of ``SYNTAXES`` the labelled-link text ``source`` is written in."""
    if source.startswith("\\[[") and source.endswith(")]"):
        return "gitbook"
    if source.startswith("[\\["):
        return "escaped"
    if source.startswith("[[") and "]](" in source:
        return "awesome"
    if source.startswith("[") and "](" in source:
        return "plain"
    return None


@dataclass(frozen=True)
class FileStyle:
    """What one file does: its labelled-link syntax and the separator between labels."""

    syntax: str = "plain"
    separator: str = " "


@dataclass(frozen=True)
class HouseStyle:
    """A list's writing habits (see the module docstring).

    ``venues`` and ``labels`` are ``(name, count)`` pairs, most used first;
    ``label_order`` is the learned order of labels within an entry;
    ``tag_templates`` are repository-relative page paths with ``{venue}`` (the
    slug) and ``{year}``, most used first; ``linked_tags`` / ``plain_tags`` count
    venue tags with and without a link.
    """

    venues: tuple[tuple[str, int], ...] = ()
    linked_tags: int = 0
    plain_tags: int = 0
    tag_templates: tuple[tuple[str, int], ...] = ()
    folder_pages: int = 0
    file_pages: int = 0
    labels: tuple[tuple[str, int], ...] = ()
    label_order: tuple[str, ...] = ()
    files: tuple[tuple[str, FileStyle], ...] = ()
    default_file: FileStyle = FileStyle()
    escape_url_underscores: bool = False
    repo_paths: frozenset[str] = field(default=frozenset(), repr=False)

    # -- vocabulary ---------------------------------------------------------

    @property
    def vocabulary(self) -> dict[str, int]:
        """Venue name → number of tags that use it."""
        return dict(self.venues)

    @property
    def links_tags(self) -> bool:
        """True when the list links most of its venue tags to pages."""
        return self.linked_tags > 0 and self.linked_tags >= self.plain_tags

    def spell_venue(self, venue: str) -> str:
        """``venue`` in the list's own spelling when the list has one."""
        short = canonical(venue)
        if short is None:
            for name, _ in self.venues:
                if name.casefold() == venue.casefold():
                    return name
            return venue
        return preferred_spelling(short, self.vocabulary)

    # -- venue tags ---------------------------------------------------------

    def venue_page(self, file: str, venue: str, year: int) -> str | None:
        """The link target, relative to ``file``, of the page for ``venue year``, if it exists."""
        base = posixpath.dirname(file)
        slug = venue_slug(venue)
        for template, _ in self.tag_templates:
            target = template.format(venue=slug, year=year)
            forms = [(f"{target}/README.md", "/"), (f"{target}.md", ".md")]
            if self.file_pages > self.folder_pages:
                forms.reverse()
            for path, suffix in forms:
                if path in self.repo_paths:
                    return posixpath.relpath(target, base or ".") + suffix
        return None

    def venue_tag(self, file: str, venue: str, year: int, brackets: str = "()") -> str:
        """The tag for ``venue year`` as this list writes it in ``file``.

        Linked only when the list links its tags and the page exists.
        """
        text = f"{escape_text(venue)} {year}"
        page = self.venue_page(file, venue, year) if self.links_tags else None
        inner = f"[{text}]({self.url(page)})" if page else text
        return f"{brackets[0]}{inner}{brackets[1]}"

    # -- labelled links -----------------------------------------------------

    def file_style(self, file: str) -> FileStyle:
        for name, style in self.files:
            if name == file:
                return style
        return self.default_file

    def label_name(self, wanted: str) -> str:
        """The list's spelling of a label (``paper`` where the list writes so)."""
        matches = [
            (count, name) for name, count in self.labels if name.casefold() == wanted.casefold()
        ]
        return max(matches)[1] if matches else wanted

    def url(self, url: str) -> str:
        """A destination written as the list writes them (escaped ``_``, no bare spaces)."""
        written = url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
        if written.count("(") != written.count(")"):
            written = written.replace("(", "%28").replace(")", "%29")
        if self.escape_url_underscores:
            written = re.sub(r"(?<!\\)_", r"\\_", written)
        return written

    def render_label(self, file: str, label: str, url: str) -> str:
        """A labelled link in ``file``'s syntax."""
        syntax = SYNTAXES[self.file_style(file).syntax]
        return syntax.format(label=self.label_name(label), url=self.url(url))

    def rank(self, label: str) -> int | None:
        """Position of ``label`` in the learned order (case-insensitive), or None."""
        for index, name in enumerate(self.label_order):
            if name.casefold() == label.casefold():
                return index
        return None

    def insertion(self, entry: Entry, label: str, url: str, after: int) -> tuple[int, str]:
        """Where and what to insert so ``entry`` gains a ``label`` link in the list's order.

        Returns ``(offset, text)``; ``after`` is the offset to insert at when the
        entry has no labelled links (usually the end of its venue tag or title).
        """
        sep = self.file_style(entry.file).separator
        rendered = self.render_label(entry.file, label, url)
        mine = self.rank(label)
        links = sorted(entry.links, key=lambda item: item.span.start)
        if not links:
            return after, sep + rendered
        if mine is not None:
            before = [ln for ln in links if _ranked_before(self.rank(ln.label), mine)]
            if before:
                return before[-1].span.end, sep + rendered
            following = [ln for ln in links if self.rank(ln.label) is not None]
            if following:
                return following[0].span.start, rendered + sep
        return links[-1].span.end, sep + rendered


def _ranked_before(rank: int | None, mine: int) -> bool:
    return rank is not None and rank < mine


# -- learning ---------------------------------------------------------------


def learn_style(
    documents: Iterable[Document],
    entries: Iterable[Entry] | Mapping[str, Iterable[Entry]],
    repo_paths: frozenset[str] = frozenset(),
) -> HouseStyle:
    """Learn a list's ``HouseStyle`` from its documents and their entries."""
    docs = {doc.path: doc for doc in documents}
    flat = _flatten(entries)
    venues: Counter[str] = Counter()
    templates: Counter[str] = Counter()
    linked = plain = folders = pages = 0
    labels: Counter[str] = Counter()
    before: Counter[tuple[str, str]] = Counter()
    syntaxes: dict[str, Counter[str]] = {}
    separators: dict[str, Counter[str]] = {}
    for entry in flat:
        doc = docs.get(entry.file)
        if doc is None:
            continue
        if entry.venue and entry.venue_span and not entry.is_preprint:
            name, year = split_tag(entry.venue)
            venues[name] += 1
            found = _tag_template(doc, entry, name, year)
            if found is None:
                plain += 1
            else:
                linked += 1
                template, folder = found
                if template:
                    templates[template] += 1
                folders += folder
                pages += not folder
        ordered = sorted(entry.links, key=lambda item: item.span.start)
        names = [ln.label.strip() for ln in ordered]
        labels.update(names)
        for i, first in enumerate(names):
            for second in names[i + 1 :]:
                if first != second:
                    before[first, second] += 1
        for ln in ordered:
            kind = classify_syntax(doc.text[ln.span.start : ln.span.end])
            if kind:
                syntaxes.setdefault(entry.file, Counter())[kind] += 1
        for left, right in itertools.pairwise(ordered):
            gap = doc.text[left.span.end : right.span.start]
            if gap.strip() == "" and "\n" not in gap:
                separators.setdefault(entry.file, Counter())[gap] += 1
    files = tuple(
        (
            path,
            FileStyle(
                syntax=_top(syntaxes.get(path), "plain"), separator=_top(separators.get(path), " ")
            ),
        )
        for path in sorted(set(syntaxes) | set(separators))
    )
    all_syntax = sum(syntaxes.values(), Counter())
    all_sep = sum(separators.values(), Counter())
    return HouseStyle(
        venues=_ranked(venues),
        linked_tags=linked,
        plain_tags=plain,
        tag_templates=_ranked(templates),
        folder_pages=folders,
        file_pages=pages,
        labels=_ranked(labels),
        label_order=_label_order(labels, before),
        files=files,
        default_file=FileStyle(_top(all_syntax, "plain"), _top(all_sep, " ")),
        escape_url_underscores=_escapes_underscores(docs.values()),
        repo_paths=frozenset(repo_paths),
    )


def _flatten(entries: Iterable[Entry] | Mapping[str, Iterable[Entry]]) -> list[Entry]:
    if isinstance(entries, Mapping):
        return [entry for key in sorted(entries) for entry in entries[key]]
    return list(entries)


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _top(counts: Counter[str] | None, default: str) -> str:
    if not counts:
        return default
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def _tag_template(
    doc: Document, entry: Entry, name: str, year: int | None
) -> tuple[str | None, bool] | None:
    """``(template or None, is_folder)`` for a linked tag; None for a plain tag."""
    assert entry.venue_span is not None
    match = _LINKED_TAG.match(doc.text[entry.venue_span.start : entry.venue_span.end])
    if not match:
        return None
    dest = match.group("dest")
    folder = not dest.endswith(".md")
    if "://" in dest or dest.startswith("/") or year is None:
        return None, folder
    path = posixpath.normpath(posixpath.join(doc.base_dir, dest.replace("\\_", "_")))
    if path.endswith("/README.md"):
        path = path[: -len("/README.md")]
    elif path.endswith(".md"):
        path = path[:-3]
    slug, tail = venue_slug(name), str(year)
    parts = path.split("/")
    if parts[-1].lower() != f"{slug}-{tail}" or path.startswith(".."):
        return None, folder
    swapped = ["{venue}" if p.lower() == slug else p for p in parts[:-1]]
    return "/".join([*swapped, "{venue}-{year}"]), folder


def _label_order(labels: Counter[str], before: Counter[tuple[str, str]]) -> tuple[str, ...]:
    """Labels ordered by how often each comes before the others (Copeland score)."""
    names = list(labels)

    def score(name: str) -> int:
        return sum(
            1 for other in names if other != name and before[name, other] > before[other, name]
        ) - sum(1 for other in names if other != name and before[other, name] > before[name, other])

    return tuple(sorted(names, key=lambda name: (-score(name), -labels[name], name)))


_URL_DEST = re.compile(r"\]\((https?://[^)\s]*_[^)\s]*)\)")


def _escapes_underscores(documents: Iterable[Document]) -> bool:
    escaped = bare = 0
    for doc in documents:
        for match in _URL_DEST.finditer(doc.text):
            if "\\_" in match.group(1):
                escaped += 1
            else:
                bare += 1
    return escaped > bare


def labelled(entry: Entry, *names: str) -> LabelledLink | None:
    """The entry's first labelled link whose label is one of ``names`` (any case)."""
    wanted = {name.casefold() for name in names}
    for item in sorted(entry.links, key=lambda ln: ln.span.start):
        if item.label.strip().casefold() in wanted:
            return item
    return None
