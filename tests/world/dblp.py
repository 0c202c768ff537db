"""The fake dblp publication search API (``/search/publ/api``) and record pages.

JSON shape as dblp serves it: ``result.hits.hit[].info``; every number is a string;
``authors.author`` is an object for one author and a list for several; ``ee`` and ``venue``
are a string or a list. Query semantics follow dblp's: every whitespace-separated term must
match a word prefix (case-insensitive) of the title, an author, the venue or the year;
``term$`` matches the whole word only and ``a|b`` matches either.
"""

from __future__ import annotations

import re
import zlib
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from .wire import Reply, Req, html_reply, json_reply

if TYPE_CHECKING:
    from .engine import Engine

WORD = re.compile(r"[\w]+", re.UNICODE)


def _words(record: dict[str, Any]) -> list[str]:
    venue = record["venue"] if isinstance(record["venue"], list) else [record["venue"]]
    text = " ".join([record["title"], *record["authors"], *venue, record["year"]])
    return [w.lower() for w in WORD.findall(text)]


def _term_matches(words: list[str], term: str) -> bool:
    for alt in term.split("|"):
        exact = alt.endswith("$")
        alt = alt.rstrip("$").lower()
        pieces = WORD.findall(alt)
        if not pieces:
            continue
        if all(any(w == p if exact else w.startswith(p) for w in words) for p in pieces):
            return True
    return False


def matches(record: dict[str, Any], query: str) -> bool:
    """Whether ``record`` matches a dblp query string."""
    words = _words(record)
    terms = [t for t in query.split() if WORD.search(t)]
    return bool(terms) and all(_term_matches(words, t) for t in terms)


def _pid(name: str) -> str:
    n = sum(ord(c) for c in name)
    return f"{n % 300}/{n * 37 % 9000 + 1000}"


def info(record: dict[str, Any]) -> dict[str, Any]:
    """A hit's ``info`` object."""
    authors = [{"@pid": _pid(a), "text": a} for a in record["authors"]]
    out: dict[str, Any] = {}
    if authors:
        out["authors"] = {"author": authors[0] if len(authors) == 1 else authors}
    out["title"] = record["title"]
    out["venue"] = record["venue"]
    for key in ("volume", "number", "pages"):
        if record.get(key):
            out[key] = record[key]
    out["year"] = record["year"]
    out["type"] = record["type"]
    out["access"] = record.get("access", "closed")
    out["key"] = record["key"]
    if record.get("doi"):
        out["doi"] = record["doi"]
    if record.get("ee"):
        out["ee"] = record["ee"]
    out["url"] = f"https://dblp.org/rec/{record['key']}"
    return out


def handle(engine: Engine, req: Req) -> Reply:
    """dblp.org: the publication search API and ``/rec/<key>`` pages."""
    path = req.path.rstrip("/")
    if path == "/search/publ/api":
        return _search(engine, req)
    if path.startswith("/rec/"):
        key = re.sub(r"\.(html|bib|xml)$", "", path[len("/rec/") :])
        for rec in engine.scenario["dblp"]["records"]:
            if rec["key"] == key:
                if path.endswith(".xml"):
                    return _record_xml(rec)
                return html_reply(f"dblp: {rec['title']}", ", ".join(rec["authors"]))
        return html_reply("dblp: Error 404", "", 404)
    if path in ("", "/search"):
        return html_reply("dblp: computer science bibliography", "")
    return html_reply("dblp: Error 404", "", 404)


# The record element DBLP uses for each publication type of the search API.
_ELEMENTS = {
    "Conference and Workshop Papers": "inproceedings",
    "Journal Articles": "article",
    "Informal and Other Publications": "article",
    "Parts in Books or Collections": "incollection",
    "Editorship": "proceedings",
    "Books and Theses": "book",
}


