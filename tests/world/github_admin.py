"""Scenario actions and inspection of the fake GitHub, called through the control API
(``POST http://world.control/github``) by :class:`~.model.GitHubWorld`'s helpers.

Actions do what a person would do on github.com (push a commit as themselves, merge or
close a pull request); inspection reads what the client under test wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import github_common as ghc
from .git_objects import Person
from .github_issues import close
from .github_pulls import base_sha, head_sha, pr_commits, pr_diff
from .github_state import RepoState, iso

if TYPE_CHECKING:
    from .engine import Engine


class AdminError(Exception):
    """A scenario action that cannot be done (unknown repository, merge conflict...)."""


def _repo(engine: Engine, full_name: str) -> tuple[dict[str, Any], RepoState]:
    owner, _, name = full_name.partition("/")
    record, _ = ghc.lookup(engine, owner, name)
    if record is None:
        raise AdminError(f"no repository {full_name}")
    return record, engine.githost.state(record)


def _head(st: RepoState, record: dict[str, Any], branch: str | None) -> str:
    branch = branch or record["default_branch"]
    sha = st.refs.get(f"refs/heads/{branch}")
    if sha is None:
        raise AdminError(f"{record['full_name']} has no branch {branch}")
    return sha


def _person(engine: Engine, author: dict[str, Any] | None) -> Person:
    author = author or {}
    login = author.get("login") or "maintainer"
    email = author.get("email") or f"{login}@users.noreply.github.com"
    engine.githost.logins[email.lower()] = login
    return Person(author.get("name") or login, email, engine.githost.now())


def _commit_dict(engine: Engine, st: RepoState, sha: str) -> dict[str, Any]:
    c = st.store.commit(sha)
    return {
        "sha": sha,
        "tree": c.tree,
        "parents": list(c.parents),
        "message": c.message,
        "author": {
            "name": c.author.name,
            "email": c.author.email,
            "login": engine.githost.logins.get(c.author.email.lower()),
            "date": iso(c.author.when),
        },
        "committer": {"name": c.committer.name, "email": c.committer.email},
    }


def branch_files(engine: Engine, repo: str, branch: str | None = None) -> dict[str, str]:
    """``{path: content}`` (latin-1 transport) at the branch head."""
    record, st = _repo(engine, repo)
    tree = st.store.commit(_head(st, record, branch)).tree
    return {p: c.decode("latin-1") for p, c in st.store.files(tree).items()}


def branch_head(engine: Engine, repo: str, branch: str | None = None) -> dict[str, str] | None:
    """``{commit, tree}`` of the branch head, None when the branch does not exist."""
    record, st = _repo(engine, repo)
    sha = st.refs.get(f"refs/heads/{branch or record['default_branch']}")
    return None if sha is None else {"commit": sha, "tree": st.store.commit(sha).tree}


def refs(engine: Engine, repo: str) -> dict[str, str]:
    """Every ref of the repository."""
    return dict(_repo(engine, repo)[1].refs)


def commits(engine: Engine, repo: str, branch: str | None = None) -> list[dict[str, Any]]:
    """Commits reachable from the branch head, newest first, with their authors."""
    record, st = _repo(engine, repo)
    return [_commit_dict(engine, st, s) for s in st.store.ancestors(_head(st, record, branch))]


def push(
    engine: Engine,
    repo: str,
    branch: str,
    files: dict[str, str | None],
    message: str = "Edit files",
    author: dict[str, Any] | None = None,
    base: str | None = None,
) -> str:
    """Commit ``{path: content or None}`` to ``branch`` as a person; the new commit id."""
    record, st = _repo(engine, repo)
    changes = {p: None if c is None else c.encode("latin-1") for p, c in files.items()}
    return engine.githost.commit_changes(
        st, branch, changes, _person(engine, author), message, base or record["default_branch"]
    )


def delete_branch(engine: Engine, repo: str, branch: str) -> None:
    """Delete a branch (as a person on github.com would)."""
    _, st = _repo(engine, repo)
    st.refs.pop(f"refs/heads/{branch}", None)


def _issue_dict(i: dict[str, Any]) -> dict[str, Any]:
    keep = ("number", "title", "body", "user", "state", "state_reason", "labels", "assignees")
    return {k: i.get(k) for k in keep}


def pulls(engine: Engine, repo: str) -> list[dict[str, Any]]:
    """Every pull request, oldest first, with head/base, diff paths and commits."""
    _, st = _repo(engine, repo)
    out = []
    for pr in sorted(st.issues.values(), key=lambda x: x["number"]):
        p = pr.get("pull")
        if not p:
            continue
        head = ghc.lookup_id(engine, int(p["head_repo"]))
        item = _issue_dict(pr)
        item.update(
            head_repo=head["full_name"] if head else None,
            head_ref=p["head_ref"],
            head_sha=head_sha(engine, pr),
            base_ref=p["base_ref"],
            base_sha=base_sha(st, pr),
            draft=p["draft"],
            merged=p["merged"],
            merge_commit_sha=p["merge_commit_sha"],
            maintainer_can_modify=p["maintainer_can_modify"],
            requested_reviewers=list(p["requested_reviewers"]),
            files=[f.filename for f in pr_diff(engine, st, pr)],
            commits=pr_commits(engine, st, pr),
        )
        out.append(item)
    return out


def issues(engine: Engine, repo: str) -> list[dict[str, Any]]:
    """Every issue that is not a pull request, oldest first."""
    _, st = _repo(engine, repo)
    return [
        _issue_dict(i)
        for i in sorted(st.issues.values(), key=lambda x: x["number"])
        if not i.get("pull")
    ]


def comments(engine: Engine, repo: str, number: int | None = None) -> list[dict[str, Any]]:
    """Issue / pull request conversation comments (of ``number``, or all)."""
    _, st = _repo(engine, repo)
    return [
        {k: c[k] for k in ("id", "issue", "body", "user")}
        for c in st.comments.values()
        if number is None or c["issue"] == number
    ]


def review_comments(engine: Engine, repo: str, number: int | None = None) -> list[dict[str, Any]]:
    """Line comments on pull requests."""
    _, st = _repo(engine, repo)
    keys = (
        "id",
        "pull",
        "review",
        "path",
        "line",
        "side",
        "start_line",
        "body",
        "user",
        "commit_id",
        "in_reply_to",
    )
    return [
        {k: c.get(k) for k in keys}
        for c in st.review_comments.values()
        if number is None or c["pull"] == number
    ]


def reviews(engine: Engine, repo: str, number: int | None = None) -> list[dict[str, Any]]:
    """Reviews on pull requests."""
    _, st = _repo(engine, repo)
    return [dict(r) for r in st.reviews.values() if number is None or r["pull"] == number]


def labels(engine: Engine, repo: str) -> list[dict[str, Any]]:
    """Repository labels."""
    _, st = _repo(engine, repo)
    return [dict(x) for x in st.labels.values()]


def add_label(
    engine: Engine, repo: str, name: str, color: str = "ededed", description: str | None = None
) -> None:
    """Declare a repository label."""
    _, st = _repo(engine, repo)
    st.labels[name.lower()] = {
        "id": engine.githost.next_id(),
        "name": name,
        "color": color,
        "description": description,
    }


def merge_pull(
    engine: Engine,
    repo: str,
    number: int,
    method: str = "merge",
    by: str = "maintainer",
    delete_branch: bool = False,
) -> str:
    """Merge a pull request as ``by`` (``merge`` or ``squash``); the new base head."""
    _, st = _repo(engine, repo)
    pr = st.issues.get(number)
    if not pr or not pr.get("pull") or pr["state"] != "open":
        raise AdminError(f"#{number} is not an open pull request")
    p = pr["pull"]
    head, base = head_sha(engine, pr), base_sha(st, pr)
    who = _person(engine, {"login": by})
    title = f"Merge pull request #{number} from {p['head_ref']}"
    merged, kind = engine.githost.merge(st, base, head, who, f"{title}\n\n{pr['title']}")
    if merged is None:
        raise AdminError(f"#{number} has merge conflicts")
    if kind in ("fast-forward", "none"):  # GitHub still writes a merge commit
        merged = st.store.put_commit(st.store.commit(head).tree, [base, head], who, who, title)
    if method == "squash":
        tree = st.store.commit(merged).tree
        merged = st.store.put_commit(tree, [base], who, who, f"{pr['title']} (#{number})")
    p["commits"] = st.store.only_in(head, base)
    p["merge_base"] = st.store.merge_base(base, head)
    st.refs[f"refs/heads/{p['base_ref']}"] = merged
    now = iso(engine.githost.now())
    p.update(merged=True, merged_at=now, merged_by=by, merge_commit_sha=merged, base_sha=base)
    close(engine, pr, "closed", "completed", by)
    if delete_branch:
        head_record = ghc.lookup_id(engine, int(p["head_repo"]))
        if head_record is not None:
            engine.githost.state(head_record).refs.pop(f"refs/heads/{p['head_ref']}", None)
    return merged


def close_pull(engine: Engine, repo: str, number: int, by: str = "maintainer") -> None:
    """Close a pull request (or issue) without merging, as ``by``."""
    _, st = _repo(engine, repo)
    i = st.issues.get(number)
    if i is None:
        raise AdminError(f"no issue or pull request #{number}")
    close(engine, i, "closed", "not_planned" if not i.get("pull") else None, by)


def open_issue(
    engine: Engine,
    repo: str,
    title: str,
    body: str | None = None,
    by: str = "maintainer",
    labels: list[str] | None = None,
) -> int:
    """A person opens an issue (with labels, as someone with triage access can); its number."""
    from .github_issues import ensure_label, new_issue

    _, st = _repo(engine, repo)
    issue = new_issue(engine, st, title, body, by)
    issue["labels"] = [ensure_label(engine, st, name)["name"] for name in labels or []]
    return int(issue["number"])


def comment(engine: Engine, repo: str, number: int, body: str, by: str = "maintainer") -> int:
    """A person comments on an issue or pull request; the comment id."""
    from .github_issues import add_comment

    _, st = _repo(engine, repo)
    if number not in st.issues:
        raise AdminError(f"no issue or pull request #{number}")
    return int(add_comment(engine, st, number, body, by)["id"])


ACTIONS: dict[str, Callable[..., Any]] = {
    f.__name__: f
    for f in (
        branch_files,
        branch_head,
        refs,
        commits,
        push,
        delete_branch,
        pulls,
        issues,
        comments,
        review_comments,
        reviews,
        labels,
        add_label,
        merge_pull,
        close_pull,
        open_issue,
        comment,
    )
}


def run(engine: Engine, action: str, args: dict[str, Any]) -> Any:
    """Run one action by name."""
    fn = ACTIONS.get(action)
    if fn is None:
        raise AdminError(f"unknown GitHub action {action!r}")
    return fn(engine, **args)
