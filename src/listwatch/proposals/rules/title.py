"""title: the published (or latest arXiv) title differs from the entry's title.

Differences of case, whitespace, punctuation or Markdown escapes do not count.
Always low confidence: shown for review and applied only when
``[title] apply = true``. Linked titles are left alone (the link would be lost).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from listwatch.markdown.escape import escape_list_text
from listwatch.markdown.style import HouseStyle
from listwatch.model import Proposal
from listwatch.proposals.inputs import ProposalInputs
from listwatch.proposals.rules.common import make, source
from listwatch.proposals.rules.venue import APPLY_AT, publication_for

CONFIDENCE = 0.4


def comparable(title: str) -> str:
    """Lowercase words only: ``"Foo: A \\_Bar_"`` → ``"foo a bar"``."""
    return " ".join(re.sub(r"[\W_]+", " ", title.casefold()).split())


def propose(inputs: ProposalInputs, style: HouseStyle) -> Iterator[Proposal]:
    for doc in inputs.documents:
        for entry in inputs.entries_of(doc.path):
            if not entry.arxiv_id or entry.title_link:
                continue
            old = source(doc, entry.title_span)
            if not old.strip() or "[" in old or "](" in old:
                continue
            pub = publication_for(entry, inputs)
            paper = inputs.papers.get(entry.arxiv_id)
            if pub is not None and pub.title and pub.confidence >= APPLY_AT:
                title, where, evidence = pub.title, "published", pub.evidence
            elif paper is not None and paper.title and not paper.withdrawn:
                title, where, evidence = paper.title, f"arXiv v{paper.version}", (paper.url,)
            else:
                continue
            if comparable(title) == comparable(old):
                continue
            yield make(
                "title", doc, entry.title_span, old, escape_list_text(title),
                reason=f"The {where} title differs from the one in the list.",
                evidence=evidence, confidence=CONFIDENCE, apply=inputs.config.title.apply,
                line=entry.line,
            )
