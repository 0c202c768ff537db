"""Pull requests, their commits and files, reviews, review comments and requested
reviewers.

Refusals as GitHub answers them (422 ``Validation Failed`` unless noted): ``A pull request
already exists for owner:branch.``, ``No commits between base and head``, an unknown
head or base (``code: invalid``), a missing title; a review comment whose ``line`` is not
part of the diff (``pull_request_review_thread.line must be part of the diff``; in a
review: 422 ``Unprocessable Entity`` with the sentence in ``errors``); approving your own
pull request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import github_common as ghc
from .git_diff import FileDiff, tree_diff
from .github_git import api, commit_json, file_json, state
from .github_issues import close, label_json, new_issue, user, viewer
from .github_rest import (
    body,
    error,
    full_repo_json,
    not_found,
    operation,
    paginate,
    validation_failed,
)
from .github_state import RepoState, can_push, iso
from .wire import Reply, Req, json_reply

if TYPE_CHECKING:
    from .engine import Engine

Params = dict[str, str]
DOC = "https://docs.github.com/rest/pulls"


# -- model ------------------------------------------------------------------------------------


def head_repo(engine: Engine, pr: dict[str, Any]) -> dict[str, Any] | None:
    """The repository the pull request's head branch lives in (None once deleted)."""
    return ghc.lookup_id(engine, int(pr["pull"]["head_repo"]))


def head_sha(engine: Engine, pr: dict[str, Any]) -> str:
    """The head commit: the branch's current head while open, frozen once closed."""
    p = pr["pull"]
    if pr["state"] == "open":
        record = head_repo(engine, pr)
        if record is not None:
            sha = engine.githost.state(record).refs.get(f"refs/heads/{p['head_ref']}")
            if sha:
                p["head_sha"] = sha
    return str(p["head_sha"])


def base_sha(st: RepoState, pr: dict[str, Any]) -> str:
    """The base branch's head (frozen once merged)."""
    p = pr["pull"]
    if not p.get("merged"):
        p["base_sha"] = st.refs.get(f"refs/heads/{p['base_ref']}", p["base_sha"])
    return str(p["base_sha"])


def pr_diff(engine: Engine, st: RepoState, pr: dict[str, Any]) -> list[FileDiff]:
    """Files changed by the pull request (head against the merge base)."""
    head = head_sha(engine, pr)
    base = pr["pull"].get("merge_base") if pr["pull"].get("merged") else None
    base = base or st.store.merge_base(base_sha(st, pr), head)
    return tree_diff(
        st.store, st.store.commit(base).tree if base else None, st.store.commit(head).tree
    )


def pr_commits(engine: Engine, st: RepoState, pr: dict[str, Any]) -> list[str]:
    """Commits in the pull request, oldest first."""
    if pr["pull"].get("merged"):
        return list(pr["pull"]["commits"])
    return st.store.only_in(head_sha(engine, pr), base_sha(st, pr))


def _branch_json(
    engine: Engine, record: dict[str, Any] | None, ref: str, sha: str, auth: str
) -> dict[str, Any]:
    owner = record["owner"] if record else "ghost"
    return {
        "label": f"{owner}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": user(owner),
        "repo": full_repo_json(engine, record, auth) if record else None,
    }


