"""arXiv abstract/PDF links judged from the arXiv API's facts."""

from __future__ import annotations

from collections.abc import Mapping

from listwatch.identifiers import arxiv_ref
from listwatch.model import PaperFacts, Verdict


def api_url(arxiv_id: str) -> str:
    return f"https://export.arxiv.org/api/query?id_list={arxiv_id}"


def verify(url: str, facts: Mapping[str, PaperFacts], missing: frozenset[str]) -> Verdict | None:
    """The verdict from arXiv facts, or None when there are none (check over HTTP)."""
    ref = arxiv_ref(url)
    if ref is None or not ref.is_url:
        return None
    arxiv_id, version = ref.id, ref.version
    evidence = (api_url(arxiv_id),)
    paper = facts.get(arxiv_id)
    if paper is None:
        if arxiv_id in missing:
            return Verdict(url=url, status="broken", via="arxiv-api", evidence=evidence,
                           detail=f"arXiv has no paper {arxiv_id}")
        return None
    if version is not None and version > paper.version:
        return Verdict(url=url, status="broken", via="arxiv-api", evidence=evidence,
                       detail=f"arXiv {arxiv_id} has no v{version} (latest is v{paper.version})")
    return Verdict(url=url, status="ok", via="arxiv-api", evidence=evidence,
                   detail="withdrawn" if paper.withdrawn else "")
