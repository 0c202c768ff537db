"""The fake GitHub REST API (api.github.com), checked against GitHub's OpenAPI description.

Every call is matched against ``shared/github/rest-openapi-subset.json``: an operation
GitHub does not have answers 404 and is recorded as a contract violation; an operation
GitHub has but this fake does not implement yet answers 501 and is recorded too.
Implemented operations live in :data:`OPERATIONS` — add pull requests, branches, commits
and issues there.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from . import github_common as ghc
from .wire import Reply, Req, json_reply

if TYPE_CHECKING:
    from .engine import Engine

OPENAPI_PATH = (
    Path(__file__).resolve().parents[3] / "shared" / "github" / "rest-openapi-subset.json"
)
DOCS = "https://docs.github.com/rest"
GREEDY_PARAMS = {"path", "ref", "basehead"}


@dataclass(frozen=True)
class Operation:
    """One REST operation of the published description."""

    method: str
    template: str
    pattern: re.Pattern[str]
    query_params: frozenset[str]


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
            ops.append(Operation(method.upper(), template, _compile(template), frozenset(names)))
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

    handler = OPERATIONS.get((op.method, op.template))
    if handler is None:
        reply = error(501, f"The simulated GitHub does not implement {op.method} {op.template} yet")
        reply.violation = f"unimplemented in tests/world: {op.method} {op.template}"
        return reply
    reply = handler(engine, req, params, repo, auth)
    reply.violation = reply.violation or violation
    return reply


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


@operation("GET", "/repos/{owner}/{repo}")
def get_repo(engine: Engine, req: Req, params: dict[str, str], repo: Any, auth: str) -> Reply:
    """``GET /repos/{owner}/{repo}``."""
    return json_reply(repo_json(repo))


@operation("GET", "/repositories/{id}")
def get_repo_by_id(engine: Engine, req: Req, params: dict[str, str], repo: Any, auth: str) -> Reply:
    """``GET /repositories/{id}`` (where rename redirects point)."""
    return json_reply(repo_json(repo))


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


# -- git trees and contents ------------------------------------------------------------


def _tree_entries(
    record: dict[str, Any], branch: str, prefix: str, recursive: bool, files: dict[str, bytes]
) -> list[dict[str, Any]]:
    api = f"{ghc.API}/repos/{record['full_name']}/git"
    entries = []
    base = prefix + "/" if prefix else ""
    for d in sorted(ghc.directories(files)):
        if not d.startswith(base):
            continue
        rel = d[len(base) :]
        if not recursive and "/" in rel:
            continue
        sha = ghc.tree_sha(record, branch, d + "/")
        entries.append(
            {"path": rel, "mode": "040000", "type": "tree", "sha": sha, "url": f"{api}/trees/{sha}"}
        )
    for p, content in sorted(files.items()):
        if not p.startswith(base):
            continue
        rel = p[len(base) :]
        if not recursive and "/" in rel:
            continue
        sha = ghc.blob_sha(content)
        entries.append(
            {
                "path": rel,
                "mode": "100644",
                "type": "blob",
                "sha": sha,
                "size": len(content),
                "url": f"{api}/blobs/{sha}",
            }
        )
    entries.sort(key=lambda e: e["path"])
    return entries


@operation("GET", "/repos/{owner}/{repo}/git/trees/{tree_sha}")
def get_tree(engine: Engine, req: Req, params: dict[str, str], repo: Any, auth: str) -> Reply:
    """``GET .../git/trees/{tree_sha}`` — by branch name, HEAD, or a tree id we handed out."""
    wanted = params["tree_sha"]
    recursive = "recursive" in req.query  # GitHub: any value turns recursion on.
    doc = "https://docs.github.com/rest/git/trees#get-a-tree"
    for branch, raw in (repo.get("trees") or {}).items():
        files = {p: c.encode("latin-1") for p, c in raw.items()}
        candidates = {"": ghc.tree_sha(repo, branch, "")}
        candidates.update({d: ghc.tree_sha(repo, branch, d + "/") for d in ghc.directories(files)})
        head = wanted in (branch, "HEAD") and branch == (
            repo["default_branch"] if wanted == "HEAD" else branch
        )
        if head or wanted == ghc.commit_sha(repo, branch):
            prefix = ""
        else:
            prefix = next((d for d, s in candidates.items() if s == wanted), None)  # type: ignore[assignment]
            if prefix is None:
                continue
        sha = candidates[prefix]
        return json_reply(
            {
                "sha": sha,
                "url": f"{ghc.API}/repos/{repo['full_name']}/git/trees/{sha}",
                "tree": _tree_entries(repo, branch, prefix, recursive, files),
                "truncated": False,
            }
        )
    return error(404, "Not Found", doc)


def _content_entry(
    repo: dict[str, Any], ref: str, path: str, content: bytes | None
) -> dict[str, Any]:
    full = repo["full_name"]
    name = path.rsplit("/", 1)[-1]
    is_dir = content is None
    sha = ghc.tree_sha(repo, ref, path + "/") if is_dir else ghc.blob_sha(content or b"")
    api = f"{ghc.API}/repos/{full}/contents/{path}?ref={ref}"
    html = f"{ghc.WEB}/{full}/{'tree' if is_dir else 'blob'}/{ref}/{path}"
    git = f"{ghc.API}/repos/{full}/git/{'trees' if is_dir else 'blobs'}/{sha}"
    return {
        "name": name,
        "path": path,
        "sha": sha,
        "size": 0 if is_dir else len(content or b""),
        "url": api,
        "html_url": html,
        "git_url": git,
        "download_url": None
        if is_dir
        else f"https://raw.githubusercontent.com/{full}/{ref}/{path}",
        "type": "dir" if is_dir else "file",
        "_links": {"self": api, "git": git, "html": html},
    }


@operation("GET", "/repos/{owner}/{repo}/contents/{path}")
def get_contents(engine: Engine, req: Req, params: dict[str, str], repo: Any, auth: str) -> Reply:
    """``GET .../contents/{path}?ref=`` — a file (base64) or a directory listing."""
    doc = "https://docs.github.com/rest/repos/contents#get-repository-content"
    if not repo.get("trees"):
        return error(404, "This repository is empty.", doc)
    ref = req.arg("ref") or repo["default_branch"]
    files = ghc.branch_files(repo, ref)
    if files is None:
        return error(404, f"No commit found for the ref {ref}", doc)
    path = params["path"].strip("/")
    if path in files:
        content = files[path]
        entry = _content_entry(repo, ref, path, content)
        encoded = base64.encodebytes(content).decode("ascii")
        entry.update({"content": encoded, "encoding": "base64"})
        return json_reply(entry)
    dirs = ghc.directories(files)
    if path == "" or path in dirs:
        base = path + "/" if path else ""
        listing = []
        for d in sorted(dirs):
            if d.startswith(base) and "/" not in d[len(base) :]:
                listing.append(_content_entry(repo, ref, d, None))
        for p in sorted(files):
            if p.startswith(base) and "/" not in p[len(base) :]:
                listing.append(_content_entry(repo, ref, p, files[p]))
        return json_reply(listing)
    return error(404, "Not Found", doc)
