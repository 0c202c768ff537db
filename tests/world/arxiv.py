"""The fake arXiv: the Atom query API on export.arxiv.org and the abs/pdf pages.

Shape follows the arXiv API user manual (feed with opensearch counts, entries with
``arxiv:`` extension elements). As on the real API, a well-formed id that does not exist is
simply absent from the feed (``totalResults`` counts what was found), and a malformed id
answers HTTP 400 with a single error entry.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape, quoteattr

from .wire import Reply, Req, html_reply

if TYPE_CHECKING:
    from .engine import Engine

NEW_ID = re.compile(r"^(\d{4}\.\d{4,5})(?:v(\d+))?$")
OLD_ID = re.compile(r"^([a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v(\d+))?$")
ATOM = "http://www.w3.org/2005/Atom"
# The API returns at most 2,000 results per request ("slices of at most 2000"); a longer
# request line than a common front-end accepts (8 KiB) is refused with 414 before the
# API sees it, so long id lists must go in a POST body.
MAX_RESULTS = 2000
MAX_REQUEST_LINE = 8190
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
ARXIV_NS = "http://arxiv.org/schemas/atom"
FEED_UPDATED = "2024-06-01T00:00:00-04:00"


def split_id(raw: str) -> tuple[str, int | None] | None:
    """``(base id, version or None)``, or None when the id is malformed."""
    raw = raw.strip()
    m = NEW_ID.match(raw) or OLD_ID.match(raw)
    if not m:
        return None
    return m.group(1), int(m.group(2)) if m.group(2) else None


def _ax(tag: str, text: str) -> str:
    """An ``arxiv:`` extension element, namespace declared inline as arXiv does."""
    return f'    <arxiv:{tag} xmlns:arxiv="{ARXIV_NS}">{escape(text)}</arxiv:{tag}>'


def _os(tag: str, value: int) -> str:
    """An ``opensearch:`` element."""
    return f'  <opensearch:{tag} xmlns:opensearch="{OPENSEARCH}">{value}</opensearch:{tag}>'


def _entry(paper: dict[str, Any], version: int) -> str:
    vid = f"{paper['id']}v{version}"
    latest = version == paper["version"]
    updated = paper["updated"] if latest else paper["published"]
    parts = [
        "  <entry>",
        f"    <id>http://arxiv.org/abs/{vid}</id>",
        f"    <updated>{updated}</updated>",
        f"    <published>{paper['published']}</published>",
        f"    <title>{escape(paper['title'])}</title>",
        f"    <summary>{escape(paper['summary'])}</summary>",
    ]
    parts += [
        f"    <author>\n      <name>{escape(a)}</name>\n    </author>" for a in paper["authors"]
    ]
    if paper.get("doi"):
        parts.append(_ax("doi", paper["doi"]))
        doi_url = quoteattr("http://dx.doi.org/" + paper["doi"])
        parts.append(f'    <link title="doi" href={doi_url} rel="related"/>')
    if paper.get("comment") and (latest or not paper.get("withdrawn")):
        parts.append(_ax("comment", paper["comment"]))
    if paper.get("journal_ref"):
        parts.append(_ax("journal_ref", paper["journal_ref"]))
    abs_url, pdf_url = f"http://arxiv.org/abs/{vid}", f"http://arxiv.org/pdf/{vid}"
    parts.append(f'    <link href="{abs_url}" rel="alternate" type="text/html"/>')
    parts.append(f'    <link title="pdf" href="{pdf_url}" rel="related" type="application/pdf"/>')
    parts.append(
        f'    <arxiv:primary_category xmlns:arxiv="{ARXIV_NS}" '
        f'term="{paper["primary_category"]}" scheme="{ARXIV_NS}"/>'
    )
    parts += [f'    <category term="{c}" scheme="{ARXIV_NS}"/>' for c in paper["categories"]]
    parts.append("  </entry>")
    return "\n".join(parts)


def _feed(args: dict[str, str], total: int, start: int, per_page: int, entries: list[str]) -> bytes:
    self_url = quoteattr("http://arxiv.org/api/query?" + urlencode(args))
    title = "&".join(f"{k}={v}" for k, v in args.items())
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<feed xmlns="{ATOM}">',
        f'  <link href={self_url} rel="self" type="application/atom+xml"/>',
        f'  <title type="html">ArXiv Query: {escape(title)}</title>',
        "  <id>http://arxiv.org/api/worldfeed0000000000000000000</id>",
        f"  <updated>{FEED_UPDATED}</updated>",
        _os("totalResults", total),
        _os("startIndex", start),
        _os("itemsPerPage", per_page),
    ]
    return ("\n".join(head + entries + ["</feed>", ""])).encode("utf-8")


def _error_feed(args: dict[str, str], code: str, message: str) -> Reply:
    eid = f"http://arxiv.org/api/errors#{code}"
    entry = "\n".join(
        [
            "  <entry>",
            f"    <id>{escape(eid)}</id>",
            "    <title>Error</title>",
            f"    <summary>{escape(message)}</summary>",
            f"    <updated>{FEED_UPDATED}</updated>",
            f'    <link href={quoteattr(eid)} rel="alternate" type="text/html"/>',
            "    <author>\n      <name>arXiv api core</name>\n    </author>",
            "  </entry>",
        ]
    )
    return Reply(
        400, {"content-type": "application/atom+xml; charset=UTF-8"}, _feed(args, 1, 0, 1, [entry])
    )


# -- search_query --------------------------------------------------------------------

_FIELDS = {
    "ti": ("title",),
    "au": ("authors",),
    "abs": ("summary",),
    "co": ("comment",),
    "jr": ("journal_ref",),
    "cat": ("categories",),
    "id": ("id",),
    "all": ("title", "authors", "summary", "comment", "journal_ref", "id"),
}


def _term_matches(paper: dict[str, Any], term: str) -> bool:
    prefix, sep, value = term.partition(":")
    if not sep or prefix not in _FIELDS:
        prefix, value = "all", term
    value = value.strip('"').lower()
    for fieldname in _FIELDS[prefix]:
        content = paper.get(fieldname)
        if isinstance(content, list):
            content = " ".join(content)
        text = " ".join(str(content or "").lower().split())
        if value and value in text:
            return True
    return False


def search_matches(paper: dict[str, Any], query: str) -> bool:
    """Evaluate a simple arXiv ``search_query`` (AND/OR/ANDNOT, left to right)."""
    try:
        tokens = shlex.split(query.replace("(", " ").replace(")", " "), posix=False)
    except ValueError:
        tokens = query.split()
    result: bool | None = None
    op = "AND"
    for tok in tokens:
        if tok in ("AND", "OR", "ANDNOT"):
            op = tok
            continue
        hit = _term_matches(paper, tok)
        if result is None:
            result = hit
        elif op == "AND":
            result = result and hit
        elif op == "OR":
            result = result or hit
        else:
            result = result and not hit
        op = "AND"
    return bool(result)


def handle_api(engine: Engine, req: Req) -> Reply:
    """``GET|POST /api/query``."""
    if req.path.rstrip("/") != "/api/query":
        return html_reply("Not Found", "", 404)
    line = len(req.method) + len(req.path) + len(req.query_string) + len(" ? HTTP/1.1")
    if line > MAX_REQUEST_LINE:
        return html_reply("Request-URI Too Long",
                          "The requested URL's length exceeds the capacity limit for this "
                          "server.", 414)
    args = {k: v[-1] for k, v in req.query.items()}
    if req.method == "POST" and req.body:
        from urllib.parse import parse_qs

        args.update({k: v[-1] for k, v in parse_qs(req.body.decode()).items()})
    shown = {
        "search_query": args.get("search_query", ""),
        "id_list": args.get("id_list", ""),
        "start": args.get("start", "0"),
        "max_results": args.get("max_results", "10"),
    }
    try:
        start = int(shown["start"])
        max_results = int(shown["max_results"])
    except ValueError:
        return _error_feed(shown, "start_must_be_an_integer", "start must be an integer")
    if start < 0:
        return _error_feed(shown, "start_must_be_non-negative", "start must be non-negative")
    if max_results < 0:
        return _error_feed(
            shown, "max_results_must_be_non-negative", "max_results must be non-negative"
        )
    if max_results > MAX_RESULTS:
        return _error_feed(
            shown, f"max_results_must_be_at_most_{MAX_RESULTS}",
            f"max_results must be at most {MAX_RESULTS}",
        )
    papers = engine.scenario["arxiv"]["papers"]
    found: list[tuple[dict[str, Any], int]] = []
    id_list = [i for i in shown["id_list"].split(",") if i.strip()]
    if id_list:
        for raw in id_list:
            parsed = split_id(raw)
            if parsed is None:
                return _error_feed(
                    shown, f"incorrect_id_format_for_{raw}", f"incorrect id format for {raw}"
                )
            base, version = parsed
            paper = papers.get(base)
            if paper is None or (version is not None and version > paper["version"]):
                continue
            found.append((paper, version or paper["version"]))
        if shown["search_query"]:
            found = [(p, v) for p, v in found if search_matches(p, shown["search_query"])]
    elif shown["search_query"]:
        found = [
            (p, p["version"]) for p in papers.values() if search_matches(p, shown["search_query"])
        ]
    page = found[start : start + max_results]
    body = _feed(shown, len(found), start, len(page), [_entry(p, v) for p, v in page])
    return Reply(200, {"content-type": "application/atom+xml; charset=UTF-8"}, body)


def empty_page(req: Req) -> Reply:
    """A valid feed with no entries: the real API's intermittent empty answer."""
    args = {k: v[-1] for k, v in req.query.items()}
    shown = {
        "search_query": args.get("search_query", ""),
        "id_list": args.get("id_list", ""),
        "start": args.get("start", "0"),
        "max_results": args.get("max_results", "10"),
    }
    start = int(shown["start"]) if shown["start"].isdigit() else 0
    body = _feed(shown, 0, start, 0, [])
    return Reply(200, {"content-type": "application/atom+xml; charset=UTF-8"}, body)


