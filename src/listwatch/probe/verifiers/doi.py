"""DOI links (doi.org and publisher pages that carry a DOI) judged by the DOI registries.

Publishers such as dl.acm.org answer 403 to anything that is not a browser. Crossref's
facts (gathered in batches beforehand) say a DOI is registered without touching them;
a DOI Crossref does not list (another agency's, or none) goes to the doi.org handle
API, one request per DOI.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from urllib.parse import quote, unquote, urlsplit

from listwatch.model import DoiFacts, Status, Verdict
from listwatch.probe.classify import clean

DOI_HOSTS = ("doi.org", "dx.doi.org", "www.doi.org")
_DOI = re.compile(r"^(10\.\d{4,9}/\S+?)/?$")
# Publisher hosts whose URL path carries the DOI, and the path prefix before it.
_PUBLISHERS: dict[str, re.Pattern[str]] = {
    "dl.acm.org": re.compile(r"^/doi/(?:abs/|pdf/|full/|fullHtml/|epdf/|book/|proceedings/)?"),
    "onlinelibrary.wiley.com": re.compile(r"^/doi/(?:abs/|pdf/|full/|epdf/|book/)?"),
    "www.tandfonline.com": re.compile(r"^/doi/(?:abs/|pdf/|full/)?"),
    "journals.sagepub.com": re.compile(r"^/doi/(?:abs/|pdf/|full/)?"),
    "pubs.acs.org": re.compile(r"^/doi/(?:abs/|pdf/|full/)?"),
    "www.science.org": re.compile(r"^/doi/(?:abs/|pdf/|full/)?"),
    "link.springer.com": re.compile(r"^/(?:article|chapter|book|content/pdf)/"),
}


def extract(url: str) -> str | None:
    """The DOI a URL carries, or None."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = unquote(parts.path)
    if host in DOI_HOSTS:
        rest = path[1:]
    elif host in _PUBLISHERS:
        prefix = _PUBLISHERS[host].match(path)
        if not prefix:
            return None
        rest = path[prefix.end():]
        if host == "link.springer.com" and rest.endswith(".pdf"):
            rest = rest[:-4]
    else:
        return None
    match = _DOI.match(rest)
    return match.group(1) if match else None


def crossref_url(doi: str) -> str:
    return f"https://api.crossref.org/works/{quote(doi, safe='/')}"


def from_crossref(url: str, doi: str, facts: Mapping[str, DoiFacts]) -> Verdict | None:
    """``ok`` when Crossref lists the DOI; None otherwise (ask the handle API)."""
    found = facts.get(doi.lower())
    if found is None:
        return None
    return Verdict(url=url, status="ok", via="crossref", detail=registered(doi, found.url),
                   evidence=(crossref_url(doi),))


def registered(doi: str, target: str | None) -> str:
    """The detail of a registered DOI."""
    where = f"; resolves to {clean(target, 200)}" if target else ""
    return f"DOI {doi} is registered{where}"


def handle_api_url(doi: str) -> str:
    return f"https://doi.org/api/handles/{quote(doi, safe='/')}"


def interpret(doi: str, status: int, body: bytes) -> tuple[Status, str] | None:
    """``(status, detail)`` from a handle API answer; None when it says nothing usable."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    code = data.get("responseCode")
    if code == 1 or code == 200:
        return "ok", registered(doi, _target(data))
    if code == 100 or (status == 404 and code is None):
        return "broken", f"DOI {doi} is not registered (doi.org: handle not found)"
    return None


def _target(data: dict[str, object]) -> str | None:
    values = data.get("values")
    if not isinstance(values, list):
        return None
    for value in values:
        if isinstance(value, dict) and value.get("type") == "URL":
            inner = value.get("data")
            if isinstance(inner, dict) and isinstance(inner.get("value"), str):
                return str(inner["value"])
    return None
