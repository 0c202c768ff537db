"""The publication plan, decided from GitHub's state alone."""

from __future__ import annotations

import pytest

from listwatch.publish.plan import BranchState, Plan, PullState, decide

PR = PullState(number=7, url="https://github.com/o/l/pull/7", title="T", body="B")
HEAD = "c" * 40


def _decide(branch: BranchState, pull: PullState | None = None, *, has_changes: bool = True,
            title: str = "T", body: str = "B", commented: frozenset[str] = frozenset()) -> Plan:
    return decide(branch, pull, has_changes=has_changes, title=title, body=body,
                  commented_heads=commented)


def test_first_run_creates_branch_and_pull_request() -> None:
    plan = _decide(BranchState(head=None))
    assert plan == Plan(branch="create", pull="create") and plan.commits


def test_same_facts_push_nothing_and_leave_the_pull_request() -> None:
    plan = _decide(BranchState(head=HEAD, current=True), PR)
    assert plan == Plan(branch="keep", pull="unchanged") and not plan.commits


def test_new_facts_or_a_moved_base_update_the_same_pull_request() -> None:
    assert _decide(BranchState(head=HEAD, current=False), PR, body="B2") == Plan(
        branch="update", pull="update")
    assert _decide(BranchState(head=HEAD, current=False), PR) == Plan(
        branch="update", pull="unchanged")


def test_crash_between_commit_and_pull_request_is_finished_next_run() -> None:
    # The branch was pushed, the pull request never opened: open it, push nothing.
    assert _decide(BranchState(head=HEAD, current=True)) == Plan(branch="keep", pull="create")


@pytest.mark.parametrize("changes", [True, False])
def test_a_persons_commit_is_left_alone_with_one_comment(changes: bool) -> None:
    theirs = BranchState(head=HEAD, ours=False)
    assert _decide(theirs, PR, has_changes=changes) == Plan(
        branch="leave-alone", pull="none", comment_left_alone=True)
    assert _decide(theirs, PR, has_changes=changes, commented=frozenset({HEAD})) == Plan(
        branch="leave-alone", pull="none", comment_left_alone=False)
    assert _decide(theirs, None, has_changes=changes).comment_left_alone is False


def test_nothing_to_change_closes_and_deletes() -> None:
    assert _decide(BranchState(head=HEAD), PR, has_changes=False) == Plan(
        branch="delete", pull="close")
    assert _decide(BranchState(head=HEAD), None, has_changes=False) == Plan(
        branch="delete", pull="none")
    assert _decide(BranchState(head=None), None, has_changes=False) == Plan(
        branch="none", pull="none")