def pr_json(
    engine: Engine, repo: dict[str, Any], st: RepoState, pr: dict[str, Any], auth: str
) -> dict[str, Any]:
    """The pull request object."""
    p = pr["pull"]
    base = api(repo)
    number = pr["number"]
    html = f"{ghc.WEB}/{repo['full_name']}/pull/{number}"
    head = head_sha(engine, pr)
    files = pr_diff(engine, st, pr)
    merged = bool(p.get("merged"))
    return {
        "url": f"{base}/pulls/{number}",
        "id": pr["id"],
        "node_id": ghc.node_id("PR", pr["id"]),
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": f"{base}/issues/{number}",
        "commits_url": f"{base}/pulls/{number}/commits",
        "review_comments_url": f"{base}/pulls/{number}/comments",
        "review_comment_url": f"{base}/pulls/comments{{/number}}",
        "comments_url": f"{base}/issues/{number}/comments",
        "statuses_url": f"{base}/statuses/{head}",
        "number": number,
        "state": pr["state"],
        "locked": False,
        "title": pr["title"],
        "user": user(pr["user"]),
        "body": pr.get("body"),
        "labels": [label_json(repo, st.labels[n.lower()]) for n in pr["labels"]],
        "milestone": None,
        "active_lock_reason": None,
        "created_at": pr["created_at"],
        "updated_at": pr["updated_at"],
        "closed_at": pr.get("closed_at"),
        "merged_at": p.get("merged_at"),
        "merge_commit_sha": p.get("merge_commit_sha"),
        "assignee": user(pr["assignees"][0]) if pr["assignees"] else None,
        "assignees": [user(a) for a in pr["assignees"]],
        "requested_reviewers": [user(r) for r in p["requested_reviewers"]],
        "requested_teams": [],
        "head": _branch_json(engine, head_repo(engine, pr), p["head_ref"], head, auth),
        "base": _branch_json(engine, repo, p["base_ref"], base_sha(st, pr), auth),
        "_links": {
            "self": {"href": f"{base}/pulls/{number}"},
            "html": {"href": html},
            "issue": {"href": f"{base}/issues/{number}"},
            "comments": {"href": f"{base}/issues/{number}/comments"},
            "review_comments": {"href": f"{base}/pulls/{number}/comments"},
            "review_comment": {"href": f"{base}/pulls/comments{{/number}}"},
            "commits": {"href": f"{base}/pulls/{number}/commits"},
            "statuses": {"href": f"{base}/statuses/{head}"},
        },
        "author_association": "OWNER" if pr["user"].lower() == repo["owner"].lower() else "NONE",
        "auto_merge": None,
        "draft": bool(p.get("draft")),
        "merged": merged,
        "mergeable": None if merged or pr["state"] != "open" else True,
        "rebaseable": None if merged else True,
        "mergeable_state": "clean" if pr["state"] == "open" else "unknown",
        "merged_by": user(p["merged_by"]) if p.get("merged_by") else None,
        "comments": sum(1 for c in st.comments.values() if c["issue"] == number),
        "review_comments": sum(1 for c in st.review_comments.values() if c["pull"] == number),
        "maintainer_can_modify": bool(p.get("maintainer_can_modify")),
        "commits": len(pr_commits(engine, st, pr)),
        "additions": sum(f.additions for f in files),
        "deletions": sum(f.deletions for f in files),
        "changed_files": len(files),
    }


def find_pr(st: RepoState, number: str) -> dict[str, Any] | None:
    """The pull request numbered ``number`` (None for issues and unknown numbers)."""
    try:
        pr = st.issues.get(int(number))
    except ValueError:
        return None
    return pr if pr and pr.get("pull") else None


def _resolve_head(
    engine: Engine, repo: dict[str, Any], head: str, head_repo_name: str | None
) -> tuple[dict[str, Any], str] | None:
    owner, sep, ref = head.partition(":")
    if not sep:
        return repo, head
    store = state(engine, repo).store
    for record in engine.scenario["github"]["repos"].values():
        if record.get("deleted") or record["owner"].lower() != owner.lower():
            continue
        if head_repo_name and record["name"].lower() != head_repo_name.lower():
            continue
        if engine.githost.state(record).store is store:
            return record, ref
    return None


def _open_duplicate(
    st: RepoState, head_id: int, head_ref: str, base_ref: str, skip: int | None = None
) -> bool:
    return any(
        i.get("pull")
        and i["state"] == "open"
        and i["number"] != skip
        and i["pull"]["head_repo"] == head_id
        and i["pull"]["head_ref"] == head_ref
        and i["pull"]["base_ref"] == base_ref
        for i in st.issues.values()
    )


# -- pulls ------------------------------------------------------------------------------------


