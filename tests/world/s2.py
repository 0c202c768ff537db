"""The fake Semantic Scholar graph API (``api.semanticscholar.org/graph/v1``).

``POST /paper/batch?fields=...`` with ``{"ids": [...]}`` answers a list in request order with
``null`` for unknown ids; ``GET /paper/{id}`` answers one paper or 404. Ids may be S2 paper
ids or prefixed: ``ARXIV:``, ``DOI:``, ``CorpusId:``, ``DBLP:``, ``URL:`` (arxiv.org links).
Only requested fields are returned (``paperId`` always).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .wire import Reply, Req, json_reply

if TYPE_CHECKING:
    from .engine import Engine

KNOWN_FIELDS = {
    "paperId",
    "corpusId",
    "externalIds",
    "url",
    "title",
    "abstract",
    "venue",
    "publicationVenue",
    "year",
    "referenceCount",
    "citationCount",
    "influentialCitationCount",
    "isOpenAccess",
    "openAccessPdf",
    "fieldsOfStudy",
    "s2FieldsOfStudy",
    "publicationTypes",
    "publicationDate",
    "journal",
    "citationStyles",
    "authors",
    "tldr",
}
MAX_BATCH = 500
TOO_MANY = (
    "Too Many Requests. Please wait and try again or apply for a key for higher rate limits. "
    "https://www.semanticscholar.org/product/api#api-key-form"
)


def too_many_requests() -> Reply:
    """S2's anonymous 429."""
    return json_reply({"message": TOO_MANY, "code": "429"}, 429)


Index = dict[tuple[str, str], dict[str, Any]]


def index(papers: list[dict[str, Any]]) -> Index:
    """Papers by (id kind, lower-case value); the first paper wins, as a scan would."""
    out: Index = {}
    for p in papers:
        out.setdefault(("paperId", p["paperId"]), p)
        for key, have in p["externalIds"].items():
            if have is not None:
                out.setdefault((key, str(have).lower()), p)
    return out


def find(engine: Engine, ident: str, known: Index | None = None) -> dict[str, Any] | None:
    """The paper for one S2 id form (``known``: an :func:`index` of the scenario's papers,
    built once per request so a 500-id batch does not scan every paper 500 times)."""
    if known is None:
        known = index(engine.scenario["s2"]["papers"])
    prefix, sep, value = ident.partition(":")
    if not sep:
        return known.get(("paperId", ident))
    prefix = prefix.upper()
    if prefix == "URL":
        m = re.search(r"arxiv\.org/(?:abs|pdf)/([^?#]+?)(?:v\d+)?(?:\.pdf)?$", value)
        if not m:
            return None
        prefix, value = "ARXIV", m.group(1)
    keys = {"ARXIV": "ArXiv", "DOI": "DOI", "CORPUSID": "CorpusId", "DBLP": "DBLP"}
    key = keys.get(prefix)
    if key is None:
        return None
    if key == "ArXiv":
        value = re.sub(r"v\d+$", "", value)
    return known.get((key, value.lower()))


def _project(paper: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"paperId": paper["paperId"]}
    for f in fields:
        top = f.split(".")[0]
        if top == "corpusId":
            out["corpusId"] = paper["externalIds"]["CorpusId"]
        elif top == "url":
            out["url"] = f"https://www.semanticscholar.org/paper/{paper['paperId']}"
        elif top == "authors":
            out["authors"] = [dict(a) for a in paper["authors"]]
        elif top in paper:
            out[top] = paper[top]
        elif top in ("abstract", "tldr", "openAccessPdf"):
            out[top] = None
        elif top in ("fieldsOfStudy", "s2FieldsOfStudy", "publicationTypes"):
            out[top] = []
        elif top in ("referenceCount", "influentialCitationCount"):
            out[top] = 0
        elif top == "isOpenAccess":
            out[top] = False
    return out


def _fields(req: Req) -> tuple[list[str], Reply | None]:
    raw = req.arg("fields")
    if not raw:
        return ["title"], None
    fields = [f.strip() for f in raw.split(",") if f.strip()]
    bad = [f for f in fields if f.split(".")[0] not in KNOWN_FIELDS]
    if bad:
        return [], json_reply(
            {"error": f"Unrecognized or unsupported fields: [{', '.join(bad)}]"}, 400
        )
    return fields, None


def handle(engine: Engine, req: Req) -> Reply:
    """Answer the graph API."""
    key = req.header("x-api-key")
    wanted = engine.scenario["s2"].get("api_key")
    if key is not None and wanted is not None and key != wanted:
        return json_reply({"message": "Forbidden"}, 403)
    path = req.path.rstrip("/")
    if path == "/graph/v1/paper/batch":
        if req.method != "POST":
            return json_reply({"error": "Method not allowed; use POST"}, 405)
        fields, err = _fields(req)
        if err:
            return err
        try:
            payload = req.json()
            ids = payload["ids"]
            assert isinstance(ids, list)
        except (ValueError, KeyError, TypeError, AssertionError):
            return json_reply({"error": 'Unacceptable request body: expected {"ids": [...]}'}, 400)
        if len(ids) > MAX_BATCH:
            return json_reply({"error": f"Cannot process more than {MAX_BATCH} ids at once"}, 400)
        out = []
        known = index(engine.scenario["s2"]["papers"])
        for ident in ids:
            paper = find(engine, str(ident), known)
            out.append(_project(paper, fields) if paper else None)
        return json_reply(out)
    m = re.match(r"^/graph/v1/paper/(.+)$", path)
    if m and req.method in ("GET", "HEAD"):
        fields, err = _fields(req)
        if err:
            return err
        from urllib.parse import unquote

        ident = unquote(m.group(1))
        paper = find(engine, ident)
        if paper is None:
            return json_reply({"error": "Paper not found"}, 404)
        return json_reply(_project(paper, fields))
    return json_reply({"message": "Missing Authentication Token"}, 403)
