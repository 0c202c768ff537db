"""Publishing one target: fork if needed, commit without a clone, one pull request,
review suggestions, the dashboard issue.

``observe`` reads what GitHub shows (push access, the fork, the update branch's
pull requests); ``record_declines`` turns pull requests closed without merging into
declined proposal ids before anything is proposed; ``publish`` then carries out the
plan of ``plan.decide``. Synchronous (PyGithub): the pipeline runs it in a thread.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from listwatch.config import Config
from listwatch.errors import GitHubError
from listwatch.net import clock
from listwatch.publish import markers
from listwatch.publish.commit_message import commit_message
from listwatch.publish.dashboard import DashboardDraft
from listwatch.publish.github_api import GitHubAPI, path
from listwatch.publish.model import Outcome, PublishAction, Published, TargetChanges
from listwatch.publish.plan import BranchState, Plan, PullState, decide
from listwatch.publish.suggestions import Suggestion

# How long a new fork may take before GitHub serves its git data.
FORK_WAIT_SECONDS = 300.0
LABEL_COLOR = "0e8a16"


class Declines(Protocol):
    """Where declined proposal ids are remembered (the state store)."""

    def decline(self, proposal_id: str, reason: str, now: datetime | None = None) -> None:
        """Remember that ``proposal_id`` must not be proposed again."""

    def forget_declined(self, proposal_ids: Sequence[str]) -> None:
        """Forget earlier declines of ``proposal_ids`` (their change was merged)."""


@dataclass(frozen=True)
class ClosedPull:
    """A closed pull request of listwatch's from the update branch."""

    number: int
    url: str
    merged: bool
    proposal_ids: frozenset[str]
    by_listwatch: bool = False


@dataclass(frozen=True)
class Observation:
    """What GitHub shows for one target before anything is written."""

    repository: str
    push: bool
    login: str
    head_repository: str
    head_exists: bool
    open_pull: PullState | None
    closed_pulls: tuple[ClosedPull, ...]

    @property
    def head_owner(self) -> str:
        return self.head_repository.split("/", 1)[0]


async def observe(api: GitHubAPI, repository: str, branch: str) -> Observation:
    """Push access, where the branch lives, and the branch's pull requests."""
    owner, name = repository.split("/", 1)
    repo = await api.request("GET", path("repos", owner, name), what=f"read {repository}",
                             need="metadata")
    full = str(repo.get("full_name") or repository)
    push = bool((repo.get("permissions") or {}).get("push"))
    login = await api.login()
    head, exists = full, True
    if not push:
        head = f"{login}/{full.split('/', 1)[1]}"
        fork = await api.request("GET", path("repos", *head.split("/", 1)), what=f"read {head}",
                                 need="metadata", missing_ok=True)
        exists = fork is not None
        if fork is not None and not _forks(fork, full):
            raise GitHubError(f"GitHub: {head} exists but is not a fork of {full}; publishing "
                              "from a fork needs that name free (or push access to the list)")
    owner, name = full.split("/", 1)
    pulls = await api.pages(path("repos", owner, name, "pulls"),
                            what=f"list pull requests of {full}", need="pull-requests",
                            params={"state": "all", "head": f"{head.split('/', 1)[0]}:{branch}"})
    mine = [p for p in pulls if isinstance(p, dict)
            and str((p.get("user") or {}).get("login", "")).lower() == login.lower()]
    mine.sort(key=lambda p: int(p["number"]))
    open_pulls = [p for p in mine if p.get("state") == "open"]
    current = open_pulls[-1] if open_pulls else None
    return Observation(
        repository=full, push=push, login=login, head_repository=head, head_exists=exists,
        open_pull=_pull_state(current) if current else None,
        closed_pulls=tuple(
            ClosedPull(number=int(p["number"]), url=str(p.get("html_url", "")),
                       merged=bool(p.get("merged_at")),
                       proposal_ids=markers.proposal_ids(p.get("body")),
                       by_listwatch=markers.closed_by_listwatch(p.get("body")))
            for p in mine if p.get("state") == "closed"),
    )


