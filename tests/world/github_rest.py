"""The fake GitHub REST API (api.github.com), checked against GitHub's OpenAPI description.

Every call is matched against ``shared/github/rest-openapi-subset.json``: an operation
GitHub does not have answers 404 and is recorded as a contract violation; an operation
GitHub has but this fake does not implement yet answers 501 and is recorded too.
Implemented operations live in :data:`OPERATIONS` — add pull requests, branches, commits
and issues there.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from . import github_common as ghc
from .github_bodies import check_body
from .github_state import can_push
from .wire import Reply, Req, json_reply

if TYPE_CHECKING:
    from .engine import Engine

OPENAPI_PATH = (
    Path(__file__).resolve().parents[3] / "shared" / "github" / "rest-openapi-subset.json"
)
DOCS = "https://docs.github.com/rest"
GREEDY_PARAMS = {"path", "ref", "basehead", "branch"}


@dataclass(frozen=True)
class Operation:
    """One REST operation of the published description."""

    method: str
    template: str
    pattern: re.Pattern[str]
    query_params: frozenset[str]
    body_schema: dict[str, Any] | None = field(default=None, compare=False, hash=False)
    doc: str = field(default=DOCS, compare=False, hash=False)


def _compile(template: str) -> re.Pattern[str]:
    out = ""
    for part in re.split(r"(\{[^}]+\})", template):
        if part.startswith("{"):
            name = part[1:-1]
            out += f"(?P<{name}>.*)" if name in GREEDY_PARAMS else f"(?P<{name}>[^/]+)"
        else:
            out += re.escape(part)
    return re.compile(f"^{out}$")


@lru_cache(maxsize=1)
def operations() -> tuple[Operation, ...]:
    """All operations of the OpenAPI subset, plus ``GET /repositories/{id}``."""
    spec = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
    ops = []
    for template, item in spec["paths"].items():
        shared = [p["name"] for p in item.get("parameters", []) if p.get("in") == "query"]
        for method, op in item.items():
            if method == "parameters":
                continue
            names = shared + [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]
            content = op.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            doc = op.get("externalDocs", {}).get("url", DOCS).split("?")[0]
            ops.append(
                Operation(
                    method.upper(), template, _compile(template), frozenset(names), schema, doc
                )
            )
    ops.append(Operation("GET", "/repositories/{id}", _compile("/repositories/{id}"), frozenset()))
    # Specific templates before greedy ones.
    ops.sort(key=lambda o: (o.template.count("{"), -len(o.template)))
    return tuple(ops)


def match(method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
    """The operation for ``method path`` and its path parameters."""
    for op in operations():
        if op.method != method:
            continue
        m = op.pattern.match(path)
        if m:
            return op, {k: unquote(v) for k, v in m.groupdict().items()}
    return None


RestHandler = Callable[["Engine", Req, dict[str, str], "dict[str, Any] | None", str], Reply]
OPERATIONS: dict[tuple[str, str], RestHandler] = {}
"""Implemented operations: ``(METHOD, template) -> handler(engine, req, params, repo, auth)``.
For ``/repos/{owner}/{repo}/...`` templates ``repo`` is the resolved record (renames and
404s are handled before the handler runs)."""


def operation(method: str, template: str) -> Callable[[RestHandler], RestHandler]:
    """Register an implemented operation."""

    def register(fn: RestHandler) -> RestHandler:
        OPERATIONS[(method, template)] = fn
        return fn

    return register


# -- replies -----------------------------------------------------------------------


def error(status: int, message: str, doc: str = DOCS, **extra: Any) -> Reply:
    """GitHub's error body."""
    body = {"message": message, "documentation_url": doc, "status": str(status), **extra}
    return json_reply(body, status)


def not_found(doc: str = DOCS) -> Reply:
    """GitHub's 404."""
    return error(404, "Not Found", doc)


def secondary_limit_reply(engine: Engine, fault: dict[str, Any]) -> Reply:
    """A secondary rate limit hit (403 or 429 with Retry-After)."""
    status = int(fault.get("status") or 403)
    reply = error(
        status,
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
        "again. If you reach out to GitHub Support for help, please include the request ID "
        "0000:0000:000000:000000:00000000.",
        "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
        "#about-secondary-rate-limits",
    )
    reply.headers["retry-after"] = str(fault.get("retry_after", 60))
    return reply


def _etag(body: bytes) -> str:
    return 'W/"' + hashlib.sha256(body).hexdigest()[:40] + '"'


# -- dispatch ----------------------------------------------------------------------


