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
from listwatch.markdown.escape import escape_list_text
from listwatch.model import Entry, LabelledLink
from listwatch.venues import canonical, preferred_spelling, split_tag

# Bracket syntaxes of labelled links; ``{label}`` and ``{url}`` are filled in.
SYNTAXES: Mapping[str, str] = {
    "gitbook": "\\[[{label}]({url})]",
    "awesome": "[[{label}]]({url})",
    "escaped": "[\\[{label}\\]]({url})",
    "plain": "[{label}]({url})",
}

# The usual order of labels, for pairs the list itself never shows together.
_PRIOR = ("personal notes", "personal note", "notes", "paper", "pdf", "arxiv", "code", "github",
          "repo", "homepage", "website", "project", "docs", "blog", "slides", "video", "talk")
_LINKED_TAG = re.compile(r"^[(\[]\s*\[(?P<text>[^\]]*)\]\((?P<dest>[^()\s]*)\)\s*[)\]]$")


def venue_slug(name: str) -> str:
    """``"SOSP"`` → ``"sosp"``; ``"ISPA/IUCC"`` → ``"ispa-iucc"`` (path-segment form)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


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
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class HouseStyle:
    """A list's writing habits (see the module docstring).

    ``venues`` and ``labels`` are ``(name, count)`` pairs, most used first;
    ``label_order`` is the learned order of labels within an entry (by mean
    relative position) and ``precedence`` counts, for two labels (casefolded),
    how many entries put the first before the second;
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
    precedence: tuple[tuple[str, str, int], ...] = ()
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
        text = f"{escape_list_text(venue)} {year}"
        page = self.venue_page(file, venue, year) if self.links_tags else None
        inner = f"[{text}]({self.url(page)})" if page else text
        return f"{brackets[0]}{inner}{brackets[1]}"

    # -- labelled links -----------------------------------------------------

    def file_style(self, file: str) -> FileStyle:
        for name, style in self.files:
            if name == file:
                return style
        return self.default_file

    def label_name(self, wanted: str, file: str | None = None) -> str:
        """The spelling of a label in ``file`` or else the list (``paper`` where it writes so)."""
        if file is not None:
            for name in self.file_style(file).labels:
                if name.casefold() == wanted.casefold():
                    return name
        matches = [(count, name) for name, count in self.labels
                   if name.casefold() == wanted.casefold()]
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
        return syntax.format(label=self.label_name(label, file), url=self.url(url))

    def rank(self, label: str) -> int | None:
        """Position of ``label`` in the learned order (case-insensitive), or None."""
        for index, name in enumerate(self.label_order):
            if name.casefold() == label.casefold():
                return index
        return None

    def goes_before(self, label: str, other: str) -> bool:
        """Does the list put ``label`` before ``other``? Pair counts first, then the order."""
        a, b = label.casefold(), other.casefold()
        ahead = behind = 0
        for first, second, count in self.precedence:
            if (first, second) == (a, b):
                ahead = count
            elif (first, second) == (b, a):
                behind = count
        if ahead or behind:
            return ahead > behind
        mine, theirs = self.rank(label), self.rank(other)
        if mine is not None and theirs is not None:
            return mine < theirs
        if a in _PRIOR and b in _PRIOR:
            return _PRIOR.index(a) < _PRIOR.index(b)
        return False

    def insertion(self, entry: Entry, label: str, url: str, after: int) -> tuple[int, str]:
        """Where and what to insert so ``entry`` gains a ``label`` link in the list's order.

        Returns ``(offset, text)``: before the first labelled link the list puts
        after ``label``, else after the last one; ``after`` is the offset used
        when the entry has no labelled links (the end of its venue tag or title).
        """
        sep = self.file_style(entry.file).separator
        rendered = self.render_label(entry.file, label, url)
        links = sorted(entry.links, key=lambda item: item.span.start)
        links = [ln for ln in links if ln.span.start >= after] or links
        if not links:
            return after, sep + rendered
        for item in links:
            if self.goes_before(label, item.label.strip()):
                return item.span.start, rendered + sep
        return links[-1].span.end, sep + rendered


# -- learning ---------------------------------------------------------------


