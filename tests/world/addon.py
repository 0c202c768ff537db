"""mitmproxy addon: the simulated internet. Run as ``mitmdump -s tests/world/addon.py``.

Answers every request itself (never connects upstream); refuses CONNECT to names that do
not resolve in the scenario; serves a control API on ``http://world.control/`` (scenario
push, reset, request log, contract violations). All work is delegated to
:class:`world.engine.Engine`; this module only adapts mitmproxy flows.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

from mitmproxy import ctx, http, tls
from OpenSSL import crypto

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from world import bad_tls, github_admin, github_graphql, github_rest, streams
from world.engine import Engine
from world.model import CONTROL_HOST
from world.wire import Reply, Req

CHUNK = b"0123456789abcdef" * 4096


def _json(data: Any, status: int = 200) -> http.Response:
    return http.Response.make(
        status, json.dumps(data).encode(), {"content-type": "application/json"}
    )


class WorldAddon:
    """Adapter between mitmproxy flows and the engine."""

    def __init__(self) -> None:
        self.engine = Engine()
        self.streams = streams.StreamServer()
        github_graphql.warm_up()
        threading.Thread(target=github_rest.operations, daemon=True).start()

    async def running(self) -> None:
        """Start the loopback server for answers that arrive over time."""
        await self.streams.start()

    # -- TLS: the certificate a scenario host presents ---------------------------------

    def tls_start_client(self, data: tls.TlsData) -> None:
        """Swap in a faulty certificate for hosts declared with ``tls=...``."""
        sni = (data.context.client.sni or "").lower()
        mode = self.engine.scenario["hosts"].get(sni, {}).get("tls")
        if not mode:
            return
        tlsconfig = ctx.master.addons.get("tlsconfig")
        if data.ssl_conn is None:  # the built-in addon runs after this one: let it start
            tlsconfig.tls_start_client(data)
        store = tlsconfig.certstore
        cert, key = bad_tls.certificate(
            mode, sni, store.default_privatekey, store.default_ca._cert
        )
        data.ssl_conn.use_certificate(crypto.X509.from_cryptography(cert))
        data.ssl_conn.use_privatekey(crypto.PKey.from_cryptography_key(key))

    # -- CONNECT: refuse names that do not resolve -----------------------------------

    def http_connect(self, flow: http.HTTPFlow) -> None:
        """Answer 502 to CONNECT for unresolvable names, like a real forward proxy."""
        host = flow.request.host
        if self.engine.resolves(host):
            return
        now = time.monotonic()
        rec = self.engine.begin(Req("https", host, "CONNECT", "", "", {}, b"", now))
        msg = f"502 Bad Gateway: could not resolve host {host!r} (Name or service not known)\n"
        flow.response = http.Response.make(502, msg.encode(), {"content-type": "text/plain"})
        self.engine.end(rec, 502, "does not resolve")

    # -- requests ----------------------------------------------------------------------

    async def request(self, flow: http.HTTPFlow) -> None:
        """Answer a request from the scenario."""
        started = time.monotonic()
        r = flow.request
        path, _, query = r.path.partition("?")
        headers = {k.lower(): v for k, v in r.headers.items()}
        body = r.get_content(strict=False) or b""
        req = Req(
            r.scheme, r.host.lower(), r.method.upper(), path or "/", query, headers, body, started
        )
        if req.host == CONTROL_HOST:
            flow.response = self._control(req)
            return
        rec = self.engine.begin(req)
        flow.metadata["world_rec"] = rec
        is_graphql = req.host == "api.github.com" and req.path.rstrip("/") == "/graphql"
        if is_graphql and not github_graphql.schema_ready.is_set():
            await asyncio.to_thread(github_graphql.schema)
        try:
            reply = self.engine.handle(req, rec)
        except Exception as exc:  # a bug in the world must be loud, not a hang
            self.engine.violation(f"tests/world crashed on {req.method} {req.url}: {exc!r}")
            reply = Reply(500, {"content-type": "text/plain"}, f"world error: {exc!r}".encode())
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.action in ("reset", "hang"):
            self.engine.end(rec, None, reply.action)
            if flow.killable:
                flow.kill()
            return
        if reply.action == "stream":
            flow.metadata["world_stream"] = True
            r.scheme, r.host, r.port = "http", "127.0.0.1", self.streams.port
            r.headers[streams.HEADER] = json.dumps(reply.stream)
            return
        content = reply.body
        if reply.body_size is not None:
            reps, rest = divmod(reply.body_size, len(CHUNK))
            content = CHUNK * reps + CHUNK[:rest]
        if req.method == "HEAD":
            content = b""
        flow.response = http.Response.make(reply.status, b"", reply.headers)
        if reply.encoded:
            flow.response.raw_content = content
            flow.response.headers["content-length"] = str(len(content))
        else:
            flow.response.content = content
        self.engine.end(rec, reply.status)

    def responseheaders(self, flow: http.HTTPFlow) -> None:
        """Answers from the streaming server go through as they arrive."""
        if flow.metadata.get("world_stream") and flow.response is not None:
            flow.response.stream = True

    def response(self, flow: http.HTTPFlow) -> None:
        """Close the log record of a streamed answer."""
        rec = flow.metadata.get("world_rec")
        if flow.metadata.get("world_stream") and rec is not None and flow.response is not None:
            self.engine.end(rec, flow.response.status_code)

    def error(self, flow: http.HTTPFlow) -> None:
        """Close the log record of a flow that failed (client gone, killed...)."""
        rec = flow.metadata.get("world_rec")
        if rec is not None and rec["end"] is None:
            self.engine.end(rec, None, str(flow.error) if flow.error else "error")

    # -- control API -------------------------------------------------------------------

    def _control(self, req: Req) -> http.Response:
        e = self.engine
        if req.path == "/ping":
            return _json({"ok": True, "schema_ready": github_graphql.schema_ready.is_set()})
        if req.path == "/scenario" and req.method == "PUT":
            e.set_scenario(req.json())
            return _json({"ok": True})
        if req.path == "/reset" and req.method == "POST":
            e.reset()
            return _json({"ok": True})
        if req.path == "/log":
            since = int(req.arg("since", "0") or 0)
            return _json([rec for rec in e.log if rec["seq"] > since])
        if req.path == "/violations":
            return _json(e.violations)
        if req.path == "/github" and req.method == "POST":
            call = req.json()
            try:
                return _json({"result": github_admin.run(e, call["action"], call["args"])})
            except github_admin.AdminError as exc:
                return _json({"error": str(exc)}, 400)
        return _json({"error": f"unknown control call {req.method} {req.path}"}, 404)


addons = [WorldAddon()]