def handle(engine: Engine, req: Req) -> Reply:
    """Answer one REST request (everything on api.github.com except /graphql)."""
    auth = ghc.authenticate(engine, req.header("authorization"))
    if auth == "bad":
        return error(401, "Bad credentials")
    path = req.path
    q = quota(engine, auth)
    counted = path.rstrip("/") != "/rate_limit"
    if counted and q.remaining <= 0:
        ghc.spend(engine, "core", auth)
        reply = _exceeded(auth)
        reply.headers.update(quota(engine, auth).headers())
        return reply

    reply = _dispatch(engine, req, path, auth)

    inm = req.header("if-none-match")
    if reply.status == 200 and req.method in ("GET", "HEAD"):
        etag = _etag(reply.body)
        reply.headers["etag"] = etag
        if inm and etag in [t.strip() for t in inm.split(",")]:
            reply = Reply(status=304, headers={"etag": etag})
            # GitHub: a 304 to a correctly authorized request is free.
            if auth == "token":
                counted = False
    if counted:
        ghc.spend(engine, "core", auth)
    reply.headers.update(quota(engine, auth).headers())
    reply.headers.setdefault("x-github-media-type", "github.v3; format=json")
    reply.headers.setdefault("x-github-api-version-selected", "2022-11-28")
    if req.method == "HEAD":
        reply.body = b""
    return reply


def quota(engine: Engine, auth: str) -> ghc.Quota:
    """The core bucket for ``auth``."""
    return ghc.quota(engine, "core", auth)


def _exceeded(auth: str) -> Reply:
    if auth == "token":
        msg = "API rate limit exceeded for user ID 1."
    else:
        msg = (
            "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated "
            "requests get a higher rate limit. Check out the documentation for more details.)"
        )
    return error(
        403,
        msg,
        "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting",
    )


def _dispatch(engine: Engine, req: Req, path: str, auth: str) -> Reply:
    method = "GET" if req.method == "HEAD" else req.method
    repo: dict[str, Any] | None = None
    check_path = path
    m = re.match(r"^/repositories/(\d+)(/.*)?$", path)
    if m:
        repo = ghc.lookup_id(engine, int(m.group(1)))
        if repo is None or not ghc.visible(repo, auth):
            return not_found()
        if m.group(2):
            check_path = f"/repos/{repo['owner']}/{repo['name']}{m.group(2)}"
    found = match(method, check_path) or match(method, check_path.rstrip("/") or "/")
    if found is None:
        reply = not_found()
        reply.violation = f"no such GitHub REST operation: {req.method} {path}"
        return reply
    op, params = found
    unknown = {k for k in req.query if k not in op.query_params}
    violation = None
    if unknown:
        violation = f"query parameters {sorted(unknown)} not accepted by {op.method} {op.template}"

    if op.template.startswith("/repos/{owner}/{repo}") and repo is None:
        repo, renamed = ghc.lookup(engine, params["owner"], params["repo"])
        if repo is None or not ghc.visible(repo, auth):
            reply = not_found()
            reply.violation = violation
            return reply
        if renamed:
            rest = path.split("/", 4)[4] if path.count("/") >= 4 else ""
            url = f"{ghc.API}/repositories/{repo['id']}" + (f"/{rest}" if rest else "")
            if req.query_string:
                url += f"?{req.query_string}"
            reply = json_reply(
                {
                    "message": "Moved Permanently",
                    "url": url,
                    "documentation_url": "https://docs.github.com/v3/#http-redirects",
                },
                301,
                {"location": url},
            )
            reply.violation = violation
            return reply

    if repo is not None and op.template.startswith("/repos/{owner}/{repo}"):
        engine.githost.touch(repo)
    refused = _refuse_write(engine, req, op, repo, auth)
    if refused is not None:
        refused.violation = refused.violation or violation
        return refused

    handler = OPERATIONS.get((op.method, op.template))
    if handler is None:
        reply = error(501, f"The simulated GitHub does not implement {op.method} {op.template} yet")
        reply.violation = f"unimplemented in tests/world: {op.method} {op.template}"
        return reply
    reply = handler(engine, req, params, repo, auth)
    reply.violation = reply.violation or violation
    return reply


