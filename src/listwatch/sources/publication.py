"""Where was a preprint published? Weighing arXiv, DBLP and Semantic Scholar.

``decide`` turns what each source says into at most one ``Publication``: the
venue (its canonical short name from ``listwatch.venues``; the list's own
spelling is applied where the list's style is, in the proposals), the year, the
paper's page, the sources that agree and a confidence. Evidence strengths (independent, combined as
``1 - Π(1 - s)``):

- DBLP formal record: 0.8 (title and authors match), 0.65 (medium), 0.45 (weak:
  a renamed system, same authors);
- arXiv ``journal_ref``: 0.6; arXiv comment ("Accepted at ISCA 2024"): 0.45;
- Semantic Scholar ``publicationVenue``/``venue``: 0.55.

Two agreeing sources give ≥ 0.9; DBLP alone 0.8; a comment alone 0.45. When the
sources name different venues, the best-supported venue wins (ties: DBLP, then
journal_ref, then Semantic Scholar, then comment), its confidence drops by the
opposing evidence, and the conflict is noted. Only preprint records (CoRR,
arXiv.org) → None: the entry stays an arXiv entry.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from listwatch.model import PaperFacts, Publication
from listwatch.sources.dblp import DblpMatch
from listwatch.sources.semantic_scholar import S2Record
from listwatch.venues import canonical, mention, year_in

_DBLP_STRENGTH = {"strong": 0.8, "medium": 0.65, "weak": 0.45}
JOURNAL_REF = 0.6
COMMENT = 0.45
S2 = 0.55
# Tie-break order and the order sources are listed in.
_PRIORITY = ("dblp", "arxiv", "semantic_scholar")


@dataclass(frozen=True)
class Claim:
    """One source's statement: this paper appeared at ``venue`` in ``year``."""

    source: str  # "dblp" | "arxiv" | "semantic_scholar"
    venue: str  # table short name
    year: int | None
    url: str | None
    evidence: str
    strength: float
    detail: str
    title: str | None = None
    year_reliable: bool = True


def _doi_url(doi: str | None) -> str | None:
    if not doi or doi.lower().startswith("10.48550/"):  # arXiv's own DOIs
        return None
    return f"https://doi.org/{doi}"


def claims(paper: PaperFacts | None, dblp: DblpMatch | None,
           s2: S2Record | None) -> tuple[Claim, ...]:
    """Every publication claim the sources make (preprint records make none)."""
    found: list[Claim] = []
    if dblp is not None and not dblp.hit.informal:
        venue = canonical(dblp.hit.venue)
        if venue:
            found.append(Claim(
                "dblp", venue, dblp.hit.year, dblp.hit.page,
                dblp.hit.url or f"https://dblp.org/rec/{dblp.hit.key}",
                _DBLP_STRENGTH[dblp.strength],
                f"DBLP {dblp.hit.venue} {dblp.hit.year or ''} ({dblp.strength} match)".strip(),
                title=dblp.hit.title.rstrip("."),
            ))
    if paper is not None:
        ref = paper.journal_ref
        ref_venue = canonical(ref) if ref and not re.search(r"\bworkshops?\b", ref, re.I) else None
        if ref_venue:
            found.append(Claim(
                "arxiv", ref_venue, year_in(paper.journal_ref), _doi_url(paper.doi), paper.url,
                JOURNAL_REF, f"arXiv journal_ref: {paper.journal_ref}",
            ))
        else:
            said = mention(paper.comment)
            if said:
                found.append(Claim(
                    "arxiv", said.venue, said.year, _doi_url(paper.doi), paper.url, COMMENT,
                    f"arXiv comment: {said.text}",
                ))
    if s2 is not None:
        venue = next((v for v in (canonical(s) for s in s2.venue_strings()) if v), None)
        if venue:
            year = year_in(s2.publication_date) or s2.year
            found.append(Claim(
                "semantic_scholar", venue, year, _doi_url(s2.doi),
                s2.url or "https://api.semanticscholar.org", S2,
                f"Semantic Scholar venue: {s2.venue_strings()[0]}", title=s2.title,
                year_reliable=False,
            ))
    return tuple(found)


def _combined(strengths: Sequence[float]) -> float:
    miss = 1.0
    for s in strengths:
        miss *= 1.0 - s
    return 1.0 - miss


def _rank(group: Sequence[Claim]) -> tuple[float, int]:
    best_source = min(_PRIORITY.index(c.source) for c in group)
    return (round(_combined([c.strength for c in group]), 6), -best_source)


def decide(
    paper: PaperFacts | None,
    dblp: DblpMatch | None,
    s2: S2Record | None,
    *,
    arxiv_id: str | None = None,
) -> Publication | None:
    """The publication the sources support, or None (not published, or only CoRR)."""
    ident = arxiv_id or (paper.arxiv_id if paper else None) or (s2.arxiv_id if s2 else None)
    all_claims = claims(paper, dblp, s2)
    if not all_claims or ident is None:
        return None
    groups: dict[str, list[Claim]] = {}
    for claim in all_claims:
        groups.setdefault(claim.venue, []).append(claim)
    ordered = sorted(groups.items(), key=lambda item: (_rank(item[1]), item[0]), reverse=True)
    venue, winners = ordered[0]
    winners.sort(key=lambda c: _PRIORITY.index(c.source))
    notes: list[str] = []
    confidence = _combined([c.strength for c in winners])
    losers = [c for _, group in ordered[1:] for c in group]
    if losers:
        against = _combined([c.strength for c in losers])
        confidence *= 1.0 - against / 2
        notes.append("conflict: " + "; ".join(c.detail for c in losers)
                     + f" (chose {venue}: " + "; ".join(c.detail for c in winners) + ")")
    year, year_note = _year(winners)
    if year_note:
        notes.append(year_note)
        confidence *= 0.9
    url = next((c.url for c in winners if c.url), None)
    if url is None and paper is not None:
        url = _doi_url(paper.doi)
    title = next((c.title for c in winners if c.title), None)
    return Publication(
        arxiv_id=ident,
        venue=venue,
        year=year,
        url=url,
        title=title,
        sources=tuple(dict.fromkeys(c.source for c in winners)),
        evidence=tuple(dict.fromkeys(c.evidence for c in winners)),
        confidence=round(min(confidence, 0.99), 2),
        notes=tuple(notes),
    )


def _year(winners: Sequence[Claim]) -> tuple[int | None, str | None]:
    """The venue year: reliable sources first; Semantic Scholar's year only as a last resort."""
    reliable = [c.year for c in winners if c.year and c.year_reliable]
    if reliable:
        year = reliable[0]
        others = sorted({y for y in reliable if y != year})
        note = f"years disagree: {year} vs {others}" if others else None
        return year, note
    fallback = next((c.year for c in winners if c.year), None)
    if fallback is not None:
        return fallback, "year from Semantic Scholar only (may be the preprint's year)"
    return None, None
