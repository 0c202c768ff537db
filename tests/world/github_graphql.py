"""The fake GitHub GraphQL API (``POST https://api.github.com/graphql``).

Every query is parsed and validated against GitHub's published schema
(``shared/github/schema.graphql``) with graphql-core and answered like GitHub: HTTP 200 with
``errors`` for invalid queries, per-alias ``NOT_FOUND`` errors, ``rateLimit`` accounting.
Valid queries are executed by graphql-core over plain dicts built from the scenario. A
field the fake does not model yet gives an error and a recorded violation, so a test that
needs it fails loudly instead of silently reading null.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import github_common as ghc
from .wire import Reply, Req, json_reply

if TYPE_CHECKING:
    from graphql import GraphQLSchema

    from .engine import Engine

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "shared" / "github" / "schema.graphql"
AUTH_DOC = (
    "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql"
)

# GitHub's documented secondary limits ("About secondary rate limits"): at most 100
# requests in flight (REST and GraphQL together); at most 2,000 points a minute on the
# GraphQL endpoint (1 point a query, 5 a mutation); at most 60 s of GraphQL CPU time per
# 60 s of real time, which GitHub says to estimate from the response times. A hit answers
# 403 with Retry-After, like the REST secondary limit.
CONCURRENT_MAX = 100
POINTS_PER_MINUTE = 2000
CPU_SECONDS_PER_MINUTE = 60.0
WINDOW = 60.0
# Response time grows with what a query asks for: 1.5 ms per top-level object field (a
# 100-repository query takes about 0.15 s), so queries sent together overlap as on GitHub.
LATENCY_PER_NODE = 0.0015

_schema: GraphQLSchema | None = None
_schema_lock = threading.Lock()
schema_ready = threading.Event()
"""Set once the schema is built (the addon warms it up in a thread at start)."""


def schema() -> GraphQLSchema:
    """GitHub's schema, built once (about a second)."""
    global _schema
    with _schema_lock:
        if _schema is None:
            from graphql import build_ast_schema, parse

            built = build_ast_schema(
                parse(SCHEMA_PATH.read_text(encoding="utf-8")), assume_valid_sdl=True
            )
            built._validation_errors = []  # published SDL quirks GitHub serves anyway
            _schema = built
            schema_ready.set()
        return _schema


class GitHubError(Exception):
    """An execution error GitHub reports with a ``type`` (NOT_FOUND, FORBIDDEN...)."""

    def __init__(self, type_: str, message: str) -> None:
        super().__init__(message)
        self.type = type_


class Unmodelled(Exception):
    """A field of GitHub's schema that the simulated GitHub does not model."""


# -- translating graphql-core's validation messages into GitHub's (graphql-ruby) wording

_TRANSLATIONS: list[tuple[re.Pattern[str], Any]] = [
    (
        re.compile(r"^Cannot query field '(\w+)' on type '(\w+)'\..*$", re.S),
        lambda m: (
            f"Field '{m[1]}' doesn't exist on type '{m[2]}'",
            {"code": "undefinedField", "typeName": m[2], "fieldName": m[1]},
        ),
    ),
    (
        re.compile(
            r"^Field '(\w+)' argument '(\w+)' of type '.*' is required, but it was not provided\.$"
        ),
        lambda m: (
            f"Field '{m[1]}' is missing required arguments: {m[2]}",
            {
                "code": "missingRequiredArguments",
                "className": "Field",
                "name": m[1],
                "arguments": m[2],
            },
        ),
    ),
    (
        re.compile(
            r"^Argument '\w+\.(\w+)\((\w+):\)' of type '.*' is required, but it was not provided\.$"
        ),
        lambda m: (
            f"Field '{m[1]}' is missing required arguments: {m[2]}",
            {
                "code": "missingRequiredArguments",
                "className": "Field",
                "name": m[1],
                "arguments": m[2],
            },
        ),
    ),
    (
        re.compile(r"^Unknown argument '(\w+)' on field '(\w+)\.(\w+)'\..*$", re.S),
        lambda m: (
            f"Field '{m[3]}' doesn't accept argument '{m[1]}'",
            {
                "code": "argumentNotAccepted",
                "name": m[3],
                "typeName": "Field",
                "argumentName": m[1],
            },
        ),
    ),
    (
        re.compile(r"^Field '(\w+)' of type '(.+)' must have a selection of subfields\..*$", re.S),
        lambda m: (
            f"Field must have selections (field '{m[1]}' returns {m[2]} but has no "
            f"selections. Did you mean '{m[1]} {{ ... }}'?)",
            {"code": "selectionMismatch", "nodeName": f"field '{m[1]}'", "typeName": m[2]},
        ),
    ),
    (
        re.compile(r"^Variable '\$(\w+)' is never used.*$"),
        lambda m: (
            f"Variable ${m[1]} is declared by anonymous query but not used",
            {"code": "variableNotUsed", "variableName": m[1]},
        ),
    ),
]