def record_declines(observation: Observation, store: Declines, now: datetime) -> Outcome | None:
    """Remember the ids of pull requests closed without merging (a merged one clears its
    ids, one listwatch closed itself declined nothing); returns the latest declined pull
    request when no pull request is open."""
    latest: ClosedPull | None = None
    for pull in observation.closed_pulls:
        if pull.by_listwatch and not pull.merged:
            latest = None
            continue
        if pull.merged:
            store.forget_declined(sorted(pull.proposal_ids))
            latest = None
            continue
        for proposal_id in sorted(pull.proposal_ids):
            store.decline(proposal_id, f"pull request #{pull.number} was closed without "
                          "merging", now)
        latest = pull
    if latest is None or observation.open_pull is not None:
        return None
    return Outcome(action="declined", number=latest.number, url=latest.url)


async def publish(api: GitHubAPI, observation: Observation, change: TargetChanges, *,
            suggestions: Sequence[Suggestion], dashboard: DashboardDraft | None,
            config: Config, dry_run: bool, declined: Outcome | None = None,
            warn: Callable[[str], None] = lambda _: None) -> Published:
    """Carry out (or, with ``dry_run``, only decide) the plan for one target."""
    publisher = _Publisher(api, observation, change, config, warn)
    return await publisher.run(suggestions=suggestions, dashboard=dashboard, dry_run=dry_run,
                         declined=declined)


