"""github.com repository links (and deep links) judged from the GitHub API's facts.

The evidence is the facts' own REST URL (``RepoFacts.api_url``), so it names
the API that was asked (api.github.com or a GitHub Enterprise host).
"""

from __future__ import annotations

from collections.abc import Mapping

from listwatch.identifiers import github_repo
from listwatch.model import Hop, RepoFacts, Verdict


def verify(url: str, facts: Mapping[str, RepoFacts]) -> Verdict | None:
    """The verdict from GitHub facts, or None when there are none (check over HTTP)."""
    link = github_repo(url)
    if link is None:
        return None
    repo = facts.get(link.key)
    if repo is None:
        return None
    evidence = (repo.api_url,) if repo.api_url else ()
    if not repo.exists:
        where = f" (GitHub API: {repo.api_url})" if repo.api_url else ""
        return Verdict(url=url, status="broken", via="github-api", evidence=evidence,
                       detail=f"repository {link.owner}/{link.name} not found{where}")
    if repo.disabled:
        return Verdict(url=url, status="broken", via="github-api", evidence=evidence,
                       detail="repository disabled by GitHub")
    notes = []
    if repo.archived:
        notes.append("archived (read-only)")
    if link.rest.strip("/"):
        notes.append("repository exists; the path inside it was not checked")
    if repo.renamed and repo.name_with_owner:
        final = f"https://github.com/{repo.name_with_owner}{link.tail}"
        detail = f"repository renamed to {repo.name_with_owner}; moved permanently to {final}"
        return Verdict(url=url, status="redirect", http_status=301, final_url=final,
                       permanent=True, via="github-api", evidence=evidence,
                       detail="; ".join([detail, *notes]), chain=(Hop(url, 301, final),))
    return Verdict(url=url, status="ok", via="github-api", evidence=evidence,
                   detail="; ".join(notes))
