"""The fake doi.org: the resolver (302 to the registered URL) and the handle REST API."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote

from .wire import Reply, Req, html_reply, json_reply

if TYPE_CHECKING:
    from .engine import Engine

TIMESTAMP = "2023-06-01T12:00:00Z"


def handle(engine: Engine, req: Req) -> Reply:
    """``/<doi>`` redirects; ``/api/handles/<doi>`` answers JSON."""
    dois = engine.scenario["doi"]["dois"]
    path = unquote(req.path)
    if path.startswith("/api/handles/"):
        doi = path[len("/api/handles/") :]
        entry = dois.get(doi.lower())
        if entry is None:
            return json_reply({"responseCode": 100, "handle": doi}, 404)
        return json_reply(
            {
                "responseCode": 1,
                "handle": entry["doi"],
                "values": [
                    {
                        "index": 1,
                        "type": "URL",
                        "data": {"format": "string", "value": entry["url"]},
                        "ttl": 86400,
                        "timestamp": TIMESTAMP,
                    },
                    {
                        "index": 100,
                        "type": "HS_ADMIN",
                        "data": {
                            "format": "admin",
                            "value": {
                                "handle": "0.na/10.1000",
                                "index": 200,
                                "permissions": "111111110010",
                            },
                        },
                        "ttl": 86400,
                        "timestamp": TIMESTAMP,
                    },
                ],
            }
        )
    doi = path.lstrip("/")
    if not doi:
        reply = html_reply("Digital Object Identifier System", "")
    elif doi.lower() in dois:
        url = dois[doi.lower()]["url"]
        reply = html_reply("Handle Redirect", url, 302, {"location": url})
    else:
        reply = html_reply("Error: DOI Not Found", f"DOI Not Found: {doi}", 404)
    if req.method == "HEAD":
        reply.body = b""
    return reply