_TOKENS = {
    "}": "RCURLY",
    "{": "LCURLY",
    ")": "RPAREN",
    "(": "LPAREN",
    ":": "COLON",
    "[": "LBRACKET",
    "]": "RBRACKET",
    "$": "VAR_SIGN",
    "!": "BANG",
    "=": "EQUALS",
}


def _locations(err: Any) -> list[dict[str, int]]:
    return [{"line": loc.line, "column": loc.column} for loc in (err.locations or [])]


def validation_error(err: Any) -> dict[str, Any]:
    """One validation error as GitHub words it."""
    out: dict[str, Any] = {}
    message = err.message
    for pattern, build in _TRANSLATIONS:
        m = pattern.match(message)
        if m:
            message, extensions = build(m)
            out["extensions"] = extensions
            break
    out["locations"] = _locations(err)
    out["message"] = message
    return out


def syntax_error(err: Any) -> dict[str, Any]:
    """A parse error as GitHub words it."""
    loc = (err.locations or [None])[0]
    where = f" at [{loc.line}, {loc.column}]" if loc else ""
    m = re.search(r"(?:found|Unexpected) (?:'(.*)'|\"(.*)\"|<EOF>)", err.message)
    if m and m.group(1) is None and m.group(2) is None:
        message = "Unexpected end of document"
    elif m:
        tok = m.group(1) or m.group(2)
        message = f'Parse error on "{tok}" ({_TOKENS.get(tok, "IDENTIFIER")}){where}'
    else:
        message = f"Parse error{where}: {err.message}"
    return {"message": message, "locations": _locations(err)}


# -- scenario objects as GraphQL values -------------------------------------------------


