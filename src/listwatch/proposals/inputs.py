"""Everything the proposal rules read: documents, links, entries, verdicts, facts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from urllib.parse import urlsplit

from listwatch.config import Config
from listwatch.markdown.document import Document
from listwatch.model import Entry, Link, PaperFacts, Publication, RepoFacts, Verdict


@dataclass(frozen=True)
class ProposalInputs:
    """The facts of one run, keyed as the stages produce them.

    ``links`` and ``entries`` are keyed by ``Document.path``; ``verdicts`` by
    resolved URL; ``repos`` by lowercase ``owner/name``; ``papers`` and
    ``publications`` by arXiv id (no version); ``snapshots`` maps a dead URL to
    its Wayback Machine snapshot URL; ``repo_paths`` lists the files of the
    list's repository (to know whether a venue page exists); ``declined`` holds
    ids of proposals the maintainer closed, which are never proposed again.
    """

    documents: tuple[Document, ...]
    config: Config
    links: Mapping[str, tuple[Link, ...]] = field(default_factory=dict)
    entries: Mapping[str, tuple[Entry, ...]] = field(default_factory=dict)
    verdicts: Mapping[str, Verdict] = field(default_factory=dict)
    repos: Mapping[str, RepoFacts] = field(default_factory=dict)
    papers: Mapping[str, PaperFacts] = field(default_factory=dict)
    publications: Mapping[str, Publication] = field(default_factory=dict)
    snapshots: Mapping[str, str] = field(default_factory=dict)
    repo_paths: frozenset[str] = frozenset()
    declined: frozenset[str] = frozenset()
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def document(self, path: str) -> Document:
        """The document at repo-relative ``path``."""
        for doc in self.documents:
            if doc.path == path:
                return doc
        raise KeyError(path)

    def links_of(self, path: str) -> tuple[Link, ...]:
        return tuple(self.links.get(path, ()))

    def entries_of(self, path: str) -> tuple[Entry, ...]:
        return tuple(self.entries.get(path, ()))

    def repo(self, owner_name: str) -> RepoFacts | None:
        return self.repos.get(owner_name.lower())

    @cached_property
    def secure_hosts(self) -> frozenset[str]:
        """Hosts (lowercase) the lists link over https more often than over http."""
        count: Counter[tuple[str, str]] = Counter()
        for links in self.links.values():
            for link in links:
                parts = urlsplit(link.resolved)
                if parts.scheme.lower() in ("http", "https") and parts.hostname:
                    count[(parts.hostname, parts.scheme.lower())] += 1
        return frozenset(host for host, scheme in count
                         if scheme == "https" and count[(host, "https")] > count[(host, "http")])
