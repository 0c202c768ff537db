"""moved: follow permanent moves of pages and renames of GitHub repositories.

A link moves when every hop of its redirect chain is 301 or 308, or when
GitHub reports the repository under a new name (deep links such as
``/tree/branch/path`` follow the rename). Path, query and fragment are kept.
No change for temporary redirects, a differing trailing slash, a case-only
GitHub rename, a bare ``http`` → ``https`` upgrade (that is ``normalise``) or a
redirect that lands on a site's front page or a login page (a soft 404). The
target is then put in canonical form (see ``normalise``), so the two kinds
never fight over one URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from listwatch.identifiers import github_repo
from listwatch.markdown.style import HouseStyle
from listwatch.model import Link, Proposal
from listwatch.proposals.inputs import ProposalInputs
from listwatch.proposals.rules import normalise
from listwatch.proposals.rules.common import make, source, verdict_for, write_url
from listwatch.proposals.urls import fragment, https_twin, is_root, same_resource, with_fragment

PERMANENT = frozenset({301, 308})
_LOGIN = re.compile(r"/(login|signin|sign-in|sign_in|auth|sso)(/|$|\?)", re.I)


# (target, reason, evidence URLs; None where a source has none)
_Move = tuple[str, str, tuple[str | None, ...]]


def _renamed(link: Link, inputs: ProposalInputs) -> _Move | None:
    repo = github_repo(link.resolved)
    if repo is None:
        return None
    facts = inputs.repo(repo.full_name)
    if facts is None or not facts.exists or not facts.name_with_owner:
        return None
    if facts.name_with_owner.lower() == repo.key:
        return None
    target = f"https://github.com/{facts.name_with_owner}{repo.tail}"
    reason = f"The GitHub repository {repo.full_name} is now {facts.name_with_owner}."
    return target, reason, (facts.api_url,
                            facts.url or f"https://github.com/{facts.name_with_owner}")


def _redirected(link: Link, inputs: ProposalInputs) -> _Move | None:
    verdict = verdict_for(inputs, link.resolved)
    if verdict is None or not verdict.final_url or not verdict.permanent:
        return None
    if verdict.chain and any(hop.http_status not in PERMANENT for hop in verdict.chain):
        return None
    old, new = link.resolved, with_fragment(verdict.final_url, fragment(link.resolved))
    twin = https_twin(old)
    if same_resource(old, new) or (twin is not None and same_resource(twin, new)):
        return None
    if (is_root(new) and not is_root(old)) or _LOGIN.search(urlsplit(new).path):
        return None
    was, now = github_repo(old), github_repo(new)
    if was and now and was.tail == now.tail and was.key == now.key:
        return None
    codes = "/".join(str(hop.http_status) for hop in verdict.chain) or "permanent"
    reason = f"The page moved permanently ({codes}) to a new address."
    return new, reason, (verdict.url, *(hop.url for hop in verdict.chain), verdict.final_url)


def propose(inputs: ProposalInputs, style: HouseStyle) -> Iterator[Proposal]:
    for doc in inputs.documents:
        for link in inputs.links_of(doc.path):
            if not link.is_web or link.kind == "reference":
                continue
            found = _renamed(link, inputs) or _redirected(link, inputs)
            if found is None:
                continue
            target, reason, evidence = found
            confidence = 0.95
            tidy = normalise.new_link(target, inputs)
            if tidy is not None:
                target = tidy.url
                reason = f"{reason[:-1]}; written in canonical form."
                evidence = (*evidence, *tidy.evidence)
            old = source(doc, link.span)
            new = write_url(style, link, target)
            if new == old:
                continue
            yield make("moved", doc, link.span, old, new, reason=reason, evidence=evidence,
                       confidence=confidence, line=link.line)
