"""Issues, issue comments, labels, assignees and issue search of the fake GitHub.

Issues and pull requests share one numbering per repository; ``GET /issues`` lists both
(pull requests carry a ``pull_request`` key), as on GitHub. Without push access, labels
and assignees given when creating an issue are silently dropped (GitHub documents this).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import github_common as ghc
from .github_git import api, state
from .github_rest import (
    body,
    error,
    not_found,
    operation,
    owner_json,
    paginate,
    validation_failed,
)
from .github_state import RepoState, can_push, iso
from .wire import Reply, Req, json_reply

if TYPE_CHECKING:
    from .engine import Engine

Params = dict[str, str]
DOC = "https://docs.github.com/rest/issues"


def user(login: str) -> dict[str, Any]:
    """A simple-user object for ``login``."""
    return owner_json(login, "User", 2000 + sum(map(ord, login)))


def viewer(engine: Engine) -> str:
    """The token owner's login."""
    return str(engine.scenario["github"]["viewer"])


def label_json(repo: dict[str, Any], label: dict[str, Any]) -> dict[str, Any]:
    """A label object."""
    return {
        "id": label["id"],
        "node_id": ghc.node_id("LA", label["id"]),
        "url": f"{api(repo)}/labels/{label['name']}",
        "name": label["name"],
        "description": label.get("description"),
        "color": label.get("color", "ededed"),
        "default": False,
    }


def ensure_label(engine: Engine, st: RepoState, name: str) -> dict[str, Any]:
    """The repository label ``name``, created (grey) when it does not exist yet."""
    key = name.lower()
    if key not in st.labels:
        st.labels[key] = {
            "id": engine.githost.next_id(),
            "name": name,
            "color": "ededed",
            "description": None,
        }
    return st.labels[key]


def issue_json(engine: Engine, repo: dict[str, Any], st: RepoState, i: dict[str, Any]) -> dict:
    """The issue object (also for pull requests, with a ``pull_request`` key)."""
    base = api(repo)
    number = i["number"]
    kind = "pull" if i.get("pull") else "issues"
    out = {
        "id": i["id"],
        "node_id": ghc.node_id("I", i["id"]),
        "url": f"{base}/issues/{number}",
        "repository_url": base,
        "labels_url": f"{base}/issues/{number}/labels{{/name}}",
        "comments_url": f"{base}/issues/{number}/comments",
        "events_url": f"{base}/issues/{number}/events",
        "html_url": f"{ghc.WEB}/{repo['full_name']}/{kind}/{number}",
        "number": number,
        "state": i["state"],
        "state_reason": i.get("state_reason"),
        "title": i["title"],
        "body": i.get("body"),
        "user": user(i["user"]),
        "labels": [label_json(repo, st.labels[n.lower()]) for n in i["labels"]],
        "assignee": user(i["assignees"][0]) if i["assignees"] else None,
        "assignees": [user(a) for a in i["assignees"]],
        "milestone": None,
        "locked": False,
        "active_lock_reason": None,
        "comments": sum(1 for c in st.comments.values() if c["issue"] == number),
        "closed_at": i.get("closed_at"),
        "created_at": i["created_at"],
        "updated_at": i["updated_at"],
        "closed_by": user(i["closed_by"]) if i.get("closed_by") else None,
        "author_association": "OWNER" if i["user"].lower() == repo["owner"].lower() else "NONE",
    }
    if i.get("pull"):
        out["pull_request"] = {
            "url": f"{base}/pulls/{number}",
            "html_url": f"{ghc.WEB}/{repo['full_name']}/pull/{number}",
            "diff_url": f"{ghc.WEB}/{repo['full_name']}/pull/{number}.diff",
            "patch_url": f"{ghc.WEB}/{repo['full_name']}/pull/{number}.patch",
            "merged_at": i["pull"].get("merged_at"),
        }
    return out


def new_issue(engine: Engine, st: RepoState, title: str, body_text: str | None, login: str) -> dict:
    """Store a new issue record (shared by issues and pull requests)."""
    now = iso(engine.githost.now())
    record = {
        "id": engine.githost.next_id(),
        "number": st.next_number(),
        "title": title,
        "body": body_text,
        "user": login,
        "state": "open",
        "state_reason": None,
        "labels": [],
        "assignees": [],
        "created_at": now,
        "updated_at": now,
        "closed_at": None,
        "closed_by": None,
    }
    st.issues[record["number"]] = record
    return record


def _assignable(engine: Engine, repo: dict[str, Any], logins: list[str]) -> list[str]:
    # Only people with push access can be assigned; others are silently ignored.
    ok = {repo["owner"].lower()}
    if can_push(engine, repo, "token"):
        ok.add(viewer(engine).lower())
    return [a for a in logins if a.lower() in ok]


