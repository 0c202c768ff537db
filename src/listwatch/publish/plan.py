"""What to do on GitHub for one target, decided from what GitHub shows now.

Every step is derived from GitHub's state, never from memory of an earlier run, so
a run killed anywhere (after the commit, before the pull request) is finished by
the next one: the branch is found and the pull request opened, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BranchAction = Literal["create", "update", "keep", "delete", "leave-alone", "none"]
PullAction = Literal["create", "update", "unchanged", "close", "none"]


@dataclass(frozen=True)
class BranchState:
    """The update branch as it is: ``head`` is None when it does not exist.

    ``ours``: every commit on it since the base was made by listwatch. ``current``:
    it is based on the base's current head and holds exactly the wanted files.
    """

    head: str | None
    ours: bool = True
    current: bool = False


@dataclass(frozen=True)
class PullState:
    """An open pull request from the update branch, as GitHub shows it."""

    number: int
    url: str
    title: str
    body: str
    draft: bool = False


@dataclass(frozen=True)
class Plan:
    """The steps of one publication, in order: branch, pull request, comment."""

    branch: BranchAction
    pull: PullAction
    comment_left_alone: bool = False

    @property
    def commits(self) -> bool:
        return self.branch in ("create", "update")


def decide(branch: BranchState, pull: PullState | None, *, has_changes: bool, title: str,
           body: str, commented_heads: frozenset[str] = frozenset()) -> Plan:
    """The plan for a target whose wanted change set is empty or not (``has_changes``)."""
    if branch.head is not None and not branch.ours:
        # A person pushed to the branch: never overwrite or delete their work, and say
        # so once per head of theirs.
        comment = pull is not None and branch.head not in commented_heads
        return Plan(branch="leave-alone", pull="none", comment_left_alone=comment)
    if not has_changes:
        if pull is not None:
            return Plan(branch="delete", pull="close")
        return Plan(branch="delete" if branch.head is not None else "none", pull="none")
    if branch.head is None:
        step: BranchAction = "create"
    else:
        step = "keep" if branch.current else "update"
    if pull is None:
        return Plan(branch=step, pull="create")
    same = pull.title == title and pull.body == body
    return Plan(branch=step, pull="unchanged" if same else "update")
