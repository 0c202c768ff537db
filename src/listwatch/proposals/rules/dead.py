"""dead: a link broken past the flakiness window is reported, never deleted.

The proposal carries the evidence and, when the Wayback Machine has one, the
snapshot as the suggested replacement, or says plainly that there is no archived
copy (nothing is suggested then). Only with ``[dead] replace_with_archive`` does it
become an edit that swaps the URL for the snapshot. A URL that must not go to a
third party (``redact.shareable``) was never looked up, and its evidence does not
name the lookup.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

from listwatch.markdown.style import HouseStyle
from listwatch.model import Proposal
from listwatch.proposals.inputs import ProposalInputs
from listwatch.proposals.rules.common import make, source, verdict_for, write_url
from listwatch.redact import shareable

WAYBACK_API = "https://archive.org/wayback/available?url="


def propose(inputs: ProposalInputs, style: HouseStyle) -> Iterator[Proposal]:
    replace = inputs.config.dead.replace_with_archive
    for doc in inputs.documents:
        for link in inputs.links_of(doc.path):
            if not link.is_web or link.kind == "reference":
                continue
            verdict = verdict_for(inputs, link.resolved)
            if verdict is None or verdict.status != "broken":
                continue
            snapshot = inputs.snapshots.get(link.resolved) or inputs.snapshots.get(verdict.url)
            status = f"HTTP {verdict.http_status}" if verdict.http_status else verdict.detail
            how = f" ({status})" if status else ""
            suggestion = " an archived copy is suggested" if snapshot else " no archived copy"
            reason = f"The link is broken{how} past the flakiness window;{suggestion}."
            lookup = (WAYBACK_API + quote(link.resolved, safe=""),) \
                if shareable(link.resolved) else ()
            evidence = (verdict.url, *verdict.evidence, *lookup, *((snapshot,) if snapshot else ()))
            old = source(doc, link.span)
            if replace and snapshot:
                yield make("dead", doc, link.span, old, write_url(style, link, snapshot),
                           reason=reason, evidence=evidence, confidence=0.8, line=link.line)
            else:
                yield make("dead", doc, None, old, snapshot or old, reason=reason,
                           evidence=evidence, confidence=0.8, apply=False, line=link.line)
