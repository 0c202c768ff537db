"""Hidden markers that let a later run recognise what an earlier one wrote on GitHub.

Every step of publishing is derived from GitHub's state, so the markers are the
memory: the proposal ids a pull request carried (a closed one declines them),
the dashboard issue of a target, the comment left on a branch a person pushed to,
and the trailer on listwatch's own commits. Markers are HTML comments: GitHub
renders them invisibly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PROPOSALS = "listwatch:proposals"
DASHBOARD = "listwatch:dashboard"
LEFT_ALONE = "listwatch:left-alone"
SUGGESTION = "listwatch:suggestion"
CLOSED = "listwatch:closed"
# A git trailer on every commit listwatch makes (with its committer identity, how a
# run tells its own commits from a person's).
COMMIT_TRAILER = "Generated-by: listwatch"

_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
_SHA = re.compile(r"^[0-9a-f]{40}$")


def _comment(name: str, words: Iterable[str] = ()) -> str:
    text = " ".join([name, *words])
    return f"<!-- {text} -->"


def _words(text: str, name: str) -> list[list[str]]:
    """The words of every ``<!-- name … -->`` comment in ``text``, in order."""
    pattern = re.compile(rf"<!--\s*{re.escape(name)}(?=\s|-->)(.*?)-->", re.S)
    return [match.group(1).split() for match in pattern.finditer(text)]


def proposals_marker(ids: Iterable[str]) -> str:
    """The marker listing a pull request's proposal ids (sorted, deduplicated)."""
    return _comment(PROPOSALS, sorted(set(ids)))


def _marked(bodies: Iterable[str], name: str, form: re.Pattern[str]) -> frozenset[str]:
    """The words of every ``name`` marker in ``bodies`` that have the expected ``form``
    (so text a person edited in cannot smuggle arbitrary strings into the store)."""
    return frozenset(word for body in bodies for words in _words(body, name)
                     for word in words if form.match(word))


def proposal_ids(body: str | None) -> frozenset[str]:
    """The proposal ids in a pull request body's marker (none when there is no marker)."""
    return _marked([body or ""], PROPOSALS, _ID)


def closed_marker() -> str:
    """The marker listwatch adds to a pull request it closes itself (nothing left to
    change): such a pull request declined nothing."""
    return _comment(CLOSED)


def closed_by_listwatch(body: str | None) -> bool:
    return bool(_words(body or "", CLOSED))


def dashboard_marker(repository: str) -> str:
    """The marker of the dashboard issue of ``repository`` (``owner/name``)."""
    return _comment(DASHBOARD, [repository.lower()])


def is_dashboard(body: str | None, repository: str) -> bool:
    return any(words == [repository.lower()] for words in _words(body or "", DASHBOARD))


def left_alone_marker(head_sha: str) -> str:
    """The marker of the comment saying a person's branch head was left alone."""
    return _comment(LEFT_ALONE, [head_sha])


def left_alone_heads(bodies: Iterable[str]) -> frozenset[str]:
    """Branch heads already commented on (so the same head is never commented twice)."""
    return _marked(bodies, LEFT_ALONE, _SHA)


def suggestion_marker(proposal_id: str) -> str:
    """The marker of a review comment that suggests ``proposal_id``."""
    return _comment(SUGGESTION, [proposal_id])


def suggestion_ids(bodies: Iterable[str]) -> frozenset[str]:
    """The proposal ids already suggested in these review comments."""
    return _marked(bodies, SUGGESTION, _ID)


def has_commit_trailer(message: str) -> bool:
    """True when a commit message carries listwatch's trailer in its last paragraph."""
    last = message.rstrip().rsplit("\n\n", 1)[-1]
    return any(line.strip() == COMMIT_TRAILER for line in last.splitlines())
