"""Links drawn from the real lists in ``../shared/corpus/``: repositories, arXiv ids and
ordinary web pages, each once, in the order the lists give them."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from benchmarks.scoring import normal
from listwatch.markdown import extract_links, read_document
from listwatch.markdown.entries import arxiv_id_of, repo_of

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
# Hosts answered by a fake service (or verified through one), not by a plain web host.
SPECIAL_HOSTS = frozenset({
    "github.com", "www.github.com", "arxiv.org", "browse.arxiv.org", "export.arxiv.org",
    "doi.org", "dx.doi.org", "dl.acm.org", "raw.githubusercontent.com", "api.github.com",
    "dblp.org", "api.semanticscholar.org", "web.archive.org", "archive.org",
    "api.crossref.org"})
# Hosts a page list leaves out: badge services and video sites checked in their own ways.
OTHER_HOSTS = ("img.shields.io", "badgen.net", "badge.fury.io", "youtube.com", "youtu.be")
SIMPLE_PATH = re.compile(r"^/[A-Za-z0-9/._~-]*$")


@dataclasses.dataclass(frozen=True)
class Pool:
    """What the corpus lists link to, deduplicated."""

    repos: tuple[str, ...]  # owner/name as first written
    arxiv_ids: tuple[str, ...]
    web: tuple[str, ...]  # pages on ordinary hosts, with a plain path and no query


def corpus_urls(corpus: Path = CORPUS) -> list[str]:
    """Every http(s) link of every Markdown file under ``corpus``, in file order."""
    if not corpus.exists():
        raise SystemExit(f"corpus not found: {corpus}")
    urls = []
    for path in sorted(corpus.rglob("*.md")):
        document = read_document(path, str(path.relative_to(corpus)))
        urls += [link.resolved for link in extract_links(document)
                 if link.resolved.startswith(("http://", "https://"))]
    return urls


def host_of(url: str) -> str:
    return url.split("/")[2].split(":")[0].lower()


def read_pool(corpus: Path = CORPUS) -> Pool:
    """Repositories, arXiv ids and plain web pages of the corpus lists."""
    repos: dict[str, str] = {}
    ids: dict[str, None] = {}
    web: dict[str, str] = {}
    for url in corpus_urls(corpus):
        host = host_of(url)
        if host in ("github.com", "www.github.com"):
            if repo := repo_of(url):
                repos.setdefault(repo.lower(), repo)
        elif host in ("arxiv.org", "browse.arxiv.org"):
            if aid := arxiv_id_of(url):
                ids.setdefault(aid)
        elif (host not in SPECIAL_HOSTS and not host.endswith(OTHER_HOSTS)
              and url.startswith("https://")
              and SIMPLE_PATH.match("/" + url.split("/", 3)[-1]) and url.count("/") > 3):
            web.setdefault(normal(url), url)
    return Pool(tuple(repos.values()), tuple(ids), tuple(web.values()))
