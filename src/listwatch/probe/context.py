"""What the probe knows besides the URLs: facts, the repository tree, cached OKs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from listwatch.model import DoiFacts, PaperFacts, RepoFacts, Verdict

Resolver = Callable[[str], Awaitable[Sequence[str]]]


async def _no_dois() -> Mapping[str, DoiFacts]:
    return {}


@dataclass(frozen=True)
class Arriving:
    """Facts still on their way when probing starts (the sources run beside the probe).

    A link that needs them waits for them; every other link is probed at once.
    ``repos()`` gives what ``ProbeContext.repo_facts`` would hold; ``papers()`` the
    ``paper_facts`` and ``arxiv_missing`` pair; ``dois()`` the ``doi_facts``. Each may
    be awaited many times.
    """

    repos: Callable[[], Awaitable[Mapping[str, RepoFacts]]]
    papers: Callable[[], Awaitable[tuple[Mapping[str, PaperFacts], frozenset[str]]]]
    dois: Callable[[], Awaitable[Mapping[str, DoiFacts]]] = _no_dois


@dataclass(frozen=True)
class ProbeContext:
    """Inputs to ``probe_urls`` other than the URLs and the config.

    - ``repo_facts``: GitHub facts keyed by lowercase ``owner/name`` as linked.
    - ``paper_facts``: arXiv facts keyed by id without version.
    - ``arxiv_missing``: ids the arXiv API was asked about and did not know
      (their links are broken); ids in neither mapping are checked over HTTP.
    - ``doi_facts``: DOIs Crossref lists, by lower-case DOI (their links are OK); other
      DOIs go to the doi.org handle API.
    - ``repo_paths``: repository-relative posix paths that exist (None: unknown).
    - ``read_repo_file``: text of a repository file, for ``#fragment`` checks.
    - ``ok_cache``: fresh OK verdicts (see ``flakiness.fresh_ok``); not re-requested.
    - ``proxy``: whether requests go through a proxy (None: ask the environment).
    - ``resolve``: host name → addresses (None: ``getaddrinfo``); for tests.
    - ``arriving``: facts still being fetched; when set, it replaces ``repo_facts``,
      ``paper_facts``, ``arxiv_missing`` and ``doi_facts``.
    """

    now: datetime
    repo_facts: Mapping[str, RepoFacts] = field(default_factory=dict)
    paper_facts: Mapping[str, PaperFacts] = field(default_factory=dict)
    arxiv_missing: frozenset[str] = frozenset()
    doi_facts: Mapping[str, DoiFacts] = field(default_factory=dict)
    repo_paths: frozenset[str] | None = None
    read_repo_file: Callable[[str], str | None] | None = None
    ok_cache: Mapping[str, Verdict] = field(default_factory=dict)
    proxy: bool | None = None
    resolve: Resolver | None = None
    arriving: Arriving | None = field(default=None, compare=False)
