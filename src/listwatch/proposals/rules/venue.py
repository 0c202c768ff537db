"""venue: a preprint tag becomes the venue the paper was published at.

``(arXiv 2312.12456)`` → ``(SOSP 2024)``, spelled as the list spells the venue,
and linked the way the list links tags (``([SOSP 2024](../../notes/sosp-2024/))``)
only when that page exists in the repository. When the publication has a page
and the entry has no ``Paper`` link, one is added where the list puts it; the
``arXiv`` link stays. CoRR and other preprint records never count as a venue.

Thresholds: a ``Publication`` with ``confidence >= APPLY_AT`` (0.8: at least two
sources agree, or arXiv's own journal reference) is applied; from ``REPORT_AT``
(0.4) up it is proposed for review with ``apply=False``; below, nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from listwatch.identifiers import arxiv_ref
from listwatch.markdown.document import Document
from listwatch.markdown.style import HouseStyle, labelled
from listwatch.model import Entry, Proposal, Publication, Span
from listwatch.proposals.inputs import ProposalInputs
from listwatch.proposals.rules import normalise
from listwatch.proposals.rules.common import make, source
from listwatch.proposals.urls import same_resource
from listwatch.venues import is_preprint

APPLY_AT = 0.8
REPORT_AT = 0.4


def publication_for(entry: Entry, inputs: ProposalInputs) -> Publication | None:
    """The usable publication of a preprint entry, if the sources found one."""
    if not entry.is_preprint or entry.venue_span is None or not entry.arxiv_id:
        return None
    pub = inputs.publications.get(entry.arxiv_id)
    if pub is None or pub.year is None or is_preprint(pub.venue) or not pub.venue.strip():
        return None
    return pub if pub.confidence >= REPORT_AT else None


def _on_arxiv(url: str) -> bool:
    ref = arxiv_ref(url)
    return ref is not None and ref.is_url


def _paper_link(
    doc: Document, entry: Entry, pub: Publication, venue: str, style: HouseStyle, apply: bool,
    inputs: ProposalInputs,
) -> Proposal | None:
    if not pub.url or _on_arxiv(pub.url) or labelled(entry, "Paper") is not None:
        return None
    if any(same_resource(item.link.resolved, pub.url) for item in entry.links):
        return None
    assert entry.venue_span is not None
    tidy = normalise.new_link(pub.url, inputs)
    url = pub.url if tidy is None else tidy.url
    offset, text = style.insertion(entry, "Paper", url, after=entry.venue_span.end)
    return make(
        "venue", doc, Span(offset, offset), "", text,
        reason=f"The published paper has a page at {venue} and the entry has no Paper link.",
        evidence=(pub.url, *pub.evidence), confidence=pub.confidence, apply=apply,
        line=entry.line, anchor=f"paper:{entry.arxiv_id}",
    )


def propose(inputs: ProposalInputs, style: HouseStyle) -> Iterator[Proposal]:
    for doc in inputs.documents:
        for entry in inputs.entries_of(doc.path):
            pub = publication_for(entry, inputs)
            if pub is None or entry.venue_span is None or pub.year is None:
                continue
            old = source(doc, entry.venue_span)
            brackets = old[0] + old[-1] if old[:1] in ("(", "[") else "()"
            venue = style.spell_venue(pub.venue)
            new = style.venue_tag(doc.path, venue, pub.year, brackets)
            apply = pub.confidence >= APPLY_AT
            sources = ", ".join(pub.sources) or "the sources"
            yield make(
                "venue", doc, entry.venue_span, old, new,
                reason=f"arXiv {entry.arxiv_id} was published at {venue} {pub.year} "
                       f"(per {sources}).",
                evidence=pub.evidence, confidence=pub.confidence, apply=apply,
                line=entry.line,
            )
            paper = _paper_link(doc, entry, pub, venue, style, apply, inputs)
            if paper is not None:
                yield paper