def repo_node(engine: Engine, r: dict[str, Any]) -> dict[str, Any]:
    """The Repository object (a dict keyed by GraphQL field names)."""
    full = r["full_name"]
    owner_kind = "Organization" if r.get("owner_type") == "Organization" else "User"
    branch = r["default_branch"]
    st = engine.githost.state(r)
    head = st.refs.get(f"refs/heads/{branch}")
    # A declared repository without files still answers with a branch (as before).
    commit = head or ghc.commit_sha(r, branch)

    def blob_or_tree(expression: str) -> dict[str, Any] | None:
        ref, _, path = expression.partition(":")
        sha = engine.githost.resolve_commit(st, r, ref or None)
        if sha is None:
            return None
        entry = st.store.lookup_path(st.store.commit(sha).tree, path.strip("/"))
        if entry is None:
            return None
        if entry.kind == "blob":
            content = st.store.blob(entry.sha)
            return {
                "__typename": "Blob",
                "oid": entry.sha,
                "byteSize": len(content),
                "isBinary": False,
                "isTruncated": False,
                "text": content.decode("utf-8", "replace"),
                "abbreviatedOid": entry.sha[:7],
            }
        if entry.kind != "tree":
            return None
        base = path.strip("/")
        entries = [
            {
                "__typename": "TreeEntry",
                "name": e.name,
                "path": f"{base}/{e.name}" if base else e.name,
                "type": e.kind,
                "mode": int(e.mode, 8),
                "oid": e.sha,
            }
            for e in st.store.tree(entry.sha)
        ]
        return {
            "__typename": "Tree",
            "oid": entry.sha,
            "entries": entries,
            "abbreviatedOid": entry.sha[:7],
        }

    return {
        "__typename": "Repository",
        "id": ghc.node_id("R", r["id"]),
        "databaseId": r["id"],
        "name": r["name"],
        "nameWithOwner": full,
        "owner": {
            "__typename": owner_kind,
            "login": r["owner"],
            "id": ghc.node_id("U" if owner_kind == "User" else "O", r["id"]),
            "url": f"{ghc.WEB}/{r['owner']}",
            "resourcePath": f"/{r['owner']}",
            "avatarUrl": lambda **_: f"https://avatars.githubusercontent.com/{r['owner']}",
        },
        "stargazerCount": r["stars"],
        "forkCount": r["forks"],
        "isArchived": r["archived"],
        "isDisabled": r["disabled"],
        "isFork": r["fork"],
        "isPrivate": r["private"],
        "isTemplate": False,
        "isMirror": False,
        "isLocked": False,
        "isEmpty": st.empty,
        "visibility": "PRIVATE" if r["private"] else "PUBLIC",
        "archivedAt": r.get("archived_at"),
        "pushedAt": r["pushed_at"],
        "createdAt": r["created_at"],
        "updatedAt": r["updated_at"],
        "description": r["description"],
        "homepageUrl": r["homepage"],
        "url": f"{ghc.WEB}/{full}",
        "resourcePath": f"/{full}",
        "sshUrl": f"git@github.com:{full}.git",
        "mirrorUrl": None,
        "parent": None,
        "licenseInfo": None,
        "hasIssuesEnabled": True,
        "hasWikiEnabled": True,
        "primaryLanguage": {
            "__typename": "Language",
            "name": r["language"],
            "color": None,
            "id": ghc.node_id("L", 1),
        }
        if r.get("language")
        else None,
        "defaultBranchRef": {
            "__typename": "Ref",
            "id": ghc.node_id("REF", r["id"]),
            "name": branch,
            "prefix": "refs/heads/",
            "target": {
                "__typename": "Commit",
                "oid": commit,
                "abbreviatedOid": commit[:7],
                "committedDate": r["pushed_at"],
                "pushedDate": r["pushed_at"],
            },
        },
        "stargazers": lambda **_: {"totalCount": r["stars"]},
        "forks": lambda **_: {"totalCount": r["forks"]},
        "repositoryTopics": lambda **_: {
            "totalCount": len(r.get("topics", [])),
            "nodes": [{"topic": {"name": t}} for t in r.get("topics", [])],
        },
        "object": lambda expression=None, oid=None, **_: blob_or_tree(expression or ""),
    }


def _rate_limit_node(engine: Engine, cost: int, nodes: int) -> Any:
    def resolve(dryRun: bool = False, **_: Any) -> dict[str, Any]:
        q = ghc.quota(engine, "graphql", "token")
        return {
            "cost": cost,
            "limit": q.limit,
            "remaining": q.remaining,
            "used": q.used,
            "nodeCount": nodes,
            "resetAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(q.reset)),
        }

    return resolve


