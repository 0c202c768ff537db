"""Facts become proposals: small edits in the list's own style, with reason and evidence.

``propose(ProposalInputs(...))`` runs one rule per kind of change
(``rules/``), then ``engine`` resolves conflicts so the applicable proposals
never overlap.

The two names are loaded on first use: a report that explains one rule's verdict
(``rules.moved``) does not load every rule and the engine.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from listwatch.proposals.engine import propose
    from listwatch.proposals.inputs import ProposalInputs

__all__ = ["ProposalInputs", "propose"]

_HOMES = {"propose": "listwatch.proposals.engine", "ProposalInputs": "listwatch.proposals.inputs"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(home), name)