def learn_style(
    documents: Iterable[Document],
    entries: Iterable[Entry] | Mapping[str, Iterable[Entry]],
    repo_paths: frozenset[str] = frozenset(),
) -> HouseStyle:
    """Learn a list's ``HouseStyle`` from its documents and their entries."""
    docs = {doc.path: doc for doc in documents}
    flat = [entry for entry in _flatten(entries) if entry.file in docs]
    venues: Counter[str] = Counter()
    templates: Counter[str] = Counter()
    linked = plain = folders = pages = 0
    for entry in flat:
        if entry.venue and entry.venue_span and not entry.is_preprint:
            name, year = split_tag(entry.venue)
            venues[name] += 1
            found = _tag_template(docs[entry.file], entry, name, year)
            if found is None:
                plain += 1
                continue
            linked += 1
            template, folder = found
            if template:
                templates[template] += 1
            folders += folder
            pages += not folder
    labels = _LabelStats(docs, flat)
    return HouseStyle(
        venues=_ranked(venues),
        linked_tags=linked,
        plain_tags=plain,
        tag_templates=_ranked(templates),
        folder_pages=folders,
        file_pages=pages,
        labels=_ranked(labels.names),
        label_order=labels.order(),
        precedence=tuple(
            (first, second, count) for (first, second), count in sorted(labels.before.items())
        ),
        files=labels.file_styles(),
        default_file=labels.default_style(),
        escape_url_underscores=_escapes_underscores(docs.values()),
        repo_paths=frozenset(repo_paths),
    )


class _LabelStats:
    """Counts over the labelled links on each entry's first line.

    Only links written in the file's bracket syntax count as labels, so an
    ordinary link in a title or a note (``[LightLLM](…)``) does not.
    """

    def __init__(self, docs: Mapping[str, Document], entries: list[Entry]) -> None:
        self.names: Counter[str] = Counter()
        self.before: Counter[tuple[str, str]] = Counter()
        self.positions: dict[str, list[float]] = {}
        self.syntaxes: dict[str, Counter[str]] = {}
        self.separators: dict[str, Counter[str]] = {}
        self.spellings: dict[str, Counter[str]] = {}
        heads = [(entry, _head_links(docs[entry.file], entry)) for entry in entries]
        for entry, links in heads:
            counts = self.syntaxes.setdefault(entry.file, Counter())
            counts.update(kind for kind, _ in links)
        for entry, links in heads:
            self._count(docs[entry.file], entry.file, links)

    def syntax_of(self, file: str) -> str:
        counts = self.syntaxes.get(file) or Counter()
        bracketed = Counter({k: v for k, v in counts.items() if k != "plain"})
        return _top(bracketed or counts, "plain")

    def _count(self, doc: Document, file: str, links: list[tuple[str, LabelledLink]]) -> None:
        syntax = self.syntax_of(file)
        mine = [item for kind, item in links if kind == syntax]
        names = [item.label.strip() for item in mine]
        self.names.update(names)
        self.spellings.setdefault(file, Counter()).update(names)
        keys = [name.casefold() for name in names]
        for index, key in enumerate(keys):
            if len(keys) > 1:
                self.positions.setdefault(key, []).append(index / (len(keys) - 1))
            for later in keys[index + 1 :]:
                if later != key:
                    self.before[key, later] += 1
        for left, right in itertools.pairwise(mine):
            gap = doc.text[left.span.end : right.span.start]
            if gap and not gap.strip() and "\n" not in gap:
                self.separators.setdefault(file, Counter())[gap] += 1

    def order(self) -> tuple[str, ...]:
        """Labels by mean relative position within their entries (first = 0, last = 1)."""
        spelled: dict[str, str] = {}
        for name, _ in _ranked(self.names):
            spelled.setdefault(name.casefold(), name)
        mean = {key: sum(v) / len(v) for key, v in self.positions.items()}
        mean.update({key: 1.0 for key in spelled if key not in mean})
        return tuple(
            spelled[key]
            for key in sorted(mean, key=lambda k: (mean[k], -len(self.positions.get(k, ())), k))
        )

    def file_styles(self) -> tuple[tuple[str, FileStyle], ...]:
        return tuple(
            (
                path,
                FileStyle(
                    syntax=self.syntax_of(path),
                    separator=_top(self.separators.get(path), " "),
                    labels=tuple(name for name, _ in _ranked(self.spellings.get(path, Counter()))),
                ),
            )
            for path in sorted(self.syntaxes)
        )

    def default_style(self) -> FileStyle:
        every: Counter[str] = Counter()
        for counts in self.syntaxes.values():
            every.update(counts)
        bracketed = Counter({k: v for k, v in every.items() if k != "plain"})
        seps: Counter[str] = Counter()
        for counts in self.separators.values():
            seps.update(counts)
        return FileStyle(_top(bracketed or every, "plain"), _top(seps, " "))


def _head_links(doc: Document, entry: Entry) -> list[tuple[str, LabelledLink]]:
    """``(syntax, link)`` for the labelled links on the entry's first line."""
    line_end = doc.text.find("\n", entry.span.start)
    stop = entry.span.end if line_end < 0 else min(line_end, entry.span.end)
    found = []
    for item in sorted(entry.links, key=lambda ln: ln.span.start):
        if item.span.start >= stop:
            continue
        kind = classify_syntax(doc.text[item.span.start : item.span.end])
        if kind:
            found.append((kind, item))
    return found


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