def handle_web(engine: Engine, req: Req) -> Reply:
    """``/abs/<id>`` and ``/pdf/<id>`` on arxiv.org and browse.arxiv.org (HEAD too)."""
    m = re.match(r"^/(abs|pdf|html)/(.+?)(?:\.pdf)?/?$", req.path)
    reply: Reply
    if not req.path.strip("/"):
        reply = html_reply("arXiv.org e-Print archive", "")
    elif not m:
        reply = html_reply("Not Found", "", 404)
    else:
        kind, raw = m.group(1), m.group(2)
        parsed = split_id(raw)
        paper = engine.scenario["arxiv"]["papers"].get(parsed[0]) if parsed else None
        if parsed is None or paper is None or (parsed[1] or 0) > paper["version"]:
            reply = html_reply(
                "Article identifier not recognized",
                f"Article identifier '{raw}' not recognized",
                404,
            )
        elif kind == "pdf":
            pdf = (
                b"%PDF-1.5\n% simulated arXiv PDF for "
                + raw.encode()
                + b"\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
            )
            reply = Reply(200, {"content-type": "application/pdf"}, pdf)
        else:
            title = " ".join(paper["title"].split())
            reply = html_reply(f"[{parsed[0]}] {title}", paper.get("comment") or "")
    if req.method == "HEAD":
        reply.body = b""
    return reply
