"""The fake github.com web pages and raw.githubusercontent.com files."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote

from . import github_common as ghc
from .wire import Reply, Req, html_reply, text_reply

if TYPE_CHECKING:
    from .engine import Engine

RESERVED = {
    "about",
    "features",
    "pricing",
    "login",
    "join",
    "explore",
    "topics",
    "trending",
    "marketplace",
    "sponsors",
    "settings",
    "notifications",
    "orgs",
    "search",
    "collections",
}


def handle(engine: Engine, req: Req) -> Reply:
    """Answer github.com (and raw.githubusercontent.com) pages; HEAD answers like GET."""
    reply = _raw(engine, req) if req.host == "raw.githubusercontent.com" else _page(engine, req)
    if req.method == "HEAD":
        reply.body = b""
    return reply


def _page(engine: Engine, req: Req) -> Reply:
    parts = [p for p in req.path.split("/") if p]
    if not parts:
        return html_reply("GitHub", "Let's build from here")
    if len(parts) == 1:
        if parts[0] in RESERVED:
            return html_reply(parts[0].title(), "")
        owners = {r["owner"].lower() for r in engine.scenario["github"]["repos"].values()}
        if parts[0].lower() in owners:
            return html_reply(f"{parts[0]} · GitHub", "")
        return html_reply("Page not found · GitHub", "", 404)
    owner, name = parts[0], parts[1].removesuffix(".git")
    record, renamed = ghc.lookup(engine, owner, name)
    if record is None or record.get("private"):
        return html_reply("Page not found · GitHub", "", 404)
    rest = "/".join(parts[2:])
    trailing = "/" if req.path.endswith("/") and rest else ""
    if renamed:
        location = f"{ghc.WEB}/{record['full_name']}" + (f"/{rest}{trailing}" if rest else "")
        if req.query_string:
            location += f"?{req.query_string}"
        return html_reply("Moved Permanently", location, 301, {"location": location})
    if len(parts) >= 4 and parts[2] in ("blob", "tree", "raw", "edit"):
        st = engine.githost.state(record)
        found = engine.githost.split_ref_path(st, record, [unquote(p) for p in parts[3:]])
        if found is None and not st.empty:
            return html_reply("Page not found · GitHub", "", 404)
        if found is not None:
            commit, path = found
            entry = st.store.lookup_path(st.store.commit(commit).tree, path)
            if entry is None or (parts[2] != "tree" and entry.kind != "blob"):
                return html_reply("Page not found · GitHub", "", 404)
    title = f"GitHub - {record['full_name']}: {record['description'] or ''}".rstrip(": ")
    return html_reply(title, record["description"] or "")


def _raw(engine: Engine, req: Req) -> Reply:
    parts = [p for p in req.path.split("/") if p]
    if len(parts) < 4:
        return text_reply("404: Not Found", 404)
    record, _ = ghc.lookup(engine, parts[0], parts[1])
    if record is None or record.get("private"):
        return text_reply("404: Not Found", 404)
    # Files are served by branch, tag or commit SHA only: a tree SHA is not a ref.
    st = engine.githost.state(record)
    found = engine.githost.split_ref_path(st, record, [unquote(p) for p in parts[2:]])
    if found is None:
        return text_reply("404: Not Found", 404)
    commit, path = found
    entry = st.store.lookup_path(st.store.commit(commit).tree, path)
    if entry is None or entry.kind != "blob" or not path:
        return text_reply("404: Not Found", 404)
    return Reply(
        status=200,
        headers={"content-type": "text/plain; charset=utf-8"},
        body=st.store.blob(entry.sha),
    )
