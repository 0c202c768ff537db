"""What the benchmark worlds' arXiv, Semantic Scholar and DBLP know about a paper.

The real Semantic Scholar indexes all of arXiv, so every paper a benchmark world's fake
arXiv knows is also answerable by the S2 batch endpoint (``ARXIV:<id>``). For a CS
preprint its ``externalIds`` are ``{ArXiv, DBLP: "journals/corr/abs-…", CorpusId}`` and
its venue is arXiv.org (``journal: {name: "ArXiv", volume: "abs/<id>"}``); a paper the
scenario marks as published names the DBLP key of its venue record instead, and DBLP
holds that record.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable

from tests.world.model import World

# Semantic Scholar's venue record for arXiv.
ARXIV_VENUE = {"id": "1901e811-ee72-4b20-8f7e-de08cd395a10", "name": "arXiv.org",
               "alternate_names": ["ArXiv"], "issn": "2331-8422", "url": "https://arxiv.org",
               "type": "journal"}
KNOWS = ("Semantic Scholar answers `ARXIV:<id>` for every paper the world's arXiv knows, "
         "with `externalIds` {ArXiv, DBLP, CorpusId} as for a CS preprint: the DBLP key is "
         "the paper's CoRR record (`journals/corr/abs-…`), or for a paper marked published "
         "the key of its venue record, which DBLP then holds.")


@dataclasses.dataclass(frozen=True)
class Venue:
    """Where a paper was formally published: its DBLP record."""

    key: str  # e.g. conf/osdi/Lovelace24
    name: str  # e.g. OSDI
    year: int


@dataclasses.dataclass(frozen=True)
class Paper:
    """An arXiv paper of a benchmark world; ``venue`` None: still a preprint."""

    arxiv: str
    title: str
    authors: tuple[str, ...] = ("A. Author",)
    year: int = 2023
    venue: Venue | None = None


def corr_key(arxiv: str) -> str:
    """The key DBLP files an arXiv preprint under (``journals/corr/abs-2312-11514``)."""
    return "journals/corr/abs-" + arxiv.replace(".", "-").replace("/", "-")


def venue_for(paper_id: str, name: str, year: int) -> Venue:
    """A DBLP conference record for ``paper_id`` at ``name``."""
    tail = paper_id.replace(".", "").replace("/", "")
    return Venue(f"conf/{name.lower()}/Author{tail}", name, year)


def register(world: World, papers: Iterable[Paper]) -> None:
    """Declare each paper in the fake arXiv, Semantic Scholar and (published) DBLP."""
    for p in papers:
        world.arxiv.paper(p.arxiv, title=p.title, authors=list(p.authors))
        if p.venue is None:
            world.s2.paper(title=p.title, arxiv=p.arxiv, dblp=corr_key(p.arxiv),
                           venue="arXiv.org", year=p.year, authors=p.authors,
                           publication_venue=ARXIV_VENUE,
                           journal={"name": "ArXiv", "volume": f"abs/{p.arxiv}"},
                           paper_id=_paper_id(p.arxiv))
            continue
        v = p.venue
        doi = f"10.1145/{p.arxiv}"
        world.dblp.record(v.key, title=p.title, authors=p.authors, venue=v.name, year=v.year,
                          doi=doi)
        world.s2.paper(title=p.title, arxiv=p.arxiv, dblp=v.key, doi=doi, venue=v.name,
                       year=v.year, authors=p.authors, paper_id=_paper_id(p.arxiv))


def _paper_id(arxiv: str) -> str:
    """A stable 40-hex S2 paper id for an arXiv id (the fake's default hashes the title)."""
    return hashlib.sha1(f"s2:arxiv:{arxiv}".encode()).hexdigest()