@operation("POST", "/repos/{owner}/{repo}/pulls")
def create_pull(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``POST .../pulls`` with ``head`` ("branch" or "owner:branch") and ``base``."""
    doc = f"{DOC}/pulls#create-a-pull-request"
    st = state(engine, repo)
    data = body(req)
    base_ref = data["base"]
    if not data.get("title") and not data.get("issue"):
        return validation_failed(
            doc, {"resource": "PullRequest", "code": "missing_field", "field": "title"}
        )
    if f"refs/heads/{base_ref}" not in st.refs:
        return validation_failed(
            doc, {"resource": "PullRequest", "field": "base", "code": "invalid"}
        )
    found = _resolve_head(engine, repo, data["head"], data.get("head_repo"))
    head_sha_ = None
    if found is not None:
        head_record, head_ref = found
        head_sha_ = engine.githost.state(head_record).refs.get(f"refs/heads/{head_ref}")
    if found is None or head_sha_ is None:
        return validation_failed(
            doc, {"resource": "PullRequest", "field": "head", "code": "invalid"}
        )
    if _open_duplicate(st, head_record["id"], head_ref, base_ref):
        message = f"A pull request already exists for {head_record['owner']}:{head_ref}."
        return validation_failed(
            doc, {"resource": "PullRequest", "code": "custom", "message": message}
        )
    base_head = st.refs[f"refs/heads/{base_ref}"]
    if not st.store.only_in(head_sha_, base_head):
        cross = head_record["id"] != repo["id"]
        between = (
            f"{repo['owner']}:{base_ref} and {head_record['owner']}:{head_ref}"
            if cross
            else f"{base_ref} and {head_ref}"
        )
        return validation_failed(
            doc,
            {
                "resource": "PullRequest",
                "code": "custom",
                "message": f"No commits between {between}",
            },
        )
    if data.get("issue"):
        pr = st.issues.get(int(data["issue"]))
        if pr is None or pr.get("pull"):
            return validation_failed(
                doc, {"resource": "PullRequest", "field": "issue", "code": "invalid"}
            )
    else:
        pr = new_issue(engine, st, str(data["title"]), data.get("body"), viewer(engine))
    cross = head_record["id"] != repo["id"]
    pr["pull"] = {
        "head_repo": head_record["id"],
        "head_ref": head_ref,
        "head_sha": head_sha_,
        "base_ref": base_ref,
        "base_sha": base_head,
        "draft": bool(data.get("draft")),
        "merged": False,
        "merged_at": None,
        "merged_by": None,
        "merge_commit_sha": None,
        "maintainer_can_modify": bool(data.get("maintainer_can_modify", True)) and cross,
        "requested_reviewers": [],
    }
    reply = json_reply(pr_json(engine, repo, st, pr, auth), 201)
    reply.headers["location"] = f"{api(repo)}/pulls/{pr['number']}"
    return reply


@operation("GET", "/repos/{owner}/{repo}/pulls")
def list_pulls(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../pulls?state=&head=owner:branch&base=``."""
    st = state(engine, repo)
    wanted = req.arg("state") or "open"
    head, base = req.arg("head"), req.arg("base")
    out = []
    for pr in sorted(st.issues.values(), key=lambda x: -x["number"]):
        if not pr.get("pull"):
            continue
        if wanted != "all" and pr["state"] != wanted:
            continue
        if base and pr["pull"]["base_ref"] != base:
            continue
        if head:
            owner, _, ref = head.partition(":")
            record = head_repo(engine, pr)
            if record is None or record["owner"].lower() != owner.lower():
                continue
            if ref and pr["pull"]["head_ref"] != ref:
                continue
        out.append(pr_json(engine, repo, st, pr, auth))
    if req.arg("direction") == "asc":
        out.reverse()
    page, headers = paginate(req, out, f"{api(repo)}/pulls")
    return json_reply(page, headers=headers)


@operation("GET", "/repos/{owner}/{repo}/pulls/{pull_number}")
def get_pull(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../pulls/{n}``."""
    st = state(engine, repo)
    pr = find_pr(st, params["pull_number"])
    if pr is None:
        return not_found(f"{DOC}/pulls#get-a-pull-request")
    return json_reply(pr_json(engine, repo, st, pr, auth))


@operation("PATCH", "/repos/{owner}/{repo}/pulls/{pull_number}")
def update_pull(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``PATCH .../pulls/{n}``: title, body, state, base, maintainer_can_modify (``merged``
    is read-only: unknown keys are ignored, as on GitHub)."""
    doc = f"{DOC}/pulls#update-a-pull-request"
    st = state(engine, repo)
    pr = find_pr(st, params["pull_number"])
    if pr is None:
        return not_found(doc)
    if pr["user"].lower() != viewer(engine).lower() and not can_push(engine, repo, auth):
        return error(403, "Resource not accessible by integration", doc)
    data = body(req)
    p = pr["pull"]
    if data.get("state") == "open" and pr["state"] == "closed":
        if p.get("merged"):
            return validation_failed(
                doc,
                {
                    "resource": "PullRequest",
                    "code": "custom",
                    "field": "state",
                    "message": "state cannot be changed. The pull request has been merged.",
                },
            )
        if _open_duplicate(st, p["head_repo"], p["head_ref"], p["base_ref"], pr["number"]):
            owner = (head_repo(engine, pr) or {"owner": "ghost"})["owner"]
            return validation_failed(
                doc,
                {
                    "resource": "PullRequest",
                    "code": "custom",
                    "message": f"A pull request already exists for {owner}:{p['head_ref']}.",
                },
            )
    if "base" in data:
        if f"refs/heads/{data['base']}" not in st.refs:
            return validation_failed(
                doc, {"resource": "PullRequest", "field": "base", "code": "invalid"}
            )
        p["base_ref"] = data["base"]
    for key in ("title", "body"):
        if key in data:
            pr[key] = data[key]
    if "maintainer_can_modify" in data:
        p["maintainer_can_modify"] = bool(data["maintainer_can_modify"])
    if "state" in data:
        close(engine, pr, data["state"], None, viewer(engine))
    pr["updated_at"] = iso(engine.githost.now())
    return json_reply(pr_json(engine, repo, st, pr, auth))


@operation("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/commits")
def pull_commits(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../pulls/{n}/commits`` (oldest first)."""
    st = state(engine, repo)
    pr = find_pr(st, params["pull_number"])
    if pr is None:
        return not_found(f"{DOC}/pulls#list-commits-on-a-pull-request")
    out = [commit_json(engine, repo, st.store.commit(c)) for c in pr_commits(engine, st, pr)]
    page, headers = paginate(req, out, f"{api(repo)}/pulls/{pr['number']}/commits")
    return json_reply(page, headers=headers)


@operation("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files")
def pull_files(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../pulls/{n}/files`` with unified ``patch`` hunks."""
    st = state(engine, repo)
    pr = find_pr(st, params["pull_number"])
    if pr is None:
        return not_found(f"{DOC}/pulls#list-pull-requests-files")
    head = head_sha(engine, pr)
    out = [file_json(repo, head, f) for f in pr_diff(engine, st, pr)]
    page, headers = paginate(req, out, f"{api(repo)}/pulls/{pr['number']}/files")
    return json_reply(page, headers=headers)


# -- review comments ----------------------------------------------------------------------------

LINE_ERROR = "pull_request_review_thread.line must be part of the diff"


def _thread_problem(files: dict[str, FileDiff], c: dict[str, Any]) -> str | None:
    """Why a review comment cannot be placed (None when it can)."""
    d = files.get(str(c.get("path", "")))
    if c.get("subject_type") == "file":
        return None if d else LINE_ERROR
    if "position" in c and c.get("line") is None:
        pos = c["position"]
        return None if d and isinstance(pos, int) and 1 <= pos <= d.positions else LINE_ERROR
    line = c.get("line")
    if d is None or not isinstance(line, int):
        return LINE_ERROR
    side = c.get("side") or "RIGHT"
    lines = d.right_lines if side == "RIGHT" else d.left_lines
    if line not in lines:
        return LINE_ERROR
    start = c.get("start_line")
    if start is not None:
        start_lines = d.right_lines if (c.get("start_side") or side) == "RIGHT" else d.left_lines
        if start not in start_lines or start > line:
            return (
                "pull_request_review_thread.start_line must be part of the same hunk as the line."
            )
    return None


def review_comment_json(repo: dict[str, Any], c: dict[str, Any]) -> dict[str, Any]:
    """A pull request review comment object."""
    base = api(repo)
    html = f"{ghc.WEB}/{repo['full_name']}/pull/{c['pull']}"
    out = {
        "url": f"{base}/pulls/comments/{c['id']}",
        "pull_request_review_id": c.get("review"),
        "id": c["id"],
        "node_id": ghc.node_id("PRRC", c["id"]),
        "diff_hunk": c.get("diff_hunk", ""),
        "path": c["path"],
        "position": c.get("position"),
        "original_position": c.get("position"),
        "commit_id": c["commit_id"],
        "original_commit_id": c["commit_id"],
        "user": user(c["user"]),
        "body": c["body"],
        "created_at": c["created_at"],
        "updated_at": c["updated_at"],
        "html_url": f"{html}#discussion_r{c['id']}",
        "pull_request_url": f"{base}/pulls/{c['pull']}",
        "author_association": "OWNER" if c["user"].lower() == repo["owner"].lower() else "NONE",
        "_links": {
            "self": {"href": f"{base}/pulls/comments/{c['id']}"},
            "html": {"href": f"{html}#discussion_r{c['id']}"},
            "pull_request": {"href": f"{base}/pulls/{c['pull']}"},
        },
        "start_line": c.get("start_line"),
        "original_start_line": c.get("start_line"),
        "start_side": c.get("start_side"),
        "line": c.get("line"),
        "original_line": c.get("line"),
        "side": c.get("side"),
        "subject_type": c.get("subject_type", "line"),
    }
    if c.get("in_reply_to"):
        out["in_reply_to_id"] = c["in_reply_to"]
    return out


def _store_comment(
    engine: Engine,
    st: RepoState,
    pr: dict[str, Any],
    c: dict[str, Any],
    commit: str,
    review: int | None,
) -> dict[str, Any]:
    now = iso(engine.githost.now())
    record = {
        "id": engine.githost.next_id(),
        "pull": pr["number"],
        "review": review,
        "path": c["path"],
        "body": c["body"],
        "line": c.get("line"),
        "side": (c.get("side") or "RIGHT") if c.get("line") is not None else None,
        "start_line": c.get("start_line"),
        "start_side": c.get("start_side") if c.get("start_line") is not None else None,
        "position": c.get("position"),
        "subject_type": c.get("subject_type", "line"),
        "in_reply_to": c.get("in_reply_to"),
        "commit_id": commit,
        "user": viewer(engine),
        "created_at": now,
        "updated_at": now,
    }
    st.review_comments[record["id"]] = record
    return record


@operation("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/comments")
def list_review_comments(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../pulls/{n}/comments``."""
    st = state(engine, repo)
    pr = find_pr(st, params["pull_number"])
    if pr is None:
        return not_found(f"{DOC}/comments#list-review-comments-on-a-pull-request")
    out = [
        review_comment_json(repo, c)
        for c in st.review_comments.values()
        if c["pull"] == pr["number"]
    ]
    page, headers = paginate(req, out, f"{api(repo)}/pulls/{pr['number']}/comments")
    return json_reply(page, headers=headers)


@operation("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/comments")
def create_review_comment(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``POST .../pulls/{n}/comments``: ``line``/``side`` must be inside the diff."""
    doc = f"{DOC}/comments#create-a-review-comment-for-a-pull-request"
    st = state(engine, repo)
    pr = find_pr(st, params["pull_number"])
    if pr is None:
        return not_found(doc)
    data = body(req)
    if data.get("in_reply_to"):
        parent = st.review_comments.get(int(data["in_reply_to"]))
        if parent is None or parent["pull"] != pr["number"]:
            return not_found(doc)
        data = {**data, "path": parent["path"], "line": parent["line"], "side": parent["side"]}
        c = _store_comment(engine, st, pr, data, parent["commit_id"], None)
        return json_reply(review_comment_json(repo, c), 201)
    if data["commit_id"] not in pr_commits(engine, st, pr):
        return validation_failed(
            doc, {"resource": "PullRequestReviewComment", "code": "invalid", "field": "commit_id"}
        )
    files = {f.filename: f for f in pr_diff(engine, st, pr)}
    problem = _thread_problem(files, data)
    if problem:
        field = "pull_request_review_thread." + (
            "line" if "start_line" not in problem else "start_line"
        )
        return validation_failed(
            doc,
            {
                "resource": "PullRequestReviewComment",
                "code": "custom",
                "field": field,
                "message": problem,
            },
        )
    c = _store_comment(engine, st, pr, data, data["commit_id"], None)
    return json_reply(review_comment_json(repo, c), 201)


def _review_comment(st: RepoState, cid: str) -> dict[str, Any] | None:
    try:
        return st.review_comments.get(int(cid))
    except ValueError:
        return None


@operation("GET", "/repos/{owner}/{repo}/pulls/comments/{comment_id}")
def get_review_comment(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../pulls/comments/{id}``."""
    c = _review_comment(state(engine, repo), params["comment_id"])
    if c is None:
        return not_found(f"{DOC}/comments#get-a-review-comment-for-a-pull-request")
    return json_reply(review_comment_json(repo, c))


@operation("PATCH", "/repos/{owner}/{repo}/pulls/comments/{comment_id}")
def update_review_comment(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``PATCH .../pulls/comments/{id}`` (the author or push access)."""
    doc = f"{DOC}/comments#update-a-review-comment-for-a-pull-request"
    c = _review_comment(state(engine, repo), params["comment_id"])
    if c is None:
        return not_found(doc)
    if c["user"].lower() != viewer(engine).lower() and not can_push(engine, repo, auth):
        return error(403, "Resource not accessible by integration", doc)
    c.update(body=body(req)["body"], updated_at=iso(engine.githost.now()))
    return json_reply(review_comment_json(repo, c))


@operation("DELETE", "/repos/{owner}/{repo}/pulls/comments/{comment_id}")
def delete_review_comment(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``DELETE .../pulls/comments/{id}``."""
    doc = f"{DOC}/comments#delete-a-review-comment-for-a-pull-request"
    st = state(engine, repo)
    c = _review_comment(st, params["comment_id"])
    if c is None:
        return not_found(doc)
    if c["user"].lower() != viewer(engine).lower() and not can_push(engine, repo, auth):
        return error(403, "Resource not accessible by integration", doc)
    del st.review_comments[c["id"]]
    return Reply(status=204)


# -- reviews ------------------------------------------------------------------------------------

REVIEW_STATES = {
    "APPROVE": "APPROVED",
    "REQUEST_CHANGES": "CHANGES_REQUESTED",
    "COMMENT": "COMMENTED",
    None: "PENDING",
}


def review_json(repo: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    """A review object."""
    base = api(repo)
    html = f"{ghc.WEB}/{repo['full_name']}/pull/{r['pull']}#pullrequestreview-{r['id']}"
    return {
        "id": r["id"],
        "node_id": ghc.node_id("PRR", r["id"]),
        "user": user(r["user"]),
        "body": r["body"],
        "state": r["state"],
        "html_url": html,
        "pull_request_url": f"{base}/pulls/{r['pull']}",
        "author_association": "OWNER" if r["user"].lower() == repo["owner"].lower() else "NONE",
        "_links": {"html": {"href": html}, "pull_request": {"href": f"{base}/pulls/{r['pull']}"}},
        "submitted_at": r.get("submitted_at"),
        "commit_id": r["commit_id"],
    }


def _unprocessable(doc: str, *messages: str) -> Reply:
    return error(422, "Unprocessable Entity", doc, errors=list(messages))


@operation("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews")
def list_reviews(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../pulls/{n}/reviews``."""
    st = state(engine, repo)
    pr = find_pr(st, params["pull_number"])
    if pr is None:
        return not_found(f"{DOC}/reviews#list-reviews-for-a-pull-request")
    out = [review_json(repo, r) for r in st.reviews.values() if r["pull"] == pr["number"]]
    page, headers = paginate(req, out, f"{api(repo)}/pulls/{pr['number']}/reviews")
    return json_reply(page, headers=headers)


@operation("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews")
def create_review(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``POST .../pulls/{n}/reviews`` with optional line ``comments`` (suggestion blocks
    are body text); every comment must sit inside the diff."""
    doc = f"{DOC}/reviews#create-a-review-for-a-pull-request"
    st = state(engine, repo)
    pr = find_pr(st, params["pull_number"])
    if pr is None:
        return not_found(doc)
    data = body(req)
    event = data.get("event")
    me = viewer(engine)
    if pr["user"].lower() == me.lower() and event == "APPROVE":
        return _unprocessable(doc, "Can not approve your own pull request")
    if pr["user"].lower() == me.lower() and event == "REQUEST_CHANGES":
        return _unprocessable(doc, "Can not request changes on your own pull request")
    commit = data.get("commit_id") or head_sha(engine, pr)
    if commit not in pr_commits(engine, st, pr):
        return _unprocessable(doc, "Commit id is not part of the pull request")
    files = {f.filename: f for f in pr_diff(engine, st, pr)}
    problems = []
    for c in data.get("comments") or []:
        problem = _thread_problem(files, c)
        if problem:
            # In a review GitHub words the same check as a sentence.
            field, _, rest = problem.partition(" ")
            noun = field.removeprefix("pull_request_review_thread.").replace("_", " ")
            problems.append(f"Pull request review thread {noun} {rest}")
    if problems:
        return _unprocessable(doc, *dict.fromkeys(problems))
    review = {
        "id": engine.githost.next_id(),
        "pull": pr["number"],
        "user": me,
        "body": data.get("body") or "",
        "state": REVIEW_STATES.get(event, "COMMENTED"),
        "commit_id": commit,
        "submitted_at": None if event is None else iso(engine.githost.now()),
    }
    st.reviews[review["id"]] = review
    for c in data.get("comments") or []:
        _store_comment(engine, st, pr, c, commit, review["id"])
    return json_reply(review_json(repo, review))


# -- requested reviewers ------------------------------------------------------------------------


@operation("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")
def get_reviewers(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../pulls/{n}/requested_reviewers``."""
    pr = find_pr(state(engine, repo), params["pull_number"])
    if pr is None:
        return not_found(f"{DOC}/review-requests#get-all-requested-reviewers-for-a-pull-request")
    return json_reply({"users": [user(r) for r in pr["pull"]["requested_reviewers"]], "teams": []})


@operation("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")
def request_reviewers(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``POST .../pulls/{n}/requested_reviewers`` (not the author)."""
    doc = f"{DOC}/review-requests#request-reviewers-for-a-pull-request"
    st = state(engine, repo)
    pr = find_pr(st, params["pull_number"])
    if pr is None:
        return not_found(doc)
    wanted = list(body(req).get("reviewers") or [])
    if any(r.lower() == pr["user"].lower() for r in wanted):
        return _unprocessable(doc, "Review cannot be requested from pull request author.")
    current = pr["pull"]["requested_reviewers"]
    current += [r for r in wanted if r.lower() not in (x.lower() for x in current)]
    return json_reply(pr_json(engine, repo, st, pr, auth), 201)


@operation("DELETE", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")
def remove_reviewers(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``DELETE .../pulls/{n}/requested_reviewers``."""
    doc = f"{DOC}/review-requests#remove-requested-reviewers-from-a-pull-request"
    st = state(engine, repo)
    pr = find_pr(st, params["pull_number"])
    if pr is None:
        return not_found(doc)
    gone = {r.lower() for r in body(req).get("reviewers") or []}
    pr["pull"]["requested_reviewers"] = [
        r for r in pr["pull"]["requested_reviewers"] if r.lower() not in gone
    ]
    return json_reply(pr_json(engine, repo, st, pr, auth))