# Writes anyone who can read may make (GitHub checks authorship or nothing more).
OPEN_WRITES = frozenset(
    {
        ("POST", "/repos/{owner}/{repo}/forks"),
        ("POST", "/repos/{owner}/{repo}/pulls"),
        ("PATCH", "/repos/{owner}/{repo}/pulls/{pull_number}"),
        ("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"),
        ("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/comments"),
        ("PATCH", "/repos/{owner}/{repo}/pulls/comments/{comment_id}"),
        ("DELETE", "/repos/{owner}/{repo}/pulls/comments/{comment_id}"),
        ("POST", "/repos/{owner}/{repo}/issues"),
        ("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}"),
        ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
        ("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
        ("DELETE", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
    }
)


def _refuse_write(
    engine: Engine, req: Req, op: Operation, repo: dict[str, Any] | None, auth: str
) -> Reply | None:
    """401 without a token, 403/404 without push access, 422 for a body GitHub rejects."""
    if op.method == "GET":
        return None
    if auth != "token":
        return error(401, "Requires authentication", op.doc)
    needs_push = repo is not None and (op.method, op.template) not in OPEN_WRITES
    if needs_push and not can_push(engine, repo, auth):
        status = int(engine.scenario["github"].get("write_denied_status", 403))
        if status == 404:
            return not_found(op.doc)
        return error(403, "Resource not accessible by integration", op.doc)
    problem = check_body(req, op.body_schema)
    if problem is None:
        return None
    status, message = problem
    reply = error(status, message, op.doc)
    reply.violation = f"request body refused by {op.method} {op.template}: {message!r}"
    return reply


def body(req: Req) -> dict[str, Any]:
    """The JSON request body as a dict (already validated by the dispatcher)."""
    if not req.body.strip():
        return {}
    data = req.json()
    return data if isinstance(data, dict) else {"_list": data}


def paginate(req: Req, items: list[Any], url: str) -> tuple[list[Any], dict[str, str]]:
    """One page of ``items`` (``per_page`` default 30, max 100) and its ``Link`` header."""
    try:
        per_page = max(1, min(100, int(req.arg("per_page") or 30)))
        page = max(1, int(req.arg("page") or 1))
    except ValueError:
        per_page, page = 30, 1
    last = max(1, -(-len(items) // per_page))
    rels = []
    other = "&".join(
        f"{k}={v}" for k, vs in req.query.items() if k not in ("page", "per_page") for v in vs
    )
    sep = "&" if other else ""

    def link(n: int, rel: str) -> str:
        return f'<{url}?{other}{sep}per_page={per_page}&page={n}>; rel="{rel}"'

    if page < last:
        rels += [link(page + 1, "next"), link(last, "last")]
    if page > 1:
        rels += [link(1, "first"), link(page - 1, "prev")]
    headers = {"link": ", ".join(rels)} if rels else {}
    return items[(page - 1) * per_page : page * per_page], headers


def validation_failed(doc: str, *errors: dict[str, Any]) -> Reply:
    """GitHub's 422 ``Validation Failed`` with an ``errors`` list."""
    return error(422, "Validation Failed", doc, errors=list(errors))


# -- repositories --------------------------------------------------------------------


def owner_json(login: str, kind: str = "User", number: int = 1) -> dict[str, Any]:
    """A simple-user object."""
    api = f"{ghc.API}/users/{login}"
    return {
        "login": login,
        "id": number,
        "node_id": ghc.node_id("U", number),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{number}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": f"{ghc.WEB}/{login}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": kind,
        "site_admin": False,
    }


def repo_json(r: dict[str, Any]) -> dict[str, Any]:
    """The full repository object of ``GET /repos/{owner}/{repo}``."""
    full = r["full_name"]
    api = f"{ghc.API}/repos/{full}"
    html = f"{ghc.WEB}/{full}"
    templated = {
        "archive_url": "/{archive_format}{/ref}",
        "assignees_url": "/assignees{/user}",
        "blobs_url": "/git/blobs{/sha}",
        "branches_url": "/branches{/branch}",
        "collaborators_url": "/collaborators{/collaborator}",
        "comments_url": "/comments{/number}",
        "commits_url": "/commits{/sha}",
        "compare_url": "/compare/{base}...{head}",
        "contents_url": "/contents/{+path}",
        "contributors_url": "/contributors",
        "deployments_url": "/deployments",
        "downloads_url": "/downloads",
        "events_url": "/events",
        "forks_url": "/forks",
        "git_commits_url": "/git/commits{/sha}",
        "git_refs_url": "/git/refs{/sha}",
        "git_tags_url": "/git/tags{/sha}",
        "hooks_url": "/hooks",
        "issue_comment_url": "/issues/comments{/number}",
        "issue_events_url": "/issues/events{/number}",
        "issues_url": "/issues{/number}",
        "keys_url": "/keys{/key_id}",
        "labels_url": "/labels{/name}",
        "languages_url": "/languages",
        "merges_url": "/merges",
        "milestones_url": "/milestones{/number}",
        "notifications_url": "/notifications{?since,all,participating}",
        "pulls_url": "/pulls{/number}",
        "releases_url": "/releases{/id}",
        "stargazers_url": "/stargazers",
        "statuses_url": "/statuses/{sha}",
        "subscribers_url": "/subscribers",
        "subscription_url": "/subscription",
        "tags_url": "/tags",
        "teams_url": "/teams",
        "trees_url": "/git/trees{/sha}",
    }
    out: dict[str, Any] = {
        "id": r["id"],
        "node_id": ghc.node_id("R", r["id"]),
        "name": r["name"],
        "full_name": full,
        "owner": owner_json(r["owner"], r.get("owner_type", "User"), 1000 + int(r["id"]) % 997),
        "private": r["private"],
        "html_url": html,
        "description": r["description"],
        "fork": r["fork"],
        "url": api,
    }
    out.update({k: api + v for k, v in templated.items()})
    out.update(
        {
            "git_url": f"git://github.com/{full}.git",
            "ssh_url": f"git@github.com:{full}.git",
            "clone_url": f"{html}.git",
            "svn_url": html,
            "mirror_url": None,
            "homepage": r["homepage"],
            "language": r.get("language"),
            "forks_count": r["forks"],
            "forks": r["forks"],
            "stargazers_count": r["stars"],
            "watchers_count": r["stars"],
            "watchers": r["stars"],
            "size": 108,
            "default_branch": r["default_branch"],
            "open_issues_count": 0,
            "open_issues": 0,
            "is_template": False,
            "topics": r.get("topics", []),
            "has_issues": True,
            "has_projects": True,
            "has_wiki": True,
            "has_pages": False,
            "has_downloads": True,
            "has_discussions": False,
            "archived": r["archived"],
            "disabled": r["disabled"],
            "visibility": "private" if r["private"] else "public",
            "pushed_at": r["pushed_at"],
            "created_at": r["created_at"],
            "updated_at": r["updated_at"],
            "allow_forking": True,
            "web_commit_signoff_required": False,
            "license": None,
            "network_count": r["forks"],
            "subscribers_count": 1,
        }
    )
    return out


def full_repo_json(engine: Engine, r: dict[str, Any], auth: str) -> dict[str, Any]:
    """``repo_json`` plus what depends on the caller (``permissions``) and fork parents."""
    out = repo_json(r)
    if auth == "token":
        push = can_push(engine, r, auth)
        admin = push and r["owner"].lower() == engine.scenario["github"]["viewer"].lower()
        out["permissions"] = {
            "admin": admin,
            "maintain": push,
            "push": push,
            "triage": push,
            "pull": True,
        }
    parent = ghc.lookup_id(engine, int(r["fork_of"])) if r.get("fork_of") else None
    if parent is not None:
        out["parent"] = repo_json(parent)
        source = parent
        while source.get("fork_of"):
            up = ghc.lookup_id(engine, int(source["fork_of"]))
            if up is None:
                break
            source = up
        out["source"] = repo_json(source)
    return out


@operation("GET", "/repos/{owner}/{repo}")
def get_repo(engine: Engine, req: Req, params: dict[str, str], repo: Any, auth: str) -> Reply:
    """``GET /repos/{owner}/{repo}`` (with ``permissions`` for a token)."""
    return json_reply(full_repo_json(engine, repo, auth))


@operation("GET", "/repositories/{id}")
def get_repo_by_id(engine: Engine, req: Req, params: dict[str, str], repo: Any, auth: str) -> Reply:
    """``GET /repositories/{id}`` (where rename redirects point)."""
    return json_reply(full_repo_json(engine, repo, auth))


@operation("GET", "/rate_limit")
def get_rate_limit(engine: Engine, req: Req, params: dict[str, str], repo: Any, auth: str) -> Reply:
    """``GET /rate_limit`` (free, as on GitHub)."""
    core = quota(engine, auth)
    gql = ghc.quota(engine, "graphql", auth)

    def bucket(q: ghc.Quota) -> dict[str, int]:
        return {
            "limit": q.limit,
            "used": min(q.used, q.limit),
            "remaining": q.remaining,
            "reset": q.reset,
        }

    search = {
        "limit": 30 if auth == "token" else 10,
        "used": 0,
        "remaining": 30 if auth == "token" else 10,
        "reset": core.reset,
    }
    resources = {"core": bucket(core), "search": search}
    if auth == "token":
        resources["graphql"] = bucket(gql)
    else:
        resources["graphql"] = {"limit": 0, "used": 0, "remaining": 0, "reset": core.reset}
    return json_reply({"resources": resources, "rate": bucket(core)})


@operation("GET", "/user")
def get_user(engine: Engine, req: Req, params: dict[str, str], repo: Any, auth: str) -> Reply:
    """``GET /user``: the token's owner."""
    if auth != "token":
        return error(
            401,
            "Requires authentication",
            "https://docs.github.com/rest/users/users#get-the-authenticated-user",
        )
    return json_reply(owner_json(engine.scenario["github"]["viewer"], "User", 1))