def query_cost(document: Any, variables: dict[str, Any] | None) -> tuple[int, int, int]:
    """``(cost, nodeCount, node fields)`` of an operation, by GitHub's documented formula.

    Every connection (a field with ``first``/``last``) costs one request per parent node it
    may be asked for; cost is the sum divided by 100 and rounded, at least 1. ``nodeCount``
    is the most nodes the connections may return; node fields counts the top-level object
    fields outside ``rateLimit``, such as repository aliases (what the response time grows
    with).
    """
    from graphql.language import (
        FieldNode,
        FragmentDefinitionNode,
        FragmentSpreadNode,
        InlineFragmentNode,
        OperationDefinitionNode,
        VariableNode,
    )

    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    variables = variables or {}
    totals = {"requests": 0, "nodes": 0, "fields": 0}

    def limit(field: Any) -> int | None:
        for arg in field.arguments or ():
            if arg.name.value in ("first", "last"):
                value = arg.value
                raw = variables.get(value.name.value) if isinstance(value, VariableNode) \
                    else getattr(value, "value", None)
                try:
                    return int(raw) if raw is not None else None
                except (TypeError, ValueError):
                    return None
        return None

    def walk(selection_set: Any, multiplier: int, seen: frozenset[str], depth: int = 0) -> None:
        for sel in selection_set.selections if selection_set else ():
            if isinstance(sel, FragmentSpreadNode):
                name = sel.name.value
                if name in fragments and name not in seen:
                    walk(fragments[name].selection_set, multiplier, seen | {name}, depth)
            elif isinstance(sel, InlineFragmentNode):
                walk(sel.selection_set, multiplier, seen, depth)
            elif isinstance(sel, FieldNode) and sel.name.value != "rateLimit":
                if sel.selection_set is None:
                    continue
                if depth == 0:
                    totals["fields"] += 1
                n = limit(sel)
                if n is not None:
                    totals["requests"] += multiplier
                    totals["nodes"] += multiplier * n
                    walk(sel.selection_set, multiplier * n, seen, depth + 1)
                else:
                    walk(sel.selection_set, multiplier, seen, depth + 1)

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            walk(definition.selection_set, 1, frozenset())
            return max(1, round(totals["requests"] / 100)), totals["nodes"], totals["fields"]
    return 1, 0, 0


def secondary_limited(engine: Engine, req: Req, points: int = 1) -> str | None:
    """Which documented secondary limit this request would break, if any."""
    now = time.monotonic()
    api = [r for r in engine.log if r["host"] == "api.github.com" and r["method"] != "CONNECT"]
    in_flight = sum(1 for r in api if r["end"] is None) - 1  # this request is logged already
    if in_flight >= CONCURRENT_MAX:
        return "concurrent requests"
    recent = [r for r in api if r["path"].rstrip("/") == "/graphql" and r["end"] is not None
              and r["status"] == 200 and (r["end"] > now - WINDOW)]
    if len(recent) + points > POINTS_PER_MINUTE:  # 1 point a query (none is a mutation)
        return "points per minute"
    busy = sum(r["end"] - max(r["start"], now - WINDOW) for r in recent)
    if busy > CPU_SECONDS_PER_MINUTE:
        return "CPU time"
    return None


def _root(engine: Engine, cost: int = 1, nodes: int = 0) -> dict[str, Any]:
    def repository(owner: str, name: str, followRenames: bool = True, **_: Any) -> Any:
        injected = engine.scenario["github"].get("graphql_errors", {}).get(
            f"{owner}/{name}".lower()
        )
        if injected:
            raise GitHubError(injected["type"], injected["message"])
        record, renamed = ghc.lookup(engine, owner, name)
        if record is None or (renamed and not followRenames):
            raise GitHubError(
                "NOT_FOUND", f"Could not resolve to a Repository with the name '{owner}/{name}'."
            )
        return repo_node(engine, record)

    viewer = engine.scenario["github"]["viewer"]
    return {
        "repository": repository,
        "viewer": {
            "__typename": "User",
            "login": viewer,
            "id": ghc.node_id("U", 1),
            "name": viewer,
            "url": f"{ghc.WEB}/{viewer}",
            "databaseId": 1,
        },
        "rateLimit": _rate_limit_node(engine, cost, nodes),
    }


def _field_resolver(source: Any, info: Any, **args: Any) -> Any:
    if not isinstance(source, dict):
        return None
    name = info.field_name
    if name not in source:
        raise Unmodelled(
            f"tests/world: the simulated GitHub does not model {info.parent_type.name}.{name}"
        )
    value = source[name]
    return value(**args) if callable(value) else value


def _type_resolver(value: Any, info: Any, abstract_type: Any) -> str | None:
    return value.get("__typename") if isinstance(value, dict) else None


# -- the endpoint ----------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _checked(query: str) -> tuple[Any, list[Any]]:
    """The parsed query and the schema's validation errors (the same text is checked once:
    batches of one size differ only in their variables). Raises ``GraphQLError``."""
    from graphql import parse, validate

    document = parse(query)
    return document, validate(schema(), document)


