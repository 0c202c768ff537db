"""The fake Crossref REST API (``api.crossref.org``): ``/works`` lists and ``/works/{doi}``.

It knows the DOIs the world's doi.org knows whose registration agency is Crossref (not
DataCite's, such as arXiv's ``10.48550``). As the real API does:

- ``filter=doi:A,doi:B`` ORs the same filter given several times; DOIs it does not hold
  are simply missing from ``message.items``; DOIs come back in lower case.
- A filter name the route does not have answers 400 ``filter-not-available``; ``rows``
  above 1,000 (or not a number) 400 ``integer-not-valid``; a ``select`` field outside the
  route's list 400 with the list; only the selected fields are returned.
- A request line over 4,096 bytes answers 414.
- Rate limits of December 2025: the public pool 5 requests a second and 1 at a time, the
  polite pool (``mailto`` in the query or the User-Agent) 10 a second and 5 at a time;
  past them 429, with ``x-rate-limit-limit``/``x-rate-limit-interval`` on every answer.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .wire import Reply, Req, json_reply, text_reply

if TYPE_CHECKING:
    from .engine import Engine

HOST = "api.crossref.org"
MAX_ROWS = 1000
MAX_REQUEST_LINE = 4096
POOLS = {"public": (5, 1), "polite": (10, 5)}  # requests a second, requests at a time
# Filters of the /works route (those the fake models: doi).
WORKS_FILTERS = (
    "has-assertion", "from-print-pub-date", "until-deposit-date", "from-accepted-date",
    "has-authenticated-orcid", "from-created-date", "relation.object", "issn",
    "until-online-pub-date", "group-title", "full-text.application", "until-created-date",
    "license.version", "from-deposit-date", "has-abstract", "has-event", "funder",
    "assertion-group", "from-online-pub-date", "from-issued-date", "directory",
    "content-domain", "license.url", "from-index-date", "full-text.version", "full-text.type",
    "until-posted-date", "has-orcid", "has-archive", "type", "is-update",
    "until-event-start-date", "update-type", "from-pub-date", "has-license",
    "funder-doi-asserted-by", "isbn", "has-full-text", "doi", "orcid", "has-content-domain",
    "prefix", "until-event-end-date", "has-funder", "award.funder", "clinical-trial-number",
    "member", "has-domain-restriction", "until-accepted-date", "container-title",
    "license.delay", "from-posted-date", "has-affiliation", "from-update-date", "has-award",
    "until-print-pub-date", "from-event-start-date", "has-funder-doi", "until-index-date",
    "has-update", "until-update-date", "until-issued-date", "until-pub-date", "award.number",
    "has-references", "type-name", "alternative-id", "archive", "updates", "category-name",
    "has-clinical-trial-number", "assertion", "article-number", "has-update-policy",
)
WORKS_SELECTS = (
    "abstract", "URL", "resource", "member", "posted", "score", "created", "degree",
    "update-policy", "short-title", "license", "ISSN", "container-title", "issued",
    "update-to", "issue", "prefix", "approved", "indexed", "article-number",
    "clinical-trial-number", "accepted", "author", "group-title", "DOI",
    "is-referenced-by-count", "updated-by", "event", "chair", "standards-body",
    "original-title", "funder", "translator", "published", "archive", "published-print",
    "alternative-id", "subject", "subtitle", "published-online", "publisher-location",
    "content-domain", "reference", "title", "link", "type", "publisher", "volume",
    "references-count", "ISBN", "issn-type", "assertion", "deposited", "page",
    "content-created", "short-container-title", "relation", "editor",
)


def _failure(kind: str, value: str, message: str, status: int = 400) -> Reply:
    return json_reply({"status": "failed", "message-type": "validation-failure",
                       "message": [{"type": kind, "value": value, "message": message}]}, status)


def _pool(req: Req) -> str:
    agent = req.header("user-agent") or ""
    return "polite" if req.arg("mailto") or "mailto:" in agent.lower() else "public"


def _over_limit(engine: Engine, req: Req, pool: str) -> bool:
    rate, at_once = POOLS[pool]
    mine = [r for r in engine.log if r["host"] == HOST and r["method"] != "CONNECT"]
    in_flight = sum(1 for r in mine if r["end"] is None)  # this request is logged already
    now = req.started or time.monotonic()
    recent = sum(1 for r in mine if now - 1.0 < r["start"] <= now)
    return in_flight > at_once or recent > rate


def work(entry: dict[str, Any]) -> dict[str, Any]:
    """The full record of one registered DOI (the fields the fake models)."""
    doi = entry["doi"].lower()
    return {
        "DOI": doi,
        "URL": f"https://doi.org/{doi}",
        "resource": {"primary": {"URL": entry["url"]}},
        "prefix": doi.split("/", 1)[0],
        "type": "proceedings-article" if doi.startswith("10.1145/") else "journal-article",
        "member": "320" if doi.startswith("10.1145/") else "78",
        "publisher": "Association for Computing Machinery (ACM)"
        if doi.startswith("10.1145/") else "World Publisher",
    }


def crossref_dois(engine: Engine) -> dict[str, dict[str, Any]]:
    """The world's DOIs that Crossref registered, by lower-case DOI."""
    return {doi: entry for doi, entry in engine.scenario["doi"]["dois"].items()
            if entry.get("agency", "crossref") == "crossref"}


