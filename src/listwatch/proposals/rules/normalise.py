"""normalise: well-known canonical URL forms.

- ``browse.arxiv.org/abs/…`` (and ``www.``/``export.`` mirrors) → ``arxiv.org/abs/…``;
- arXiv PDF links → the abstract page (the version, if linked, is kept);
- ``http://`` → ``https://`` only when the verdicts show the secure URL serves
  the same resource: the http URL's redirect chain ends at its https twin, or
  the https twin itself was checked and is ok.

A URL listwatch writes into the list itself (``new_link``: a ``Paper`` link from
DBLP, a moved link's target) goes through the same rules, and is also written with
https when the list already links its host over https.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from listwatch.identifiers import arxiv_ref
from listwatch.markdown.style import HouseStyle
from listwatch.model import Proposal
from listwatch.proposals.inputs import ProposalInputs
from listwatch.proposals.rules.common import make, source, verdict_for, write_url
from listwatch.proposals.urls import https_twin, same_resource


@dataclass(frozen=True)
class Canonical:
    """A canonical form of a URL and why."""

    url: str
    reason: str
    evidence: tuple[str, ...]
    confidence: float


def canonical(url: str, inputs: ProposalInputs) -> Canonical | None:
    """The canonical form of ``url`` per the enabled normalisations, or None if it is one."""
    config = inputs.config.normalise
    if not config.enabled:
        return None
    if config.arxiv_abs:
        found = arxiv_ref(url)
        if found is not None and found.kind in ("abs", "pdf"):
            target = f"https://arxiv.org/abs/{found.versioned}"
            if target != url:
                what = "PDF" if found.kind == "pdf" else "mirror"
                return Canonical(
                    target,
                    f"An arXiv {what} link is better given as the canonical abstract page.",
                    (target,),
                    0.95,
                )
    if config.https:
        twin = https_twin(url)
        if twin is not None:
            evidence = _https_evidence(url, twin, inputs)
            if evidence:
                return Canonical(
                    twin, "The same page is served over HTTPS.", evidence, 0.9
                )
    return None


def new_link(url: str, inputs: ProposalInputs) -> Canonical | None:
    """The form to write a URL that is new to the list in, when it is not ``url``."""
    found = canonical(url, inputs)
    written = found.url if found is not None else url
    config = inputs.config.normalise
    twin = https_twin(written) if config.enabled and config.https else None
    if twin is not None and (urlsplit(twin).hostname or "") in inputs.secure_hosts:
        evidence = found.evidence if found is not None else ()
        return Canonical(twin, "The list links this host over HTTPS.", evidence,
                         found.confidence if found is not None else 0.9)
    return found


def _https_evidence(url: str, twin: str, inputs: ProposalInputs) -> tuple[str, ...]:
    plain = verdict_for(inputs, url)
    if plain is not None and plain.final_url and same_resource(plain.final_url, twin):
        return (url, plain.final_url)
    secure = verdict_for(inputs, twin)
    if secure is not None and secure.status == "ok":
        return (twin,)
    return ()


def propose(inputs: ProposalInputs, style: HouseStyle) -> Iterator[Proposal]:
    for doc in inputs.documents:
        for link in inputs.links_of(doc.path):
            if not link.is_web or link.kind == "reference":
                continue
            found = canonical(link.resolved, inputs)
            if found is None:
                continue
            old = source(doc, link.span)
            new = write_url(style, link, found.url)
            if new == old:
                continue
            yield make(
                "normalise", doc, link.span, old, new,
                reason=found.reason, evidence=found.evidence, confidence=found.confidence,
                line=link.line,
            )