def handle(engine: Engine, req: Req) -> Reply:
    """Answer ``POST /graphql``."""
    from graphql import GraphQLError, execute

    auth = ghc.authenticate(engine, req.header("authorization"))
    if auth == "anonymous":
        return json_reply(
            {"message": "Requires authentication", "documentation_url": AUTH_DOC}, 401
        )
    if auth == "bad":
        return json_reply(
            {
                "message": "Bad credentials",
                "documentation_url": "https://docs.github.com/graphql",
                "status": "401",
            },
            401,
        )
    if req.method != "POST":
        reply = json_reply(
            {
                "message": "Not Found",
                "documentation_url": "https://docs.github.com/graphql",
                "status": "404",
            },
            404,
        )
        reply.violation = f"GraphQL endpoint called with {req.method}"
        return reply
    q = ghc.quota(engine, "graphql", auth)
    if q.remaining <= 0:
        status = int(engine.scenario["github"]["rate_limits"].get("graphql_exhausted_status", 200))
        msg = "API rate limit exceeded for user ID 1."
        body: dict[str, Any] = (
            {"errors": [{"type": "RATE_LIMITED", "code": "graphql_rate_limit", "message": msg}]}
            if status == 200
            else {
                "message": msg,
                "documentation_url": "https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api",
            }
        )
        return json_reply(body, status, q.headers())
    try:
        payload = req.json()
    except ValueError:
        return json_reply(
            {
                "message": "Problems parsing JSON",
                "documentation_url": "https://docs.github.com/graphql",
            },
            400,
        )
    query = payload.get("query") if isinstance(payload, dict) else None
    if not isinstance(query, str):
        return json_reply(
            {"errors": [{"message": "A query attribute must be specified and must be a string."}]},
            200,
            q.headers(),
        )
    try:
        document, errors = _checked(query)
    except GraphQLError as err:
        reply = json_reply({"errors": [syntax_error(err)]}, 200, q.headers())
        reply.violation = f"GraphQL syntax error: {err.message}"
        return reply
    gh_schema = schema()
    if errors:
        reply = json_reply({"errors": [validation_error(e) for e in errors]}, 200, q.headers())
        reply.violation = "GraphQL query rejected by GitHub's schema: " + "; ".join(
            e.message for e in errors[:3]
        )
        return reply

    variables = payload.get("variables") if isinstance(payload.get("variables"), dict) else None
    cost, nodes, fields = query_cost(document, variables)
    limited = secondary_limited(engine, req)
    if limited:
        from .github_rest import secondary_limit_reply

        reply = secondary_limit_reply(engine, {"status": 403, "retry_after": 60})
        reply.headers["x-world-secondary-limit"] = limited
        return reply
    if q.remaining < cost:
        msg = "API rate limit exceeded for user ID 1."
        return json_reply({"errors": [{"type": "RATE_LIMITED", "code": "graphql_rate_limit",
                                       "message": msg}]}, 200, q.headers())
    ghc.spend(engine, "graphql", auth, cost)
    result = execute(
        gh_schema,
        document,
        root_value=_root(engine, cost, nodes),
        variable_values=payload.get("variables") or None,
        operation_name=payload.get("operationName") or None,
        field_resolver=_field_resolver,
        type_resolver=_type_resolver,
    )
    out: dict[str, Any] = {}
    violation = None
    if result.data is not None:
        out["data"] = result.data
    if result.errors:
        formatted = []
        for err in result.errors:
            orig = err.original_error
            entry: dict[str, Any] = {}
            if isinstance(orig, GitHubError):
                entry["type"] = orig.type
            elif isinstance(orig, Unmodelled):
                violation = str(orig)
            if err.path is not None:
                entry["path"] = list(err.path)
            entry["locations"] = _locations(err)
            entry["message"] = err.message
            formatted.append(entry)
        out["errors"] = formatted
    reply = json_reply(out, 200, ghc.quota(engine, "graphql", auth).headers())
    reply.violation = violation
    reply.delay = LATENCY_PER_NODE * fields
    return reply


def warm_up() -> None:
    """Build the schema in a background thread."""
    threading.Thread(target=schema, name="graphql-schema", daemon=True).start()


__all__ = ["handle", "json", "schema", "schema_ready", "warm_up"]
