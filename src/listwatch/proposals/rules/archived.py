"""archived: mark the code link of an archived or disabled GitHub repository.

The marker (``[archived] marker``, default ``(archived)``) goes after the code
link, after its star annotation if it has one, and is never written twice.
"""

from __future__ import annotations

from collections.abc import Iterator

from listwatch.markdown.style import HouseStyle
from listwatch.model import Proposal, Span
from listwatch.proposals.inputs import ProposalInputs
from listwatch.proposals.rules.common import code_links_with_facts, make
from listwatch.proposals.rules.stars import existing_annotation


def propose(inputs: ProposalInputs, style: HouseStyle) -> Iterator[Proposal]:
    config = inputs.config.archived
    if not config.enabled or not config.marker.strip():
        return
    for found in code_links_with_facts(inputs):
        doc, item, facts = found.document, found.item, found.facts
        if not (facts.archived or facts.disabled):
            continue
        line_end = doc.text.find("\n", item.span.end)
        tail = doc.text[item.span.end: line_end if line_end >= 0 else len(doc.text)]
        if config.marker in tail:
            continue
        end = item.span.end
        annotation = existing_annotation(doc, end, inputs.config.stars.format)
        if annotation is not None:
            end = annotation.end()
        state = "archived" if facts.archived else "disabled"
        name = facts.name_with_owner or found.repo_key
        yield make(
            "archived", doc, Span(end, end), "", " " + config.marker,
            reason=f"The GitHub repository {name} is {state} (read-only).",
            evidence=(facts.api_url,),
            confidence=1.0, line=found.entry.line, anchor=item.link.url,
        )
