"""Helpers the rules share: building proposals, writing URLs, finding code links."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from listwatch.identifiers import github_repo
from listwatch.markdown.document import Document
from listwatch.markdown.style import HouseStyle
from listwatch.model import Entry, Kind, LabelledLink, Link, Proposal, RepoFacts, Span, Verdict
from listwatch.proposals.ids import proposal_id
from listwatch.proposals.inputs import ProposalInputs

CODE_LABELS = frozenset({"code", "github", "repo", "repository", "source", "source code"})
_ESCAPING_KINDS = frozenset({"inline", "image", "definition"})


def make(
    kind: Kind,
    doc: Document,
    span: Span | None,
    old: str,
    new: str,
    *,
    reason: str,
    evidence: Iterable[str | None],
    confidence: float,
    apply: bool = True,
    line: int | None = None,
    anchor: str = "",
) -> Proposal:
    """A proposal with its stable id; ``line`` defaults to the span's line.

    Unknown (None or empty) evidence URLs are left out, repeated ones kept once.
    """
    if line is None:
        line = doc.position(span.start)[0] if span is not None else 1
    return Proposal(
        id=proposal_id(kind, doc.path, old, new, anchor),
        kind=kind,
        file=doc.path,
        line=line,
        span=span,
        old=old,
        new=new,
        reason=reason,
        evidence=tuple(dict.fromkeys(e for e in evidence if e)),
        confidence=round(confidence, 3),
        apply=apply and span is not None,
    )


def write_url(style: HouseStyle, link: Link, url: str) -> str:
    """``url`` written as the list writes destinations of this kind of link.

    Markdown destinations follow the list's underscore escaping unless this
    very URL was written with bare underscores; autolinks, bare URLs and HTML
    attributes take the URL as is.
    """
    if link.kind not in _ESCAPING_KINDS:
        return url
    written = style.url(url)
    if "_" in link.url and "\\_" not in link.url:
        written = written.replace("\\_", "_")
    elif "\\_" in link.url:
        written = HouseStyle(escape_url_underscores=True).url(url)
    return written


def verdict_for(inputs: ProposalInputs, url: str) -> Verdict | None:
    """The verdict on ``url``, also trying it without its fragment."""
    found = inputs.verdicts.get(url)
    if found is None and "#" in url:
        found = inputs.verdicts.get(url.split("#", 1)[0])
    return found


def code_link(entry: Entry) -> tuple[LabelledLink, str] | None:
    """The entry's code link and its lowercase ``owner/name``.

    A labelled link to a GitHub repository, preferring code-like labels
    (``Code``, ``GitHub``…) over others.
    """
    found: list[tuple[int, LabelledLink, str]] = []
    for item in sorted(entry.links, key=lambda ln: ln.span.start):
        repo = github_repo(item.link.resolved)
        if repo is not None:
            rank = 0 if item.label.strip().casefold() in CODE_LABELS else 1
            found.append((rank, item, repo.key))
    if not found:
        return None
    rank, item, repo_key = min(found, key=lambda f: (f[0], f[1].span.start))
    return item, repo_key


@dataclass(frozen=True)
class CodeLink:
    """An entry's code link with the GitHub facts of its repository."""

    document: Document
    entry: Entry
    item: LabelledLink
    repo_key: str
    facts: RepoFacts


def code_links_with_facts(inputs: ProposalInputs) -> Iterator[CodeLink]:
    """Every entry's code link whose repository GitHub knows (exists), in file order."""
    for doc in inputs.documents:
        for entry in inputs.entries_of(doc.path):
            found = code_link(entry)
            if found is None:
                continue
            item, repo_key = found
            facts = inputs.repo(repo_key)
            if facts is not None and facts.exists:
                yield CodeLink(doc, entry, item, repo_key, facts)


def source(doc: Document, span: Span) -> str:
    return doc.text[span.start:span.end]