class _Publisher:
    def __init__(self, api: GitHubAPI, observation: Observation, change: TargetChanges,
                 config: Config, warn: Callable[[str], None]) -> None:
        self.api = api
        self.seen = observation
        self.change = change
        self.config = config
        self.warn = warn
        self.branch = config.pr.branch
        owner, name = observation.repository.split("/", 1)
        self.target = (owner, name)
        self.head = tuple(observation.head_repository.split("/", 1))

    # -- the run ------------------------------------------------------------------

    async def run(self, *, suggestions: Sequence[Suggestion], dashboard: DashboardDraft | None,
            dry_run: bool, declined: Outcome | None) -> Published:
        draft = self.change.pull_request
        has_changes = bool(self.change.files) and draft is not None
        notes: list[str] = []
        if not self.seen.head_exists:
            if dry_run:
                notes.append(f"would fork {self.seen.repository} to "
                             f"{self.seen.head_repository}")
            else:
                await self._fork()
        branch = await self._branch_state() \
            if self.seen.head_exists or not dry_run else BranchState(head=None)
        pull = self.seen.open_pull
        commented = await self._left_alone_heads(pull) if pull and not branch.ours else frozenset()
        plan = decide(branch, pull, has_changes=has_changes,
                      title=draft.title if draft else "", body=draft.body if draft else "",
                      commented_heads=commented)
        if dry_run:
            return self._published(plan, branch.head, self._pull_outcome(plan, pull, declined),
                                   await self._dashboard_outcome(dashboard, dry_run=True),
                                   dry_run=True, notes=notes)
        commit = branch.head
        if plan.commits:
            commit = await self._commit(create=plan.branch == "create")
        number, url = (pull.number, pull.url) if pull else (None, None)
        if plan.pull == "create" and draft is not None:
            number, url = await self._create_pull(draft.title, draft.body)
        elif plan.pull == "update" and pull is not None and draft is not None:
            await self._update_pull(pull.number, draft.title, draft.body)
        elif plan.pull == "close" and pull is not None:
            await self._close_pull(pull)
        if plan.branch == "delete":
            await self._delete_branch()
        if plan.comment_left_alone and pull is not None and branch.head is not None:
            await self._comment_left_alone(pull.number, branch.head)
        if number is not None and commit is not None and plan.pull in ("create", "update",
                                                                       "unchanged"):
            await self._post_suggestions(number, commit, suggestions)
        outcome = self._pull_outcome(plan, pull, declined, number=number, url=url)
        return self._published(plan, commit if plan.branch != "delete" else None, outcome,
                               await self._dashboard_outcome(dashboard, dry_run=False),
                               dry_run=False, notes=notes)

    def _published(self, plan: Plan, commit: str | None, pull: Outcome, dashboard: Outcome,
                   *, dry_run: bool, notes: list[str]) -> Published:
        if plan.branch == "leave-alone":
            notes.append(f"{self.seen.head_repository}:{self.branch} has commits by someone "
                         "else; left alone")
        return Published(target=self.change.repository, repository=self.seen.head_repository,
                         branch=self.branch, push="target" if self.seen.push else "fork",
                         commit=commit, pull_request=pull, dashboard=dashboard,
                         dry_run=dry_run, notes=tuple(notes), pushed=plan.commits)

    @staticmethod
    def _pull_outcome(plan: Plan, pull: PullState | None, declined: Outcome | None, *,
                      number: int | None = None, url: str | None = None) -> Outcome:
        if plan.pull == "create":
            return Outcome("created", number, url)
        if plan.pull == "update" and pull is not None:
            return Outcome("updated", pull.number, pull.url)
        if plan.pull == "unchanged" and pull is not None:
            # Same title and body, but a new commit on its branch still updates it.
            action: PublishAction = "updated" if plan.commits else "unchanged"
            return Outcome(action, pull.number, pull.url)
        if plan.pull == "close" and pull is not None:
            return Outcome("closed", pull.number, pull.url)
        if plan.branch == "leave-alone" and pull is not None:
            return Outcome("left-alone", pull.number, pull.url)
        return declined or Outcome("none")

    # -- the fork -------------------------------------------------------------------

    async def _fork(self) -> None:
        owner, name = self.target
        await self.api.request("POST", path("repos", owner, name, "forks"),
                               what=f"fork {self.seen.repository}", need="contents", body={})
        deadline = time.monotonic() + FORK_WAIT_SECONDS
        pause = 1.0
        while True:
            if await self._base_in_head() is not None:
                return
            if time.monotonic() + pause > deadline:
                raise GitHubError(f"GitHub: the fork {self.seen.repository} → "
                                  f"{self.seen.head_repository} is not ready after "
                                  f"{FORK_WAIT_SECONDS:.0f} s; run again later")
            await clock.sleep(pause)
            pause = min(pause * 2, 30.0)

    async def _base_in_head(self) -> Any:
        base = self.change.base or ""
        return await self.api.request("GET", path("repos", *self.head, "branches", base),
                                      what=f"read {self.seen.head_repository}", need="contents",
                                      missing_ok=True)

    async def _sync_fork(self) -> None:
        """Bring the fork's base branch up to the list's (best effort: the commit objects
        of a fork network are shared, so a diverged fork still works)."""
        try:
            await self.api.request("POST", path("repos", *self.head, "merge-upstream"),
                                   what=f"sync {self.seen.head_repository}", need="contents",
                                   body={"branch": self.change.base})
        except GitHubError as exc:
            if exc.status not in (409, 422):
                raise

    # -- the branch -------------------------------------------------------------------

    async def _branch_state(self) -> BranchState:
        ref = await self.api.request("GET", path("repos", *self.head, "git", "ref", "heads") +
                                     "/" + _ref_path(self.branch),
                                     what=f"read the branch {self.branch}", need="contents",
                                     missing_ok=True)
        if ref is None:
            return BranchState(head=None)
        head = str(ref["object"]["sha"])
        # Compared in the head repository against the list's commit: a fork network
        # shares its commits, so the fork needs no sync (a write) just to be read.
        compared = await self.api.request(
            "GET", path("repos", *self.head, "compare", f"{self.change.commit}...{head}"),
            what=f"compare {self.branch} with {self.change.base}", need="contents")
        commits = compared.get("commits") or []
        ours = all(self._ours(commit) for commit in commits)
        files = {str(f.get("filename")): f.get("sha") for f in compared.get("files") or []
                 if f.get("status") != "removed"}
        wanted = {f.path: _blob_sha(f.new) for f in self.change.files}
        current = (compared.get("behind_by") == 0 and bool(commits) and files == wanted
                   and not any(f.get("status") == "removed"
                               for f in compared.get("files") or []))
        return BranchState(head=head, ours=ours, current=current)

    def _ours(self, commit: dict[str, Any]) -> bool:
        detail = commit.get("commit") or {}
        if not markers.has_commit_trailer(str(detail.get("message", ""))):
            return False
        author = self.config.pr.author
        if author:
            email = author.rsplit("<", 1)[1].rstrip(">")
            return str((detail.get("author") or {}).get("email", "")).lower() == email.lower()
        return str((commit.get("author") or {}).get("login", "")).lower() == \
            self.seen.login.lower()

    async def _commit(self, *, create: bool) -> str:
        if not self.seen.push:
            await self._sync_fork()
        entries = []
        for change in self.change.files:
            blob = await self.api.request("POST", path("repos", *self.head, "git", "blobs"),
                                          what="upload a file", need="contents",
                                          body={"content": change.new, "encoding": "utf-8"})
            entries.append({"path": change.path, "mode": "100644", "type": "blob",
                            "sha": blob["sha"]})
        tree = await self.api.request("POST", path("repos", *self.head, "git", "trees"),
                                      what="write a tree", need="contents",
                                      body={"base_tree": self.change.tree, "tree": entries})
        body: dict[str, Any] = {"message": commit_message(self.change.proposals),
                                "tree": tree["sha"], "parents": [self.change.commit]}
        if self.config.pr.author:
            name, email = self.config.pr.author.rsplit("<", 1)
            body["author"] = {"name": name.strip(), "email": email.rstrip(">")}
        commit = await self.api.request("POST", path("repos", *self.head, "git", "commits"),
                                        what="write a commit", need="contents", body=body)
        sha = str(commit["sha"])
        ref = path("repos", *self.head, "git", "refs", "heads") + "/" + _ref_path(self.branch)
        if create:
            try:
                await self.api.request("POST", path("repos", *self.head, "git", "refs"),
                                       what=f"create the branch {self.branch}", need="contents",
                                       body={"ref": f"refs/heads/{self.branch}", "sha": sha})
                return sha
            except GitHubError as exc:
                if exc.status != 422:  # "Reference already exists": a run that crashed
                    raise
        await self.api.request("PATCH", ref, what=f"update the branch {self.branch}",
                               need="contents", body={"sha": sha, "force": True})
        return sha

    async def _delete_branch(self) -> None:
        ref = path("repos", *self.head, "git", "refs", "heads") + "/" + _ref_path(self.branch)
        try:
            await self.api.request("DELETE", ref, what=f"delete the branch {self.branch}",
                                   need="contents")
        except GitHubError as exc:
            if exc.status != 422:  # already gone
                raise

    # -- the pull request --------------------------------------------------------------

    def _head_spec(self) -> str:
        return self.branch if self.seen.push else f"{self.seen.head_owner}:{self.branch}"

    async def _create_pull(self, title: str, body: str) -> tuple[int, str]:
        owner, name = self.target
        try:
            created = await self.api.request(
                "POST", path("repos", owner, name, "pulls"), what="open the pull request",
                need="pull-requests",
                body={"title": title, "body": body, "head": self._head_spec(),
                      "base": self.change.base, "draft": self.config.pr.draft,
                      "maintainer_can_modify": True})
        except GitHubError as exc:
            if exc.status != 422:
                raise
            existing = await self._find_open_pull()
            if existing is None:
                raise
            await self._update_pull(existing.number, title, body)
            return existing.number, existing.url
        number, url = int(created["number"]), str(created.get("html_url", ""))
        await self._decorate(number)
        return number, url

    async def _find_open_pull(self) -> PullState | None:
        owner, name = self.target
        found = await self.api.pages(path("repos", owner, name, "pulls"),
                                     what="list pull requests", need="pull-requests",
                                     params={"state": "open",
                                       "head": f"{self.seen.head_owner}:{self.branch}"})
        return _pull_state(found[-1]) if found else None

    async def _update_pull(self, number: int, title: str, body: str) -> None:
        owner, name = self.target
        await self.api.request("PATCH", path("repos", owner, name, "pulls", str(number)),
                               what=f"update pull request #{number}", need="pull-requests",
                               body={"title": title, "body": body})

    async def _close_pull(self, pull: PullState) -> None:
        owner, name = self.target
        number = pull.number
        await self._comment(number, "Nothing is left to change: every change this pull request "
                              "proposed is in the list now or no longer applies. Closing it.")
        # The marker tells later runs that no one declined these changes.
        await self.api.request("PATCH", path("repos", owner, name, "pulls", str(number)),
                               what=f"close pull request #{number}", need="pull-requests",
                               body={"state": "closed",
                                     "body": f"{pull.body}\n{markers.closed_marker()}\n"})

    async def _comment(self, number: int, text: str) -> None:
        owner, name = self.target
        await self.api.request("POST", path("repos", owner, name, "issues", str(number),
                                            "comments"),
                               what=f"comment on #{number}", need="issues", body={"body": text})

    async def _left_alone_heads(self, pull: PullState) -> frozenset[str]:
        owner, name = self.target
        comments = await self.api.pages(path("repos", owner, name, "issues", str(pull.number),
                                       "comments"),
                                        what=f"read the comments of #{pull.number}", need="issues")
        return markers.left_alone_heads(str(c.get("body", "")) for c in comments
                                        if isinstance(c, dict))

    async def _comment_left_alone(self, number: int, head: str) -> None:
        await self._comment(number, (
            f"The branch `{self.branch}` has commits that listwatch did not make, so "
            "listwatch leaves it alone and will not update this pull request. To let "
            "listwatch take it over again, delete the branch or close this pull request.\n\n"
            f"{markers.left_alone_marker(head)}"))

    async def _decorate(self, number: int) -> None:
        """Labels, assignees and reviewers of a new pull request."""
        owner, name = self.target
        pr = self.config.pr
        labels = [label for label in pr.labels if await self._ensure_label(label)]
        if labels:
            await self._optional(lambda: self.api.request(
                "POST", path("repos", owner, name, "issues", str(number), "labels"),
                what=f"label #{number}", need="issues", body={"labels": labels}),
                "the pull request was not labelled")
        if pr.assignees:
            await self._optional(lambda: self.api.request(
                "POST", path("repos", owner, name, "issues", str(number), "assignees"),
                what=f"assign #{number}", need="issues",
                body={"assignees": list(pr.assignees)}), "no one was assigned")
        if pr.reviewers:
            await self._optional(lambda: self.api.request(
                "POST", path("repos", owner, name, "pulls", str(number), "requested_reviewers"),
                what=f"request reviews on #{number}", need="pull-requests",
                body={"reviewers": list(pr.reviewers)}), "no review was requested")

    async def _ensure_label(self, label: str) -> bool:
        owner, name = self.target
        try:
            found = await self.api.request("GET", path("repos", owner, name, "labels", label),
                                           what=f"read the label {label}", need="issues",
                                           missing_ok=True)
            if found is None:
                try:
                    await self.api.request("POST", path("repos", owner, name, "labels"),
                                           what=f"create the label {label}", need="issues",
                                           body={"name": label, "color": LABEL_COLOR})
                except GitHubError as exc:
                    if exc.status != 422:  # created meanwhile
                        raise
        except GitHubError as exc:
            if exc.status in (403, 404) and not self.seen.push:
                self.warn(f"GitHub: no permission to label pull requests on "
                          f"{self.seen.repository}; labels skipped")
                return False
            raise
        return True

    async def _optional(self, call: Callable[[], Awaitable[Any]], consequence: str) -> None:
        """A courtesy step a fork's token may not be allowed: warn, do not fail."""
        try:
            await call()
        except GitHubError as exc:
            if exc.status not in (403, 404, 422):
                raise
            self.warn(f"{exc}; {consequence}")

    async def _post_suggestions(self, number: int, commit: str,
                          suggestions: Sequence[Suggestion]) -> None:
        if not suggestions:
            return
        owner, name = self.target
        posted = await self.api.pages(path("repos", owner, name, "pulls", str(number), "comments"),
                                      what=f"read review comments of #{number}",
                                      need="pull-requests")
        done = markers.suggestion_ids(str(c.get("body", "")) for c in posted
                                      if isinstance(c, dict) and c.get("commit_id") == commit)
        todo = [s for s in suggestions if s.proposal_id not in done]
        if not todo:
            return
        comments = []
        for item in todo:
            comment: dict[str, Any] = {"path": item.path, "line": item.line, "side": "RIGHT",
                                       "body": item.body}
            if item.start_line < item.line:
                comment.update(start_line=item.start_line, start_side="RIGHT")
            comments.append(comment)
        await self._optional(lambda: self.api.request(
            "POST", path("repos", owner, name, "pulls", str(number), "reviews"),
            what=f"post review suggestions on #{number}", need="pull-requests",
            body={"commit_id": commit, "event": "COMMENT", "comments": comments,
                  "body": "Changes left for review: commit a suggestion to accept it."}),
            "the suggestions stay in the pull request's body")

    # -- the dashboard ----------------------------------------------------------------

    async def _dashboard_outcome(self, draft: DashboardDraft | None, *, dry_run: bool) -> Outcome:
        if draft is None:
            return Outcome("none")
        owner, name = self.target
        # Found by creator and marker, not by label: GitHub drops the labels of an issue
        # opened without push access (a fork's token), and such a dashboard must be found
        # again all the same.
        found = await self.api.pages(
            path("repos", owner, name, "issues"), what="list issues", need="issues",
            params={"state": "open", "creator": self.seen.login})
        mine = sorted((i for i in found if isinstance(i, dict) and "pull_request" not in i
                       and markers.is_dashboard(i.get("body"), self.seen.repository)),
                      key=lambda i: int(i["number"]))
        current, extra = (mine[0], mine[1:]) if mine else (None, [])
        if dry_run:
            if current is None:
                return Outcome("created" if draft.problems else "none")
            number = int(current["number"])
            if not draft.problems:
                return Outcome("closed", number, current.get("html_url"))
            if current.get("body") == draft.body:
                return Outcome("unchanged", number, current.get("html_url"))
            return Outcome("updated", number, current.get("html_url"))
        for duplicate in extra:  # never two
            await self._edit_issue(int(duplicate["number"]), {"state": "closed"})
        if current is None:
            if not draft.problems:
                return Outcome("none")
            if not await self._ensure_label(draft.label):
                labels: list[str] = []
            else:
                labels = [draft.label]
            created = await self.api.request("POST", path("repos", owner, name, "issues"),
                                             what="open the dashboard issue", need="issues",
                                             body={"title": draft.title, "body": draft.body,
                                             "labels": labels})
            return Outcome("created", int(created["number"]), created.get("html_url"))
        number, url = int(current["number"]), current.get("html_url")
        if not draft.problems:
            await self._edit_issue(number, {"body": draft.body, "state": "closed"})
            return Outcome("closed", number, url)
        if current.get("body") == draft.body and current.get("title") == draft.title:
            return Outcome("unchanged", number, url)
        await self._edit_issue(number, {"title": draft.title, "body": draft.body})
        return Outcome("updated", number, url)

    async def _edit_issue(self, number: int, body: dict[str, Any]) -> None:
        owner, name = self.target
        await self.api.request("PATCH", path("repos", owner, name, "issues", str(number)),
                               what=f"update issue #{number}", need="issues", body=body)


def _pull_state(data: dict[str, Any]) -> PullState:
    return PullState(number=int(data["number"]), url=str(data.get("html_url", "")),
                     title=str(data.get("title", "")), body=str(data.get("body") or ""),
                     draft=bool(data.get("draft")))


def _forks(repo: dict[str, Any], full: str) -> bool:
    if not repo.get("fork"):
        return False
    family = {str((repo.get(key) or {}).get("full_name", "")).lower()
              for key in ("parent", "source")}
    return full.lower() in family


def _ref_path(branch: str) -> str:
    """A branch name inside a refs path: its slashes stay path separators."""
    return "/".join(path(part)[1:] for part in branch.split("/"))


def _blob_sha(text: str) -> str:
    """The git blob id of ``text`` (UTF-8), as GitHub reports it."""
    data = text.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
