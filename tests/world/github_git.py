"""The fake GitHub's git data, refs, branches, commits, compare and contents endpoints,
answered from the real object store in :mod:`.github_state`.

Refusals follow GitHub's answers: 409 ``Git Repository is empty.``, 422 ``Reference
already exists`` / ``Reference does not exist`` / ``Update is not a fast forward`` /
``Object does not exist`` / ``Tree SHA does not exist`` / ``base_tree is not a valid tree
oid`` / ``tree.sha <sha> is not a valid blob``, 404 for unknown objects.
"""

from __future__ import annotations

import base64
import calendar
import re
import time
from typing import TYPE_CHECKING, Any

from . import github_common as ghc
from .git_diff import FileDiff, tree_diff
from .git_objects import (
    BLOB_MODES,
    COMMIT_MODE,
    TREE_MODE,
    Commit,
    ObjectError,
    Person,
    kind_of_mode,
)
from .github_rest import body, error, not_found, operation, owner_json, paginate
from .github_state import FULL_SHA, RepoState, iso
from .wire import Reply, Req, json_reply

if TYPE_CHECKING:
    from .engine import Engine

DOC = "https://docs.github.com/rest/git"
EMPTY = "Git Repository is empty."
Params = dict[str, str]


def state(engine: Engine, repo: dict[str, Any]) -> RepoState:
    """The repository's runtime git state."""
    return engine.githost.state(repo)


def api(repo: dict[str, Any]) -> str:
    """``https://api.github.com/repos/o/n``."""
    return f"{ghc.API}/repos/{repo['full_name']}"


def empty_repo(doc: str) -> Reply:
    """GitHub's 409 for git calls on a repository without commits."""
    return error(409, EMPTY, doc)


# -- people and commits as JSON ----------------------------------------------------------


def viewer_person(engine: Engine, when: int | None = None) -> Person:
    """The token owner as a commit author (GitHub's noreply address)."""
    login = engine.scenario["github"]["viewer"]
    email = f"{login}@users.noreply.github.com"
    engine.githost.logins[email.lower()] = login
    return Person(login, email, when or engine.githost.now())


def person_json(p: Person) -> dict[str, Any]:
    """``{name, email, date}``."""
    return {"name": p.name, "email": p.email, "date": iso(p.when)}


def user_for(engine: Engine, p: Person) -> dict[str, Any] | None:
    """The GitHub user an author email belongs to (None when GitHub would not know)."""
    login = engine.githost.logins.get(p.email.lower())
    return owner_json(login, "User", 2000 + sum(map(ord, login))) if login else None


def parse_person(engine: Engine, data: dict[str, Any] | None, default: Person) -> Person:
    """An ``author``/``committer`` body object (date optional) as a :class:`Person`."""
    if not data:
        return default
    when = default.when
    if data.get("date"):
        when = parse_date(str(data["date"])) or default.when
    return Person(str(data.get("name", default.name)), str(data.get("email", default.email)), when)