def handle(engine: Engine, req: Req) -> Reply:
    """Answer the REST API."""
    pool = _pool(req)
    rate, at_once = POOLS[pool]
    limits = {"x-rate-limit-limit": str(rate), "x-rate-limit-interval": "1s",
              "x-concurrency-limit": str(at_once), "x-api-pool": pool}
    line = len(f"{req.method} {req.path}?{req.query_string} HTTP/1.1")
    if line > MAX_REQUEST_LINE:
        return text_reply("414 Request-URI Too Long\n", 414)
    if _over_limit(engine, req, pool):
        reply = text_reply("Too Many Requests\n", 429, {"retry-after": "1"})
    else:
        reply = _route(engine, req)
    reply.headers.update(limits)
    return reply


def _route(engine: Engine, req: Req) -> Reply:
    if req.method not in ("GET", "HEAD"):
        return text_reply("Method Not Allowed\n", 405)
    path = re.sub(r"^/v1(?=/)", "", req.path).rstrip("/")
    if path == "/works":
        return _works(engine, req)
    if path.startswith("/works/"):
        doi = unquote(path[len("/works/"):]).lower()
        entry = crossref_dois(engine).get(doi)
        if entry is None:
            return text_reply("Resource not found.", 404)
        return json_reply({"status": "ok", "message-type": "work", "message-version": "1.0.0",
                           "message": work(entry)})
    return text_reply("Resource not found.", 404)


def _works(engine: Engine, req: Req) -> Reply:
    filters: list[tuple[str, str]] = []
    for part in (req.arg("filter") or "").split(","):
        if not part:
            continue
        name, _, value = part.partition(":")
        if name not in WORKS_FILTERS:
            return _failure("filter-not-available", name,
                            f"Filter {name} specified but there is no such filter for this "
                            f"route. Valid filters for this route are: {', '.join(WORKS_FILTERS)}")
        filters.append((name, value))
    raw_rows = req.arg("rows", "20") or ""
    if not raw_rows.isdigit() or int(raw_rows) > MAX_ROWS:
        return _failure("integer-not-valid", raw_rows,
                        f"Integer specified as {raw_rows} but must be a positive integer less "
                        f"than or equal to {MAX_ROWS}. ")
    rows = int(raw_rows)
    select = [s for s in (req.arg("select") or "").split(",") if s]
    for name in select:
        if name not in WORKS_SELECTS:
            return _failure("select-not-available", name,
                            f"Select {name} specified but there is no such select for this "
                            f"route. Valid selects for this route are: "
                            f"{', '.join(WORKS_SELECTS)}")
    modelled = {name for name, _ in filters}
    if modelled - {"doi"}:
        reply = text_reply("the fake Crossref models only the doi filter\n", 501)
        reply.violation = f"unmodelled Crossref filter(s): {sorted(modelled - {'doi'})}"
        return reply
    known = crossref_dois(engine)
    wanted = [value.lower() for name, value in filters if name == "doi"]
    entries = ([known[d] for d in dict.fromkeys(wanted) if d in known] if filters
               else list(known.values()))
    items = [work(e) for e in entries]
    if select:
        items = [{k: v for k, v in item.items() if k in select} for item in items]
    return json_reply({
        "status": "ok", "message-type": "work-list", "message-version": "1.0.0",
        "message": {"facets": {}, "total-results": len(items), "items": items[:rows],
                    "items-per-page": rows,
                    "query": {"start-index": 0, "search-terms": None}},
    })