def _find(st: RepoState, number: str) -> dict[str, Any] | None:
    try:
        return st.issues.get(int(number))
    except ValueError:
        return None


# -- issues ---------------------------------------------------------------------------------


@operation("GET", "/repos/{owner}/{repo}/issues")
def list_issues(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../issues?state=&labels=&creator=&assignee=`` (pull requests included)."""
    st = state(engine, repo)
    wanted_state = req.arg("state") or "open"
    labels = [x.strip().lower() for x in (req.arg("labels") or "").split(",") if x.strip()]
    creator, assignee = req.arg("creator"), req.arg("assignee")
    out = []
    for i in sorted(st.issues.values(), key=lambda x: -x["number"]):
        if wanted_state != "all" and i["state"] != wanted_state:
            continue
        if labels and not set(labels) <= {n.lower() for n in i["labels"]}:
            continue
        if creator and i["user"].lower() != creator.lower():
            continue
        if assignee == "none" and i["assignees"]:
            continue
        if assignee not in (None, "*", "none") and assignee.lower() not in (
            a.lower() for a in i["assignees"]
        ):
            continue
        out.append(issue_json(engine, repo, st, i))
    if req.arg("direction") == "asc":
        out.reverse()
    page, headers = paginate(req, out, f"{api(repo)}/issues")
    return json_reply(page, headers=headers)


@operation("POST", "/repos/{owner}/{repo}/issues")
def create_issue(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``POST .../issues``."""
    st = state(engine, repo)
    data = body(req)
    i = new_issue(engine, st, str(data["title"]), data.get("body"), viewer(engine))
    if can_push(engine, repo, auth):
        for name in data.get("labels") or []:
            name = name if isinstance(name, str) else name.get("name", "")
            i["labels"].append(ensure_label(engine, st, name)["name"])
        people = list(data.get("assignees") or []) + (
            [data["assignee"]] if data.get("assignee") else []
        )
        i["assignees"] = _assignable(engine, repo, people)
    reply = json_reply(issue_json(engine, repo, st, i), 201)
    reply.headers["location"] = f"{api(repo)}/issues/{i['number']}"
    return reply


@operation("GET", "/repos/{owner}/{repo}/issues/{issue_number}")
def get_issue(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../issues/{n}``."""
    st = state(engine, repo)
    i = _find(st, params["issue_number"])
    if i is None:
        return not_found(f"{DOC}/issues#get-an-issue")
    return json_reply(issue_json(engine, repo, st, i))


def close(engine: Engine, i: dict[str, Any], state_name: str, reason: str | None, by: str) -> None:
    """Open or close an issue record."""
    now = iso(engine.githost.now())
    if state_name == "closed" and i["state"] != "closed":
        i.update(state="closed", closed_at=now, closed_by=by, state_reason=reason or "completed")
    elif state_name == "open" and i["state"] != "open":
        i.update(state="open", closed_at=None, closed_by=None, state_reason="reopened")
    i["updated_at"] = now


@operation("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}")
def update_issue(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``PATCH .../issues/{n}``: title, body, state, labels, assignees (author or push)."""
    doc = f"{DOC}/issues#update-an-issue"
    st = state(engine, repo)
    i = _find(st, params["issue_number"])
    if i is None:
        return not_found(doc)
    push = can_push(engine, repo, auth)
    if not push and i["user"].lower() != viewer(engine).lower():
        return error(403, "Resource not accessible by integration", doc)
    data = body(req)
    if i.get("pull") and data.get("state") == "open" and i["pull"].get("merged"):
        return validation_failed(doc, {"resource": "Issue", "code": "invalid", "field": "state"})
    for key in ("title", "body"):
        if key in data:
            i[key] = data[key]
    if "state" in data:
        close(engine, i, data["state"], data.get("state_reason"), viewer(engine))
    if push and "labels" in data:
        names = [n if isinstance(n, str) else n.get("name", "") for n in data["labels"] or []]
        i["labels"] = [ensure_label(engine, st, n)["name"] for n in names]
    if push and "assignees" in data:
        i["assignees"] = _assignable(engine, repo, list(data["assignees"] or []))
    i["updated_at"] = iso(engine.githost.now())
    return json_reply(issue_json(engine, repo, st, i))


# -- comments --------------------------------------------------------------------------------


def comment_json(repo: dict[str, Any], c: dict[str, Any]) -> dict[str, Any]:
    """An issue comment object."""
    base = api(repo)
    return {
        "id": c["id"],
        "node_id": ghc.node_id("IC", c["id"]),
        "url": f"{base}/issues/comments/{c['id']}",
        "html_url": f"{ghc.WEB}/{repo['full_name']}/issues/{c['issue']}#issuecomment-{c['id']}",
        "issue_url": f"{base}/issues/{c['issue']}",
        "body": c["body"],
        "user": user(c["user"]),
        "created_at": c["created_at"],
        "updated_at": c["updated_at"],
        "author_association": "OWNER" if c["user"].lower() == repo["owner"].lower() else "NONE",
    }


@operation("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments")
def list_comments(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../issues/{n}/comments`` (oldest first)."""
    st = state(engine, repo)
    i = _find(st, params["issue_number"])
    if i is None:
        return not_found(f"{DOC}/comments#list-issue-comments")
    out = [comment_json(repo, c) for c in st.comments.values() if c["issue"] == i["number"]]
    page, headers = paginate(req, out, f"{api(repo)}/issues/{i['number']}/comments")
    return json_reply(page, headers=headers)


@operation("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments")
def create_comment(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``POST .../issues/{n}/comments`` (also on pull requests)."""
    st = state(engine, repo)
    i = _find(st, params["issue_number"])
    if i is None:
        return not_found(f"{DOC}/comments#create-an-issue-comment")
    c = add_comment(engine, st, i["number"], body(req)["body"], viewer(engine))
    return json_reply(comment_json(repo, c), 201)


def add_comment(engine: Engine, st: RepoState, number: int, text: str, login: str) -> dict:
    """Store an issue comment."""
    now = iso(engine.githost.now())
    c = {
        "id": engine.githost.next_id(),
        "issue": number,
        "body": text,
        "user": login,
        "created_at": now,
        "updated_at": now,
    }
    st.comments[c["id"]] = c
    return c


def _comment(st: RepoState, cid: str) -> dict[str, Any] | None:
    try:
        return st.comments.get(int(cid))
    except ValueError:
        return None


@operation("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}")
def get_comment(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../issues/comments/{id}``."""
    c = _comment(state(engine, repo), params["comment_id"])
    if c is None:
        return not_found(f"{DOC}/comments#get-an-issue-comment")
    return json_reply(comment_json(repo, c))


@operation("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}")
def update_comment(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``PATCH .../issues/comments/{id}`` (the comment's author or push access)."""
    doc = f"{DOC}/comments#update-an-issue-comment"
    c = _comment(state(engine, repo), params["comment_id"])
    if c is None:
        return not_found(doc)
    if c["user"].lower() != viewer(engine).lower() and not can_push(engine, repo, auth):
        return error(403, "Resource not accessible by integration", doc)
    c.update(body=body(req)["body"], updated_at=iso(engine.githost.now()))
    return json_reply(comment_json(repo, c))


@operation("DELETE", "/repos/{owner}/{repo}/issues/comments/{comment_id}")
def delete_comment(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``DELETE .../issues/comments/{id}``."""
    doc = f"{DOC}/comments#delete-an-issue-comment"
    st = state(engine, repo)
    c = _comment(st, params["comment_id"])
    if c is None:
        return not_found(doc)
    if c["user"].lower() != viewer(engine).lower() and not can_push(engine, repo, auth):
        return error(403, "Resource not accessible by integration", doc)
    del st.comments[c["id"]]
    return Reply(status=204)


# -- labels -----------------------------------------------------------------------------------


@operation("GET", "/repos/{owner}/{repo}/labels")
def list_labels(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../labels``."""
    st = state(engine, repo)
    out = [label_json(repo, x) for x in st.labels.values()]
    page, headers = paginate(req, out, f"{api(repo)}/labels")
    return json_reply(page, headers=headers)


@operation("POST", "/repos/{owner}/{repo}/labels")
def create_label(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``POST .../labels``: 422 ``already_exists`` for a taken name (any case)."""
    doc = f"{DOC}/labels#create-a-label"
    st = state(engine, repo)
    data = body(req)
    name = str(data["name"])
    if name.lower() in st.labels:
        return validation_failed(
            doc, {"resource": "Label", "code": "already_exists", "field": "name"}
        )
    color = str(data.get("color") or "ededed").lstrip("#").lower()
    label = ensure_label(engine, st, name)
    label.update(color=color, description=data.get("description"))
    return json_reply(label_json(repo, label), 201)


@operation("GET", "/repos/{owner}/{repo}/labels/{name}")
def get_label(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../labels/{name}``."""
    label = state(engine, repo).labels.get(params["name"].lower())
    if label is None:
        return not_found(f"{DOC}/labels#get-a-label")
    return json_reply(label_json(repo, label))


@operation("GET", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def list_issue_labels(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../issues/{n}/labels``."""
    st = state(engine, repo)
    i = _find(st, params["issue_number"])
    if i is None:
        return not_found(f"{DOC}/labels#list-labels-for-an-issue")
    return json_reply([label_json(repo, st.labels[n.lower()]) for n in i["labels"]])


def _label_names(data: dict[str, Any]) -> list[str]:
    items = data.get("labels", data.get("_list", []))
    return [x if isinstance(x, str) else str(x.get("name", "")) for x in items or []]


@operation("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def add_issue_labels(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``POST .../issues/{n}/labels``: adds (creating unknown labels); all labels back."""
    st = state(engine, repo)
    i = _find(st, params["issue_number"])
    if i is None:
        return not_found(f"{DOC}/labels#add-labels-to-an-issue")
    for name in _label_names(body(req)):
        label = ensure_label(engine, st, name)
        if label["name"] not in i["labels"]:
            i["labels"].append(label["name"])
    return json_reply([label_json(repo, st.labels[n.lower()]) for n in i["labels"]])


@operation("PUT", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def set_issue_labels(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``PUT .../issues/{n}/labels``: replaces the issue's labels."""
    st = state(engine, repo)
    i = _find(st, params["issue_number"])
    if i is None:
        return not_found(f"{DOC}/labels#set-labels-for-an-issue")
    i["labels"] = [ensure_label(engine, st, n)["name"] for n in _label_names(body(req))]
    return json_reply([label_json(repo, st.labels[n.lower()]) for n in i["labels"]])


@operation("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def clear_issue_labels(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``DELETE .../issues/{n}/labels`` (204)."""
    i = _find(state(engine, repo), params["issue_number"])
    if i is None:
        return not_found(f"{DOC}/labels#remove-all-labels-from-an-issue")
    i["labels"] = []
    return Reply(status=204)


@operation("POST", "/repos/{owner}/{repo}/issues/{issue_number}/assignees")
def add_assignees(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``POST .../issues/{n}/assignees`` (people without push access are ignored)."""
    st = state(engine, repo)
    i = _find(st, params["issue_number"])
    if i is None:
        return not_found(f"{DOC}/assignees#add-assignees-to-an-issue")
    for a in _assignable(engine, repo, list(body(req).get("assignees") or [])):
        if a.lower() not in (x.lower() for x in i["assignees"]):
            i["assignees"].append(a)
    return json_reply(issue_json(engine, repo, st, i), 201)


@operation("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/assignees")
def remove_assignees(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``DELETE .../issues/{n}/assignees``."""
    st = state(engine, repo)
    i = _find(st, params["issue_number"])
    if i is None:
        return not_found(f"{DOC}/assignees#remove-assignees-from-an-issue")
    gone = {a.lower() for a in body(req).get("assignees") or []}
    i["assignees"] = [a for a in i["assignees"] if a.lower() not in gone]
    return json_reply(issue_json(engine, repo, st, i))


# -- search -----------------------------------------------------------------------------------


@operation("GET", "/search/issues")
def search_issues(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET /search/issues?q=``: ``repo:``, ``is:pr|issue|open|closed|merged``,
    ``state:``, ``author:``, ``label:``, ``head:``, ``base:`` and free words."""
    q = req.arg("q")
    if not q:
        return validation_failed(
            "https://docs.github.com/rest/search/search#search-issues-and-pull-requests",
            {"resource": "Search", "field": "q", "code": "missing"},
        )
    filters: dict[str, list[str]] = {}
    words = []
    for token in q.split():
        key, sep, value = token.partition(":")
        if sep and key in ("repo", "is", "state", "author", "label", "head", "base", "type"):
            filters.setdefault(key, []).append(value.strip('"').lower())
        elif not (sep and key == "in"):
            words.append(token.lower())
    items = []
    for record in engine.scenario["github"]["repos"].values():
        if record.get("deleted") or not ghc.visible(record, auth):
            continue
        if "repo" in filters and record["full_name"].lower() not in filters["repo"]:
            continue
        st = state(engine, record)
        for i in st.issues.values():
            if _matches(i, filters, words):
                items.append(issue_json(engine, record, st, i))
    return json_reply({"total_count": len(items), "incomplete_results": False, "items": items})


def _matches(i: dict[str, Any], f: dict[str, list[str]], words: list[str]) -> bool:
    pull = i.get("pull")
    flags = set(f.get("is", [])) | set(f.get("type", []))
    for flag in flags:
        if flag in ("pr", "pull-request") and not pull:
            return False
        if flag == "issue" and pull:
            return False
        if flag in ("open", "closed") and i["state"] != flag:
            return False
        if flag == "merged" and not (pull and pull.get("merged")):
            return False
    if any(s != i["state"] for s in f.get("state", [])):
        return False
    if any(a != i["user"].lower() for a in f.get("author", [])):
        return False
    if not set(f.get("label", [])) <= {n.lower() for n in i["labels"]}:
        return False
    if f.get("head") and not (pull and pull["head_ref"].lower() in f["head"]):
        return False
    if f.get("base") and not (pull and pull["base_ref"].lower() in f["base"]):
        return False
    text = f"{i['title']} {i.get('body') or ''}".lower()
    return all(w in text for w in words)