def parse_date(text: str) -> int | None:
    """ISO 8601 (``YYYY-MM-DDTHH:MM:SSZ`` or with an offset) to epoch seconds."""
    m = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?$", text)
    if not m:
        return None
    ts = calendar.timegm(time.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S"))
    tz = m.group(2) or "Z"
    if tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        hh, mm = int(tz[1:3]), int(tz[-2:])
        ts -= sign * (hh * 3600 + mm * 60)
    return ts


def verification() -> dict[str, Any]:
    """An unsigned commit's verification block."""
    return {
        "verified": False,
        "reason": "unsigned",
        "signature": None,
        "payload": None,
        "verified_at": None,
    }


def git_commit_json(repo: dict[str, Any], c: Commit) -> dict[str, Any]:
    """The Git Data API commit object."""
    base = api(repo)
    return {
        "sha": c.sha,
        "node_id": ghc.node_id("C", int(c.sha[:8], 16)),
        "url": f"{base}/git/commits/{c.sha}",
        "html_url": f"{ghc.WEB}/{repo['full_name']}/commit/{c.sha}",
        "author": person_json(c.author),
        "committer": person_json(c.committer),
        "tree": {"sha": c.tree, "url": f"{base}/git/trees/{c.tree}"},
        "message": c.message,
        "parents": [
            {
                "sha": p,
                "url": f"{base}/git/commits/{p}",
                "html_url": f"{ghc.WEB}/{repo['full_name']}/commit/{p}",
            }
            for p in c.parents
        ],
        "verification": verification(),
    }


def commit_json(engine: Engine, repo: dict[str, Any], c: Commit) -> dict[str, Any]:
    """The repository commit object of ``GET /commits`` and friends."""
    base = api(repo)
    return {
        "url": f"{base}/commits/{c.sha}",
        "sha": c.sha,
        "node_id": ghc.node_id("C", int(c.sha[:8], 16)),
        "html_url": f"{ghc.WEB}/{repo['full_name']}/commit/{c.sha}",
        "comments_url": f"{base}/commits/{c.sha}/comments",
        "commit": {
            "url": f"{base}/git/commits/{c.sha}",
            "author": person_json(c.author),
            "committer": person_json(c.committer),
            "message": c.message,
            "tree": {"sha": c.tree, "url": f"{base}/git/trees/{c.tree}"},
            "comment_count": 0,
            "verification": verification(),
        },
        "author": user_for(engine, c.author),
        "committer": user_for(engine, c.committer),
        "parents": [
            {
                "sha": p,
                "url": f"{base}/commits/{p}",
                "html_url": f"{ghc.WEB}/{repo['full_name']}/commit/{p}",
            }
            for p in c.parents
        ],
    }


def file_json(repo: dict[str, Any], ref: str, d: FileDiff) -> dict[str, Any]:
    """One entry of a commit's, comparison's or pull request's ``files``."""
    web = f"{ghc.WEB}/{repo['full_name']}"
    out = {
        "sha": d.sha,
        "filename": d.filename,
        "status": d.status,
        "additions": d.additions,
        "deletions": d.deletions,
        "changes": d.changes,
        "blob_url": f"{web}/blob/{ref}/{d.filename}",
        "raw_url": f"{web}/raw/{ref}/{d.filename}",
        "contents_url": f"{api(repo)}/contents/{d.filename}?ref={ref}",
    }
    if d.patch:
        out["patch"] = d.patch
    return out


def commit_files(st: RepoState, c: Commit) -> list[FileDiff]:
    """What ``c`` changed against its first parent."""
    parent_tree = st.store.commit(c.parents[0]).tree if c.parents else None
    return tree_diff(st.store, parent_tree, c.tree)


def ref_json(repo: dict[str, Any], name: str, sha: str) -> dict[str, Any]:
    """A git reference object."""
    return {
        "ref": name,
        "node_id": ghc.node_id("REF", abs(hash(name)) % 10**8),
        "url": f"{api(repo)}/git/{name}",
        "object": {"type": "commit", "sha": sha, "url": f"{api(repo)}/git/commits/{sha}"},
    }


# -- blobs -----------------------------------------------------------------------------


@operation("POST", "/repos/{owner}/{repo}/git/blobs")
def create_blob(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``POST .../git/blobs`` (``encoding`` utf-8 or base64)."""
    doc = f"{DOC}/blobs#create-a-blob"
    st = state(engine, repo)
    if st.empty:
        return empty_repo(doc)
    data = body(req)
    encoding = data.get("encoding", "utf-8")
    if encoding not in ("utf-8", "base64"):
        return error(422, f"encoding must be either 'utf-8' or 'base64', not '{encoding}'", doc)
    try:
        content = (
            base64.b64decode(data["content"])
            if encoding == "base64"
            else data["content"].encode("utf-8")
        )
    except ValueError:
        return error(422, "Invalid base64 content", doc)
    sha = st.store.put_blob(content)
    return json_reply({"url": f"{api(repo)}/git/blobs/{sha}", "sha": sha}, 201)


@operation("GET", "/repos/{owner}/{repo}/git/blobs/{file_sha}")
def get_blob(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../git/blobs/{sha}`` (base64 content)."""
    doc = f"{DOC}/blobs#get-a-blob"
    st = state(engine, repo)
    if st.empty:
        return empty_repo(doc)
    sha = params["file_sha"]
    if st.store.kind(sha) != "blob":
        return not_found(doc)
    content = st.store.blob(sha)
    return json_reply(
        {
            "content": base64.encodebytes(content).decode("ascii"),
            "encoding": "base64",
            "url": f"{api(repo)}/git/blobs/{sha}",
            "sha": sha,
            "size": len(content),
            "node_id": ghc.node_id("B", int(sha[:8], 16)),
        }
    )


# -- trees -----------------------------------------------------------------------------


def tree_json(repo: dict[str, Any], st: RepoState, sha: str, recursive: bool) -> dict[str, Any]:
    """``{sha, url, tree: [...], truncated}`` for tree ``sha``."""
    entries = []
    walk = st.store.walk(sha) if recursive else ((e.name, e) for e in st.store.tree(sha))
    for path, e in walk:
        item: dict[str, Any] = {"path": path, "mode": e.mode, "type": e.kind, "sha": e.sha}
        if e.kind == "blob":
            item["size"] = len(st.store.blob(e.sha))
            item["url"] = f"{api(repo)}/git/blobs/{e.sha}"
        elif e.kind == "tree":
            item["url"] = f"{api(repo)}/git/trees/{e.sha}"
        entries.append(item)
    return {
        "sha": sha,
        "url": f"{api(repo)}/git/trees/{sha}",
        "tree": entries,
        "truncated": False,
    }


@operation("GET", "/repos/{owner}/{repo}/git/trees/{tree_sha}")
def get_tree(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../git/trees/{tree_sha}``: a tree SHA, or a commit SHA / branch / tag (its
    root tree). ``recursive`` with any value recurses, as on GitHub."""
    doc = f"{DOC}/trees#get-a-tree"
    st = state(engine, repo)
    if st.empty:
        return empty_repo(doc)
    wanted = params["tree_sha"]
    if st.store.kind(wanted) == "tree":
        sha = wanted
    else:
        commit = engine.githost.resolve_commit(st, repo, wanted)
        if commit is None:
            return not_found(doc)
        sha = st.store.commit(commit).tree
    return json_reply(tree_json(repo, st, sha, "recursive" in req.query))


@operation("POST", "/repos/{owner}/{repo}/git/trees")
def create_tree(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``POST .../git/trees``: entries (nested paths allowed) over an optional
    ``base_tree``; ``sha: null`` deletes a path."""
    doc = f"{DOC}/trees#create-a-tree"
    st = state(engine, repo)
    if st.empty:
        return empty_repo(doc)
    data = body(req)
    store = st.store
    flat: dict[str, tuple[str, str]] = {}
    if "base_tree" in data:
        base = data["base_tree"]
        if store.kind(base) != "tree":
            return error(422, "base_tree is not a valid tree oid", doc)
        flat = store.flat(base)
    for entry in data["tree"]:
        path = str(entry.get("path") or "").strip("/")
        mode, kind = entry.get("mode"), entry.get("type")
        if not path or mode is None or kind is None:
            return error(422, "Must supply a valid tree.path, tree.mode and tree.type", doc)
        if kind_of_mode(mode) != kind:
            return error(422, f"tree.type {kind} does not match tree.mode {mode}", doc)
        has_sha, has_content = "sha" in entry, "content" in entry
        if has_sha == has_content:
            return error(422, "Must supply either tree.sha or tree.content", doc)
        under = path + "/"
        if has_sha and entry["sha"] is None:
            for p in [p for p in flat if p == path or p.startswith(under)]:
                del flat[p]
            continue
        if has_content:
            if kind != "blob":
                return error(422, "tree.content may only be given for blobs", doc)
            sha = store.put_blob(str(entry["content"]).encode("utf-8"))
        else:
            sha = entry["sha"]
            if kind == "blob" and store.kind(sha) != "blob":
                return error(422, f"tree.sha {sha} is not a valid blob", doc)
            if kind == "tree" and store.kind(sha) != "tree":
                return error(422, f"tree.sha {sha} is not a valid tree", doc)
            if kind == "commit" and not FULL_SHA.match(sha):
                return error(422, f"tree.sha {sha} is not a valid commit", doc)
        for p in [p for p in flat if p == path or p.startswith(under)]:
            del flat[p]
        if kind == "tree":
            flat.update({f"{under}{p}": v for p, v in store.flat(sha).items()})
        else:
            flat[path] = (mode, sha)
    for p in list(flat):  # a file cannot also be a directory
        parts = p.split("/")
        for i in range(1, len(parts)):
            if "/".join(parts[:i]) in flat:
                return error(422, f"tree.path {p} conflicts with a file", doc)
    try:
        sha = store.build_tree(flat)
    except ObjectError as exc:
        return error(422, str(exc), doc)
    return json_reply(tree_json(repo, st, sha, recursive=False), 201)


# -- commits (git data) -------------------------------------------------------------------


@operation("POST", "/repos/{owner}/{repo}/git/commits")
def create_commit(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``POST .../git/commits``: ``tree`` must be a tree, every parent a commit."""
    doc = f"{DOC}/commits#create-a-commit"
    st = state(engine, repo)
    if st.empty:
        return empty_repo(doc)
    data = body(req)
    if st.store.kind(data["tree"]) != "tree":
        return error(422, "Tree SHA does not exist", doc)
    parents = list(data.get("parents") or [])
    for p in parents:
        if not FULL_SHA.match(p):
            return error(
                422,
                "Each SHA in the 'parents' parameter must be exactly 40 characters and "
                "contain only [0-9a-f].",
                doc,
            )
        if st.store.kind(p) != "commit":
            return error(422, "Parent SHA does not exist or is not a commit object", doc)
    author = parse_person(engine, data.get("author"), viewer_person(engine))
    committer = parse_person(engine, data.get("committer"), author)
    sha = st.store.put_commit(data["tree"], parents, author, committer, str(data["message"]))
    return json_reply(git_commit_json(repo, st.store.commit(sha)), 201)


@operation("GET", "/repos/{owner}/{repo}/git/commits/{commit_sha}")
def get_git_commit(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../git/commits/{sha}``: a full commit SHA only (no branch names)."""
    doc = f"{DOC}/commits#get-a-commit-object"
    st = state(engine, repo)
    if st.empty:
        return empty_repo(doc)
    sha = params["commit_sha"]
    if st.store.kind(sha) != "commit":
        return not_found(doc)
    return json_reply(git_commit_json(repo, st.store.commit(sha)))


# -- refs ------------------------------------------------------------------------------


@operation("GET", "/repos/{owner}/{repo}/git/ref/{ref}")
def get_ref(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../git/ref/heads/x`` (exact match only)."""
    doc = f"{DOC}/refs#get-a-reference"
    st = state(engine, repo)
    if st.empty:
        return empty_repo(doc)
    name = "refs/" + params["ref"]
    if name not in st.refs:
        return not_found(doc)
    return json_reply(ref_json(repo, name, st.refs[name]))


@operation("GET", "/repos/{owner}/{repo}/git/matching-refs/{ref}")
def matching_refs(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../git/matching-refs/heads/x``: every ref starting with that prefix."""
    doc = f"{DOC}/refs#list-matching-references"
    st = state(engine, repo)
    if st.empty:
        return empty_repo(doc)
    prefix = "refs/" + params["ref"]
    return json_reply(
        [ref_json(repo, n, s) for n, s in sorted(st.refs.items()) if n.startswith(prefix)]
    )


@operation("POST", "/repos/{owner}/{repo}/git/refs")
def create_ref(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``POST .../git/refs`` with a fully qualified ``ref`` and a commit ``sha``."""
    doc = f"{DOC}/refs#create-a-reference"
    st = state(engine, repo)
    if st.empty:
        return empty_repo(doc)
    data = body(req)
    name, sha = data["ref"], data["sha"]
    if not name.startswith("refs/") or name.count("/") < 2:
        return error(422, f"{name} is not a valid ref name.", doc)
    if name in st.refs:
        return error(422, "Reference already exists", doc)
    if st.store.kind(sha) != "commit":
        return error(422, "Object does not exist", doc)
    st.refs[name] = sha
    reply = json_reply(ref_json(repo, name, sha), 201)
    reply.headers["location"] = f"{api(repo)}/git/{name}"
    return reply


@operation("PATCH", "/repos/{owner}/{repo}/git/refs/{ref}")
def update_ref(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``PATCH .../git/refs/heads/x``: fast-forward only unless ``force``."""
    doc = f"{DOC}/refs#update-a-reference"
    st = state(engine, repo)
    if st.empty:
        return empty_repo(doc)
    data = body(req)
    name = "refs/" + params["ref"]
    if name not in st.refs:
        return error(422, "Reference does not exist", doc)
    sha = data["sha"]
    if st.store.kind(sha) != "commit":
        return error(422, "Object does not exist", doc)
    if not data.get("force") and not st.store.is_ancestor(st.refs[name], sha):
        return error(422, "Update is not a fast forward", doc)
    st.refs[name] = sha
    return json_reply(ref_json(repo, name, sha))


@operation("DELETE", "/repos/{owner}/{repo}/git/refs/{ref}")
def delete_ref(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``DELETE .../git/refs/heads/x`` (204)."""
    doc = f"{DOC}/refs#delete-a-reference"
    st = state(engine, repo)
    if st.empty:
        return empty_repo(doc)
    name = "refs/" + params["ref"]
    if name not in st.refs:
        return error(422, "Reference does not exist", doc)
    del st.refs[name]
    return Reply(status=204)


# -- branches, commits, compare ------------------------------------------------------------


@operation("GET", "/repos/{owner}/{repo}/branches/{branch}")
def get_branch(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../branches/{branch}``: the head commit (with ``commit.commit.tree.sha``)."""
    doc = "https://docs.github.com/rest/branches/branches#get-a-branch"
    st = state(engine, repo)
    name = params["branch"]
    sha = st.refs.get(f"refs/heads/{name}")
    if sha is None:
        return error(404, "Branch not found", doc)
    base = api(repo)
    return json_reply(
        {
            "name": name,
            "commit": commit_json(engine, repo, st.store.commit(sha)),
            "_links": {
                "self": f"{base}/branches/{name}",
                "html": f"{ghc.WEB}/{repo['full_name']}/tree/{name}",
            },
            "protected": False,
            "protection": {
                "enabled": False,
                "required_status_checks": {
                    "enforcement_level": "off",
                    "contexts": [],
                    "checks": [],
                },
            },
            "protection_url": f"{base}/branches/{name}/protection",
        }
    )


@operation("GET", "/repos/{owner}/{repo}/commits/{ref}")
def get_commit(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../commits/{ref}``: a SHA, branch or tag; with ``stats`` and ``files``."""
    doc = "https://docs.github.com/rest/commits/commits#get-a-commit"
    st = state(engine, repo)
    if st.empty:
        return empty_repo(doc)
    ref = params["ref"]
    sha = engine.githost.resolve_commit(st, repo, ref)
    if sha is None:
        return error(422, f"No commit found for SHA: {ref}", doc)
    c = st.store.commit(sha)
    out = commit_json(engine, repo, c)
    files = commit_files(st, c)
    adds, dels = sum(f.additions for f in files), sum(f.deletions for f in files)
    out["stats"] = {"total": adds + dels, "additions": adds, "deletions": dels}
    out["files"] = [file_json(repo, sha, f) for f in files]
    return json_reply(out)


@operation("GET", "/repos/{owner}/{repo}/commits")
def list_commits(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../commits?sha=&path=&author=``: newest first, paginated."""
    doc = "https://docs.github.com/rest/commits/commits#list-commits"
    st = state(engine, repo)
    if st.empty:
        return empty_repo(doc)
    start = req.arg("sha")
    head = engine.githost.resolve_commit(st, repo, start)
    if head is None:
        return error(404, f"No commit found for SHA: {start}", doc)
    path, author = req.arg("path"), req.arg("author")
    out = []
    for sha in st.store.ancestors(head):
        c = st.store.commit(sha)
        if path is not None and not any(
            f.filename == path.strip("/") or f.filename.startswith(path.strip("/") + "/")
            for f in commit_files(st, c)
        ):
            continue
        if author is not None:
            login = engine.githost.logins.get(c.author.email.lower(), "")
            if author.lower() not in (c.author.email.lower(), login.lower()):
                continue
        out.append(commit_json(engine, repo, c))
    page, headers = paginate(req, out, f"{api(repo)}/commits")
    return json_reply(page, headers=headers)


def _side(engine: Engine, repo: dict[str, Any], text: str) -> tuple[dict[str, Any], str] | None:
    """``ref``, ``owner:ref`` or ``owner:repo:ref`` within ``repo``'s network."""
    parts = text.split(":")
    if len(parts) == 1:
        return repo, text
    owner, name, ref = (parts[0], repo["name"], parts[1]) if len(parts) == 2 else parts[:3]
    for record in engine.scenario["github"]["repos"].values():
        if record["owner"].lower() != owner.lower() or record.get("deleted"):
            continue
        if len(parts) == 3 and record["name"].lower() != name.lower():
            continue
        if state(engine, record).store is state(engine, repo).store:
            return record, ref
    return None


@operation("GET", "/repos/{owner}/{repo}/compare/{basehead}")
def compare(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../compare/base...head`` (either side may be ``owner:branch`` of a fork)."""
    doc = "https://docs.github.com/rest/commits/commits#compare-two-commits"
    st = state(engine, repo)
    if st.empty:
        return empty_repo(doc)
    spec = params["basehead"]
    base_text, sep, head_text = spec.partition("...")
    if not sep:
        base_text, sep, head_text = spec.partition("..")
    sides = [_side(engine, repo, t) for t in (base_text, head_text)] if sep else [None]
    if None in sides:
        return not_found(doc)
    (base_repo, base_ref), (head_repo, head_ref) = sides  # type: ignore[misc]
    base = engine.githost.resolve_commit(state(engine, base_repo), base_repo, base_ref)
    head = engine.githost.resolve_commit(state(engine, head_repo), head_repo, head_ref)
    if base is None or head is None:
        return not_found(doc)
    return json_reply(comparison_json(engine, repo, st, base, head, spec))


def comparison_json(
    engine: Engine, repo: dict[str, Any], st: RepoState, base: str, head: str, spec: str
) -> dict[str, Any]:
    """The compare object between two commits of one network."""
    store = st.store
    mb = store.merge_base(base, head)
    ahead = store.only_in(head, base)
    behind = store.only_in(base, head)
    status = (
        "identical"
        if base == head
        else "ahead"
        if not behind
        else "behind"
        if not ahead
        else "diverged"
    )
    files = tree_diff(store, store.commit(mb).tree if mb else None, store.commit(head).tree)
    web = f"{ghc.WEB}/{repo['full_name']}"
    return {
        "url": f"{api(repo)}/compare/{spec}",
        "html_url": f"{web}/compare/{spec}",
        "permalink_url": f"{web}/compare/{base}...{head}",
        "diff_url": f"{web}/compare/{spec}.diff",
        "patch_url": f"{web}/compare/{spec}.patch",
        "base_commit": commit_json(engine, repo, store.commit(base)),
        "merge_base_commit": commit_json(engine, repo, store.commit(mb or base)),
        "status": status,
        "ahead_by": len(ahead),
        "behind_by": len(behind),
        "total_commits": len(ahead),
        "commits": [commit_json(engine, repo, store.commit(c)) for c in ahead],
        "files": [file_json(repo, head, f) for f in files],
    }


# -- contents --------------------------------------------------------------------------------


def _content_entry(
    repo: dict[str, Any], ref: str, path: str, mode: str, sha: str, size: int
) -> dict[str, Any]:
    full = repo["full_name"]
    name = path.rsplit("/", 1)[-1]
    is_dir = mode == TREE_MODE
    kind = "dir" if is_dir else "submodule" if mode == COMMIT_MODE else "file"
    url = f"{api(repo)}/contents/{path}?ref={ref}"
    html = f"{ghc.WEB}/{full}/{'tree' if is_dir else 'blob'}/{ref}/{path}"
    git = f"{api(repo)}/git/{'trees' if is_dir else 'blobs'}/{sha}"
    download = None if is_dir else f"https://raw.githubusercontent.com/{full}/{ref}/{path}"
    return {
        "name": name,
        "path": path,
        "sha": sha,
        "size": size,
        "url": url,
        "html_url": html,
        "git_url": git,
        "download_url": download,
        "type": kind,
        "_links": {"self": url, "git": git, "html": html},
    }


@operation("GET", "/repos/{owner}/{repo}/contents/{path}")
def get_contents(engine: Engine, req: Req, params: Params, repo: Any, auth: str) -> Reply:
    """``GET .../contents/{path}?ref=`` — a file (base64) or a directory listing; ``ref``
    is a branch, tag or commit SHA (a tree SHA is not a ref)."""
    doc = "https://docs.github.com/rest/repos/contents#get-repository-content"
    st = state(engine, repo)
    if st.empty:
        return error(404, "This repository is empty.", doc)
    ref = req.arg("ref") or repo["default_branch"]
    commit = engine.githost.resolve_commit(st, repo, ref)
    if commit is None:
        return error(404, f"No commit found for the ref {ref}", doc)
    path = params["path"].strip("/")
    entry = st.store.lookup_path(st.store.commit(commit).tree, path)
    if entry is None:
        return not_found(doc)
    if entry.mode != TREE_MODE:
        content = st.store.blob(entry.sha) if entry.mode in BLOB_MODES else b""
        out = _content_entry(repo, ref, path, entry.mode, entry.sha, len(content))
        out.update({"content": base64.encodebytes(content).decode("ascii"), "encoding": "base64"})
        return json_reply(out)
    listing = []
    for e in st.store.tree(entry.sha):
        sub = f"{path}/{e.name}" if path else e.name
        size = len(st.store.blob(e.sha)) if e.mode in BLOB_MODES else 0
        listing.append(_content_entry(repo, ref, sub, e.mode, e.sha, size))
    return json_reply(listing)
