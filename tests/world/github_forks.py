"""Forks, syncing a fork with its upstream, and collaborator permissions.

``POST /forks`` answers 202 at once (again 202 with the same fork when it exists); the
fork's git data appears only after the scenario's ``fork_latency`` (a number of requests
to the fork and/or seconds), as on GitHub where forking happens asynchronously.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import github_common as ghc
from .github_git import api, state, viewer_person
from .github_rest import body, error, full_repo_json, operation, owner_json, paginate
from .github_state import can_push
from .wire import Reply, Req, json_reply

if TYPE_CHECKING:
    from .engine import Engine

Params = dict[str, str]


@operation("POST", "/repos/{owner}/{repo}/forks")
def create_fork(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``POST .../forks`` -> 202 with the fork (for the token's user or ``organization``)."""
    data = body(req)
    owner = data.get("organization") or engine.scenario["github"]["viewer"]
    record = engine.githost.fork(
        engine, repo, owner, data.get("name"), bool(data.get("default_branch_only"))
    )
    return json_reply(full_repo_json(engine, record, auth), 202)


@operation("GET", "/repos/{owner}/{repo}/forks")
def list_forks(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../forks``."""
    forks = [
        full_repo_json(engine, r, auth)
        for r in engine.scenario["github"]["repos"].values()
        if r.get("fork_of") == repo["id"] and not r.get("deleted") and ghc.visible(r, auth)
    ]
    page, headers = paginate(req, forks, f"{api(repo)}/forks")
    return json_reply(page, headers=headers)


@operation("POST", "/repos/{owner}/{repo}/merge-upstream")
def merge_upstream(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``POST .../merge-upstream {branch}``: fast-forward or merge the upstream branch of
    the same name; 409 on conflicts, 422 when the repository is not a fork."""
    doc = "https://docs.github.com/rest/branches/branches#sync-a-fork-branch-with-the-upstream-repository"
    branch = body(req)["branch"]
    parent = ghc.lookup_id(engine, int(repo["fork_of"])) if repo.get("fork_of") else None
    if parent is None:
        return error(422, "This repository is not a fork.", doc)
    st, up = state(engine, repo), state(engine, parent)
    ours = st.refs.get(f"refs/heads/{branch}")
    theirs = up.refs.get(f"refs/heads/{branch}")
    if ours is None or theirs is None:
        return error(404, "Branch not found", doc)
    message = f"Merge branch '{branch}' of {parent['full_name']} into {branch}"
    head, kind = engine.githost.merge(st, ours, theirs, viewer_person(engine), message)
    if head is None:
        return error(409, "There are merge conflicts", doc)
    st.refs[f"refs/heads/{branch}"] = head
    verb = {
        "none": "This branch is not behind the upstream",
        "fast-forward": "Successfully fetched and fast-forwarded from upstream",
        "merge": "Successfully fetched and merged from upstream",
    }[kind]
    return json_reply(
        {
            "message": f"{verb} {parent['owner']}:{branch}.",
            "merge_type": kind,
            "base_branch": f"{parent['owner']}:{branch}",
        }
    )


@operation("GET", "/repos/{owner}/{repo}/collaborators/{username}/permission")
def collaborator_permission(
    engine: Engine, req: Req, params: Params, repo: Any, auth: str
) -> Reply:
    """``GET .../collaborators/{username}/permission`` for the owner and the token's user."""
    login = params["username"]
    viewer = engine.scenario["github"]["viewer"]
    if login.lower() == repo["owner"].lower():
        level = "admin"
    elif login.lower() == viewer.lower() and can_push(engine, repo, "token"):
        level = "write"
    else:
        level = "read"
    role = {"admin": "admin", "write": "write", "read": "read"}[level]
    user = owner_json(login, "User", 2000 + sum(map(ord, login)))
    return json_reply({"permission": level, "role_name": role, "user": user})
