"""Real-shaped answers of DBLP, Semantic Scholar and arXiv, for parsing tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from listwatch.model import PaperFacts


def dblp_hit(title: str, authors: list[str], venue: str, year: str, *,
             key: str, type_: str = "Conference and Workshop Papers",
             doi: str | None = None, ee: Any = None) -> dict[str, Any]:
    author_block: Any = [{"@pid": f"00/{i}", "text": a} for i, a in enumerate(authors)]
    if len(author_block) == 1:
        author_block = author_block[0]
    info: dict[str, Any] = {
        "authors": {"author": author_block},
        "title": title,
        "venue": venue,
        "year": year,
        "type": type_,
        "key": key,
        "url": f"https://dblp.org/rec/{key}",
    }
    if doi:
        info["doi"] = doi
    if ee is not None:
        info["ee"] = ee
    return {"@score": "7", "@id": "123", "info": info, "url": f"URL#{key}"}


def dblp_answer(*hits: dict[str, Any], query: str = "q") -> dict[str, Any]:
    block: dict[str, Any] = {"@total": str(len(hits)), "@computed": str(len(hits)),
                             "@sent": str(len(hits)), "@first": "0"}
    if hits:
        block["hit"] = list(hits)
    return {"result": {"query": query, "status": {"@code": "200", "text": "OK"},
                       "time": {"@unit": "msecs", "text": "1.2"}, "completions": {},
                       "hits": block}}


SLORA_AUTHORS = ["Ying Sheng", "Shiyi Cao", "Dacheng Li", "Coleman Hooper", "Nicholas Lee",
                 "Shuo Yang", "Christopher Chou", "Banghua Zhu", "Lianmin Zheng",
                 "Kurt Keutzer", "Joseph E. Gonzalez", "Ion Stoica"]


def paper(arxiv_id: str = "2311.03285", title: str = "S-LoRA: Serving Thousands of "
          "Concurrent LoRA Adapters", authors: list[str] | None = None, *,
          comment: str | None = None, journal_ref: str | None = None,
          doi: str | None = None) -> PaperFacts:
    return PaperFacts(
        arxiv_id=arxiv_id, version=3, title=title,
        authors=tuple(authors if authors is not None else SLORA_AUTHORS),
        published=datetime(2023, 11, 6, tzinfo=UTC), updated=datetime(2024, 6, 5, tzinfo=UTC),
        journal_ref=journal_ref, doi=doi, comment=comment,
        url=f"https://arxiv.org/abs/{arxiv_id}",
    )


def s2_item(arxiv_id: str, *, venue: str = "", pv: dict[str, Any] | None = None,
            year: int | None = 2023, doi: str | None = None,
            title: str = "S-LoRA: Serving Thousands of Concurrent LoRA Adapters",
            date: str | None = "2023-11-06") -> dict[str, Any]:
    ext: dict[str, Any] = {"ArXiv": arxiv_id, "CorpusId": 265033923, "DBLP": "x"}
    if doi:
        ext["DOI"] = doi
    return {
        "paperId": "0d1f4b0ad3c8c52c0c2bb3f3a8f8d5c2f1e0a9b7",
        "externalIds": ext,
        "title": title,
        "venue": venue,
        "year": year,
        "publicationVenue": pv,
        "journal": {"name": venue} if venue else None,
        "publicationDate": date,
        "authors": [{"authorId": str(i), "name": n} for i, n in enumerate(SLORA_AUTHORS)],
    }
