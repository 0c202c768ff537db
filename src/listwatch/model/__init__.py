"""The values every stage shares: documents' spans, links and entries; verdicts;
facts from the services; proposals. Frozen dataclasses; this package imports no stage.
"""

from listwatch.model.cache import CacheEntry, FactCache
from listwatch.model.document import Edit, Entry, LabelledLink, Link, Span
from listwatch.model.facts import DoiFacts, PaperFacts, Publication, RepoFacts
from listwatch.model.proposal import KINDS, Kind, Proposal
from listwatch.model.verdict import (
    FAILURE_STATUSES,
    OK_STATUSES,
    SEVERITY,
    STATUSES,
    Hop,
    Status,
    Verdict,
    as_status,
)

__all__ = [
    "FAILURE_STATUSES",
    "KINDS",
    "OK_STATUSES",
    "SEVERITY",
    "STATUSES",
    "CacheEntry",
    "DoiFacts",
    "Edit",
    "Entry",
    "FactCache",
    "Hop",
    "Kind",
    "LabelledLink",
    "Link",
    "PaperFacts",
    "Proposal",
    "Publication",
    "RepoFacts",
    "Span",
    "Status",
    "Verdict",
    "as_status",
]
