"""Facts become proposals: small edits in the list's own style, with reason and evidence.

``propose(ProposalInputs(...))`` runs one rule per kind of change
(``rules/``), then ``engine`` resolves conflicts so the applicable proposals
never overlap.
"""

from listwatch.proposals.engine import propose
from listwatch.proposals.inputs import ProposalInputs

__all__ = ["ProposalInputs", "propose"]