def _record_xml(rec: dict[str, Any]) -> Reply:
    """``/rec/<key>.xml``: ``<dblp>`` around one record element, as dblp serves it.

    Conference papers name their venue in ``booktitle``, articles in ``journal``;
    CoRR and other informal records are articles with ``publtype="informal"``; the
    DOI appears only as an ``ee`` link.
    """
    tag = _ELEMENTS.get(rec["type"], "article")
    informal = ' publtype="informal"' if rec["type"] == "Informal and Other Publications" else ""
    venue = rec["venue"] if isinstance(rec["venue"], str) else rec["venue"][0]
    where = "booktitle" if tag in ("inproceedings", "incollection") else "journal"
    lines = [f'<{tag} key="{escape(rec["key"])}" mdate="2024-11-20"{informal}>']
    lines += [f'<author pid="{_pid(a)}">{escape(a)}</author>' for a in rec["authors"]]
    lines.append(f"<title>{escape(rec['title'])}</title>")
    for name in ("pages", "volume", "number"):
        if rec.get(name):
            lines.append(f"<{name}>{escape(str(rec[name]))}</{name}>")
    lines.append(f"<year>{rec['year']}</year>")
    lines.append(f"<{where}>{escape(venue)}</{where}>")
    ee = rec.get("ee") or []
    for link in [ee] if isinstance(ee, str) else ee:
        lines.append(f"<ee>{escape(link)}</ee>")
    lines.append(f"</{tag}>")
    body = '<?xml version="1.0" encoding="US-ASCII"?>\n<dblp>\n' + "\n".join(lines) + "\n</dblp>\n"
    # Declared US-ASCII: every other character is a numeric character reference.
    return Reply(200, {"content-type": "application/xml; charset=utf-8"},
                 body.encode("ascii", "xmlcharrefreplace"))


def _search(engine: Engine, req: Req) -> Reply:
    query = req.arg("q", "") or ""
    fmt = req.arg("format", "xml") or "xml"
    try:
        hits_wanted = min(int(req.arg("h", "30") or 30), 1000)
        first = int(req.arg("f", "0") or 0)
    except ValueError:
        return html_reply("Bad Request", "h and f must be numbers", 400)
    records = [r for r in engine.scenario["dblp"]["records"] if matches(r, query)]
    page = records[first : first + hits_wanted]
    if fmt == "xml":
        return _xml(query, records, page, first)
    if fmt not in ("json", "jsonp"):
        return html_reply("Bad Request", f"unknown format {fmt}", 400)
    hits: dict[str, Any] = {
        "@total": str(len(records)),
        "@computed": str(len(records)),
        "@sent": str(len(page)),
        "@first": str(first),
    }
    if page:
        hits["hit"] = [
            {
                "@score": str(10 - min(i, 9)),
                "@id": str(zlib.crc32(r["key"].encode()) % 10**7),
                "info": info(r),
                "url": f"URL#{zlib.crc32(r['key'].encode()) % 10**7}",
            }
            for i, r in enumerate(page)
        ]
    body = {
        "result": {
            "query": query,
            "status": {"@code": "200", "text": "OK"},
            "time": {"@unit": "msecs", "text": "3.14"},
            "completions": {"@total": "0", "@computed": "0", "@sent": "0"},
            "hits": hits,
        }
    }
    return json_reply(body)


def _xml(
    query: str, records: list[dict[str, Any]], page: list[dict[str, Any]], first: int
) -> Reply:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<result>",
        f"<query>{escape(query)}</query>",
        '<status code="200">OK</status>',
        f'<hits total="{len(records)}" computed="{len(records)}" '
        f'sent="{len(page)}" first="{first}">',
    ]
    for r in page:
        authors = "".join(f'<author pid="{_pid(a)}">{escape(a)}</author>' for a in r["authors"])
        venue = r["venue"] if isinstance(r["venue"], str) else r["venue"][0]
        lines.append(
            f"<hit><info><authors>{authors}</authors><title>{escape(r['title'])}</title>"
            f"<venue>{escape(venue)}</venue><year>{r['year']}</year><type>{escape(r['type'])}</type>"
            f"<key>{escape(r['key'])}</key><url>https://dblp.org/rec/{escape(r['key'])}</url></info></hit>"
        )
    lines += ["</hits>", "</result>", ""]
    return Reply(200, {"content-type": "application/xml; charset=utf-8"}, "\n".join(lines).encode())
