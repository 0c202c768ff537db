"""Builders for proposal tests: documents from text, hand-made verdicts and facts."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from listwatch.config import Config, Target
from listwatch.markdown import Document, apply_edits, extract_entries, extract_links
from listwatch.model import Edit, Hop, PaperFacts, Proposal, Publication, RepoFacts, Verdict
from listwatch.proposals import ProposalInputs, propose

PATH = "paper-list/systems-for-ml/llm.md"
NOW = datetime(2024, 6, 1, tzinfo=UTC)
PAGES = frozenset({
    "reading-notes/conference/sosp-2023/README.md",
    "reading-notes/conference/sosp-2024/README.md",
    "reading-notes/conference/icml-2023.md",
    "reading-notes/conference/neurips-2024.md",
})


def config(**sections: Any) -> Config:
    """A config with the given sections replaced, e.g. ``stars=StarsConfig(mode="text")``."""
    return dataclasses.replace(Config(targets=(Target(repo="o/list"),)), **sections)


def inputs(
    *docs: Document,
    verdicts: Iterable[Verdict] = (),
    repos: Iterable[RepoFacts] = (),
    papers: Iterable[PaperFacts] = (),
    publications: Iterable[Publication] = (),
    snapshots: Mapping[str, str] | None = None,
    repo_paths: frozenset[str] = PAGES,
    declined: frozenset[str] = frozenset(),
    cfg: Config | None = None,
) -> ProposalInputs:
    return ProposalInputs(
        documents=docs,
        config=cfg or config(),
        links={d.path: extract_links(d) for d in docs},
        entries={d.path: tuple(extract_entries(d)) for d in docs},
        verdicts={v.url: v for v in verdicts},
        repos={r.requested.lower(): r for r in repos},
        papers={p.arxiv_id: p for p in papers},
        publications={p.arxiv_id: p for p in publications},
        snapshots=dict(snapshots or {}),
        repo_paths=repo_paths,
        declined=declined,
        now=NOW,
    )


def run(text: str, path: str = PATH, **kw: Any) -> tuple[Document, tuple[Proposal, ...]]:
    doc = Document.from_text(text, path)
    return doc, propose(inputs(doc, **kw))


def applied(doc: Document, proposals: Iterable[Proposal]) -> str:
    """The document's text after every applicable proposal."""
    edits = [Edit(p.span, p.old, p.new) for p in proposals if p.apply and p.span is not None
             and p.file == doc.path]
    return apply_edits(doc, edits)


def redirect(url: str, *hops: tuple[str, int], final: str) -> Verdict:
    """A redirect verdict: ``hops`` are ``(url, status)`` in order, ending at ``final``."""
    chain = []
    for index, (hop_url, status) in enumerate(hops):
        location = hops[index + 1][0] if index + 1 < len(hops) else final
        chain.append(Hop(hop_url, status, location))
    permanent = all(status in (301, 308) for _, status in hops)
    return Verdict(url=url, status="redirect", http_status=hops[0][1], final_url=final,
                   permanent=permanent, chain=tuple(chain))


def ok(url: str) -> Verdict:
    return Verdict(url=url, status="ok", http_status=200, final_url=url)


def repo(requested: str, now: str | None = None, **kw: Any) -> RepoFacts:
    name = now or requested
    kw.setdefault("api_url", f"https://api.github.com/repos/{requested}")
    return RepoFacts(requested=requested, exists=True, name_with_owner=name,
                     url=f"https://github.com/{name}", **kw)


def published(arxiv_id: str, venue: str, year: int, *, url: str | None = None,
              title: str | None = None, confidence: float = 0.9) -> Publication:
    return Publication(
        arxiv_id=arxiv_id, venue=venue, year=year, url=url, title=title,
        sources=("dblp", "semantic_scholar"),
        evidence=(f"https://dblp.org/search/publ/api?q={arxiv_id}",
                  f"https://api.semanticscholar.org/graph/v1/paper/arXiv:{arxiv_id}"),
        confidence=confidence,
    )


def paper(arxiv_id: str, title: str, version: int = 2) -> PaperFacts:
    return PaperFacts(arxiv_id=arxiv_id, version=version, title=title, authors=("A. B",),
                      published=NOW, updated=NOW, url=f"https://arxiv.org/abs/{arxiv_id}v{version}")


def kinds(proposals: Iterable[Proposal]) -> list[str]:
    return [p.kind for p in proposals]
