"""moved: follow permanent moves of pages and renames of GitHub repositories.

A link moves when every hop of its redirect chain is 301 or 308, or when
GitHub reports the repository under a new name (deep links such as
``/tree/branch/path`` follow the rename). Path, query and fragment are kept.
No change for temporary redirects, a differing trailing slash, a case-only
GitHub rename, a bare ``http`` → ``https`` upgrade (that is ``normalise``) or a
redirect that lands on the same site's front page or a login page (a soft 404).
A redirect to another site's front page (``ai.meta.com/llama/`` →
``www.llama.com/``: often a product's new home) is offered for review, not
applied. ``why_no_edit`` says, for the report, why a moved link got no edit. The
target is then put in canonical form (see ``normalise``), so the two kinds
never fight over one URL.

A badge image that shows a renamed repository (``img.shields.io/github/stars/<owner>/<name>``
and the like) follows the rename too: only its owner/name bytes change, the rest of
the badge URL (style, label, query) stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from listwatch.identifiers import github_repo
from listwatch.markdown.style import HouseStyle
from listwatch.model import Link, Proposal, Verdict
from listwatch.probe.verifiers import badge
from listwatch.proposals.inputs import ProposalInputs
from listwatch.proposals.rules import normalise
from listwatch.proposals.rules.common import make, source, verdict_for, write_url
from listwatch.proposals.urls import fragment, https_twin, is_root, same_resource, with_fragment

PERMANENT = frozenset({301, 308})
_LOGIN = re.compile(r"/(login|signin|sign-in|sign_in|auth|sso)(/|$|\?)", re.I)


# (target, reason, evidence URLs (None where a source has none), for review only)
_Move = tuple[str, str, tuple[str | None, ...], bool]


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
                            facts.url or f"https://github.com/{facts.name_with_owner}"), False


def _site(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def _judge(old: str, verdict: Verdict) -> tuple[str | None, str]:
    """``(target, "")`` for a move worth an edit, ``(target, why)`` for one offered for
    review only, ``(None, why)`` for none (``why`` empty: not a permanent move at all)."""
    if not verdict.final_url or not verdict.permanent:
        return None, ""
    if verdict.chain and any(hop.http_status not in PERMANENT for hop in verdict.chain):
        return None, ""
    new = with_fragment(verdict.final_url, fragment(old))
    twin = https_twin(old)
    if same_resource(old, new) or (twin is not None and same_resource(twin, new)):
        return None, "only a trailing slash, the host's case or http → https differs"
    if _LOGIN.search(urlsplit(new).path):
        return None, "it lands on a login page (a possible soft 404)"
    if is_root(new) and not is_root(old):
        if _site(new) == _site(old):
            return None, "it lands on the site's front page (a possible soft 404)"
        return new, (f"it lands on another site's front page ({_site(new)}): a new home "
                     "or a soft 404, for a person to judge")
    was, now = github_repo(old), github_repo(new)
    if was and now and was.tail == now.tail and was.key == now.key:
        return None, "the same GitHub repository, written differently"
    return new, ""


def why_no_edit(url: str, verdict: Verdict) -> str | None:
    """Why the permanent redirect of ``url`` gets no applied ``moved`` edit (None when it
    gets one, or is no permanent redirect)."""
    return _judge(url, verdict)[1] or None


def _badge_renamed(link: Link, inputs: ProposalInputs) -> _Move | None:
    """A badge of a service (not GitHub's own: that is a github.com link) whose
    repository was renamed; the target is the badge URL showing the new name."""
    shown = badge.parse(link.resolved)
    if shown is None or shown.repo is None or not shown.needs_host_check:
        return None
    facts = inputs.repo(shown.repo)
    if facts is None or not facts.exists or not facts.name_with_owner:
        return None
    if facts.name_with_owner.lower() == shown.repo.lower():
        return None
    target = badge.renamed_url(link.resolved, shown, facts.name_with_owner)
    reason = (f"The badge shows the GitHub repository {shown.repo}, "
              f"which is now {facts.name_with_owner}.")
    return target, reason, (facts.api_url,
                            facts.url or f"https://github.com/{facts.name_with_owner}"), False


def _rewritten(written: str, name: str) -> str | None:
    """The badge URL as written with its repository renamed to ``name`` (every other
    byte kept, escapes and entities included), or None when it cannot be read as is."""
    shown = badge.parse(written)
    if shown is None or shown.repo is None:
        return None
    return badge.renamed_url(written, shown, name)


def _redirected(link: Link, inputs: ProposalInputs) -> _Move | None:
    verdict = verdict_for(inputs, link.resolved)
    if verdict is None:
        return None
    new, why = _judge(link.resolved, verdict)
    if new is None or verdict.final_url is None:
        return None
    codes = "/".join(str(hop.http_status) for hop in verdict.chain) or "permanent"
    reason = f"The page moved permanently ({codes}) to a new address."
    if why:
        reason = f"The page moved permanently ({codes}), but {why}."
    evidence = (verdict.url, *(hop.url for hop in verdict.chain), verdict.final_url)
    return new, reason, evidence, bool(why)


def propose(inputs: ProposalInputs, style: HouseStyle) -> Iterator[Proposal]:
    for doc in inputs.documents:
        for link in inputs.links_of(doc.path):
            if not link.is_web or link.kind == "reference":
                continue
            old = source(doc, link.span)
            moved = _badge_move(link, old, inputs, style) or _move(link, old, inputs, style)
            if moved is None:
                continue
            new, reason, evidence, review = moved
            if new == old:
                continue
            yield make("moved", doc, link.span, old, new, reason=reason, evidence=evidence,
                       confidence=0.5 if review else 0.95, apply=not review,
                       line=link.line)


def _badge_move(link: Link, old: str, inputs: ProposalInputs, style: HouseStyle
                ) -> _Move | None:
    """(new text, reason, evidence, review) for the badge of a renamed repository."""
    found = _badge_renamed(link, inputs)
    if found is None:
        return None
    target, reason, evidence, review = found
    renamed = badge.parse(target)
    name = renamed.repo if renamed is not None and renamed.repo else ""
    new = _rewritten(old, name) or write_url(style, link, target)
    return new, reason, evidence, review


def _move(link: Link, old: str, inputs: ProposalInputs, style: HouseStyle) -> _Move | None:
    """(new text, reason, evidence, review) for a renamed repository or a page moved for
    good."""
    found = _renamed(link, inputs) or _redirected(link, inputs)
    if found is None:
        return None
    target, reason, evidence, review = found
    tidy = normalise.new_link(target, inputs)
    if tidy is not None:
        target = tidy.url
        reason = f"{reason[:-1]}; written in canonical form."
        evidence = (*evidence, *tidy.evidence)
    return write_url(style, link, target), reason, evidence, review
