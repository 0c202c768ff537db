"""The remote services listwatch asks, as values: accounting key, label, host, errors."""

from __future__ import annotations

from dataclasses import dataclass

from listwatch import errors


@dataclass(frozen=True)
class Service:
    """One remote API.

    ``key`` names it in the report's ``requests``; ``label`` starts its messages;
    ``host`` is where its limits apply; ``error`` and ``rate_limited`` are what a
    failure raises.
    """

    key: str
    label: str
    host: str
    error: type[errors.ServiceError]
    rate_limited: type[errors.ServiceError]

    def fail(self, message: str, *, status: int | None = None,
             rate_limited: bool = False) -> errors.ServiceError:
        """The error to raise for ``message`` (which should already name the service)."""
        kind = self.rate_limited if rate_limited else self.error
        return kind(message, status=status)


GITHUB = Service("github", "api.github.com", "api.github.com", errors.GitHubError,
                 errors.GitHubRateLimited)
# Reading the list itself (targets): GitHub too, but not part of the facts count.
GITHUB_LIST = Service("list", "GitHub API", "api.github.com", errors.GitHubError,
                      errors.GitHubRateLimited)
# Publishing: branches, commits, pull requests, the dashboard issue.
GITHUB_PUBLISH = Service("github_publish", "GitHub API", "api.github.com", errors.GitHubError,
                         errors.GitHubRateLimited)
ARXIV = Service("arxiv", "export.arxiv.org", "export.arxiv.org", errors.ArxivError,
                errors.ArxivRateLimited)
DBLP = Service("dblp", "dblp.org", "dblp.org", errors.DblpError, errors.DblpRateLimited)
SEMANTIC_SCHOLAR = Service("semantic_scholar", "api.semanticscholar.org",
                           "api.semanticscholar.org", errors.SemanticScholarError,
                           errors.SemanticScholarRateLimited)
CROSSREF = Service("crossref", "api.crossref.org", "api.crossref.org", errors.CrossrefError,
                   errors.CrossrefRateLimited)
WAYBACK = Service("wayback", "archive.org", "archive.org", errors.WaybackError,
                  errors.WaybackRateLimited)
