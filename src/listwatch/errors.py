"""The error hierarchy: what the CLI turns into one clear line.

Every error a user can cause or meet (bad config, a missing file, a service that
is down) is a ``ListwatchError`` whose message says what and where, on one line,
without a traceback and without secrets (no tokens, no Authorization headers).
``exit_code`` is what the CLI exits with.

A broken invariant inside listwatch is an ``InternalError`` instead: a bug to
report, not something the user did.

    ListwatchError (2)
    ├── InputError
    ├── ConfigError
    └── ServiceError (3)
        ├── RateLimited                 (mixin flavour: throttled, gave up waiting)
        ├── GitHubError ── GitHubRateLimited
        ├── ArxivError ── ArxivRateLimited
        ├── DblpError ── DblpRateLimited
        ├── SemanticScholarError ── SemanticScholarRateLimited
        ├── CrossrefError ── CrossrefRateLimited
        └── WaybackError ── WaybackRateLimited
    InternalError (70, not a ListwatchError)
"""

from __future__ import annotations


class ListwatchError(Exception):
    """Base class; ``str(err)`` is the one-line message shown to the user."""

    exit_code = 2


class InputError(ListwatchError):
    """A file or path given by the user cannot be read as a list."""


class ConfigError(ListwatchError):
    """config.toml is missing, malformed, or has a bad key or value."""


class ServiceError(ListwatchError):
    """A remote service failed in a way that stops the run or a source.

    ``status`` is the last HTTP status seen, when there was one.
    """

    exit_code = 3

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class RateLimited(ServiceError):
    """The service throttled us (429, or 403 with ``Retry-After``) beyond what we wait."""


class GitHubError(ServiceError):
    """api.github.com (or GitHub Enterprise), raw.githubusercontent.com."""


class GitHubRateLimited(GitHubError, RateLimited):
    """GitHub's rate limit (primary or secondary)."""


class ArxivError(ServiceError):
    """export.arxiv.org."""


class ArxivRateLimited(ArxivError, RateLimited):
    """export.arxiv.org throttled us."""


class DblpError(ServiceError):
    """dblp.org."""


class DblpRateLimited(DblpError, RateLimited):
    """dblp.org throttled us."""


class SemanticScholarError(ServiceError):
    """api.semanticscholar.org."""


class SemanticScholarRateLimited(SemanticScholarError, RateLimited):
    """api.semanticscholar.org throttled us."""


class CrossrefError(ServiceError):
    """api.crossref.org."""


class CrossrefRateLimited(CrossrefError, RateLimited):
    """api.crossref.org throttled us."""


class WaybackError(ServiceError):
    """archive.org's availability API."""


class WaybackRateLimited(WaybackError, RateLimited):
    """archive.org throttled us."""


class InternalError(Exception):
    """A broken internal invariant: a bug in listwatch, never the user's doing."""

    exit_code = 70
