"""The world's brain inside the proxy: scenario, runtime counters, request log, dispatch.

No mitmproxy import here: :class:`Engine` maps a :class:`~.wire.Req` to a
:class:`~.wire.Reply`; ``addon.py`` adapts mitmproxy flows to it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from . import (
    arxiv,
    crossref,
    dblp,
    doi,
    github_forks,
    github_git,
    github_graphql,
    github_issues,
    github_pulls,
    github_rest,
    github_web,
    hosts,
    s2,
    wayback,
)
from .github_state import GitHost
from .model import CONTROL_HOST, SERVICE_HOSTS, _empty_scenario
from .wire import Reply, Req, text_reply

LOGGED_HEADERS = (
    "user-agent",
    "accept",
    "accept-encoding",
    "content-type",
    "if-none-match",
    "if-modified-since",
    "range",
    "x-github-api-version",
    "referer",
)
SECRET_HEADERS = ("authorization", "x-api-key", "cookie", "proxy-authorization")
BODY_LOG_LIMIT = 64 * 1024

Handler = Callable[["Engine", Req], Reply]

SERVICE_HANDLERS: dict[str, Handler] = {}
for _host in SERVICE_HOSTS["github_api"]:
    SERVICE_HANDLERS[_host] = lambda e, r: (
        github_graphql.handle(e, r)
        if r.path.rstrip("/") == "/graphql"
        else github_rest.handle(e, r)
    )
for _host in SERVICE_HOSTS["github_web"]:
    SERVICE_HANDLERS[_host] = github_web.handle
for _host in SERVICE_HOSTS["arxiv_api"]:
    SERVICE_HANDLERS[_host] = arxiv.handle_api
for _host in SERVICE_HOSTS["arxiv_web"]:
    SERVICE_HANDLERS[_host] = arxiv.handle_web
for _host in SERVICE_HOSTS["dblp"]:
    SERVICE_HANDLERS[_host] = dblp.handle
for _host in SERVICE_HOSTS["s2"]:
    SERVICE_HANDLERS[_host] = s2.handle
for _host in SERVICE_HOSTS["doi"]:
    SERVICE_HANDLERS[_host] = doi.handle
for _host in SERVICE_HOSTS["crossref"]:
    SERVICE_HANDLERS[_host] = crossref.handle
for _host in SERVICE_HOSTS["wayback"]:
    SERVICE_HANDLERS[_host] = wayback.handle


class Engine:
    """Scenario + runtime state of the simulated internet."""

    def __init__(self) -> None:
        self.scenario: dict[str, Any] = _empty_scenario()
        self.counters: dict[str, int] = {}
        self.last_start: dict[str, float] = {}
        self.log: list[dict[str, Any]] = []
        self.violations: list[str] = []
        self.epoch_reset = int(time.time()) + 3600
        self._seq = 0
        self.githost = GitHost()
        # Importing the handler modules registers their REST operations.
        assert github_git and github_pulls and github_issues and github_forks

    # -- scenario lifecycle

    def set_scenario(self, scenario: dict[str, Any]) -> None:
        """Replace the scenario; runtime counters and git state (keyed by ids) survive."""
        self.scenario = scenario
        self.githost.sync(scenario)

    def reset(self) -> None:
        """Forget everything: empty scenario, counters, log, violations."""
        self.scenario = _empty_scenario()
        self.counters.clear()
        self.last_start.clear()
        self.log.clear()
        self.violations.clear()
        self.epoch_reset = int(time.time()) + 3600
        self.githost = GitHost()

    def bump(self, key: str, by: int = 1) -> int:
        """Increment a runtime counter; returns the value before the increment."""
        before = self.counters.get(key, 0)
        self.counters[key] = before + by
        return before

    def violation(self, message: str) -> None:
        """Record a contract violation (the fixture fails the test on teardown)."""
        self.violations.append(message)

    # -- name resolution

    def resolves(self, host: str) -> bool:
        """Whether ``host`` exists on the simulated internet."""
        host = host.lower()
        if host in self.scenario["unresolvable"]:
            return False
        return host == CONTROL_HOST or host in SERVICE_HANDLERS or host in self.scenario["hosts"]

    # -- log

    def begin(self, req: Req) -> dict[str, Any]:
        """Start a log record for ``req``."""
        self._seq += 1
        headers = {k: v for k, v in req.headers.items() if k in LOGGED_HEADERS}
        for secret in SECRET_HEADERS:
            if secret in req.headers:
                headers[secret] = "present"
        body = None
        if req.body and req.method in ("POST", "PUT", "PATCH"):
            body = req.body[:BODY_LOG_LIMIT].decode("utf-8", "replace")
        rec: dict[str, Any] = {
            "seq": self._seq,
            "start": req.started or time.monotonic(),
            "end": None,
            "scheme": req.scheme,
            "host": req.host.lower(),
            "method": req.method,
            "path": req.path,
            "query": req.query_string,
            "headers": headers,
            "status": None,
            "error": None,
            "body": body,
            "note": None,
            "violation": None,
        }
        self.log.append(rec)
        return rec

    @staticmethod
    def end(rec: dict[str, Any], status: int | None, error: str | None = None) -> None:
        """Close a log record."""
        if rec["end"] is None:
            rec["end"] = time.monotonic()
        if status is not None:
            rec["status"] = status
        if error:
            rec["error"] = error

    # -- dispatch

    def handle(self, req: Req, rec: dict[str, Any] | None = None) -> Reply:
        """Answer ``req`` according to the scenario."""
        host = req.host.lower()
        if not self.resolves(host):
            return Reply(
                status=502,
                headers={"content-type": "text/plain; charset=utf-8"},
                body=f"502 Bad Gateway: could not resolve host {host!r} "
                "(Name or service not known)\n".encode(),
            )
        reply = self._pre_checks(host, req)
        if reply is None:
            handler = SERVICE_HANDLERS.get(host)
            reply = handler(self, req) if handler else hosts.handle(self, req)
        if reply.violation:
            self.violation(f"{req.method} {req.url}: {reply.violation}")
            if rec is not None:
                rec["violation"] = reply.violation
        return reply

    def _pre_checks(self, host: str, req: Req) -> Reply | None:
        """Throttles and injected faults, before the service sees the request."""
        prev = self.last_start.get(host)
        self.last_start[host] = req.started
        throttle = self.scenario["throttles"].get(host)
        if throttle and prev is not None and req.started - prev < throttle["min_interval"]:
            return _status_reply(throttle["status"], throttle.get("retry_after"), host)
        for fault in self.scenario["faults"].get(host, []):
            if not _fault_applies(fault, req):
                continue
            key = f"fault:{fault['fid']}"
            times = fault.get("times")
            if times is not None and self.counters.get(key, 0) >= times:
                continue
            self.bump(key)
            if fault.get("after"):
                # The service does the work; only the answer is lost on the way back.
                done = SERVICE_HANDLERS[host](self, req)
                if done.violation:
                    self.violation(f"{req.method} {req.url}: {done.violation}")
            return _fault_reply(self, fault, host, req)
        return None


def _fault_applies(fault: dict[str, Any], req: Req) -> bool:
    kind = fault.get("kind", "status")
    if kind == "s2_anonymous":
        return "x-api-key" not in req.headers
    if kind == "github_operation":
        found = github_rest.match("GET" if req.method == "HEAD" else req.method, req.path)
        return found is not None and f"{found[0].method} {found[0].template}" == fault["operation"]
    if kind == "github_secondary":
        match = fault.get("match_path")
        is_graphql = req.path.rstrip("/") == "/graphql"
        if match == "rest" and is_graphql:
            return False
        if match == "/graphql" and not is_graphql:
            return False
    return True


def _status_reply(status: int, retry_after: Any, host: str, body: str | None = None) -> Reply:
    headers = {}
    if retry_after is not None:
        headers["retry-after"] = str(retry_after)
    return text_reply(body or f"{status} error from {host}\n", status=status, headers=headers)


def _fault_reply(engine: Engine, fault: dict[str, Any], host: str, req: Req) -> Reply:
    kind = fault.get("kind", "status")
    if kind == "reset":
        return Reply(action="reset")
    if kind == "malformed":
        return Reply(
            status=200,
            headers={"content-type": "application/json; charset=utf-8"},
            body=b'{"result": {"hits": {"@total": "1", "hit": [{"info": {"title": "trunc',
        )
    if kind == "github_secondary":
        return github_rest.secondary_limit_reply(engine, fault)
    if kind == "s2_anonymous":
        return s2.too_many_requests()
    if kind == "arxiv_empty":
        return arxiv.empty_page(req)
    if kind == "trickle":
        return Reply(action="stream",
                     stream={"mode": "trickle", "status": 200, "interval": fault["interval"]})
    if kind == "endless":
        return Reply(action="stream", stream={"mode": "endless", "status": 200})
    if kind == "github_operation":
        reply = github_rest.error(fault["status"], fault.get("body") or "Server Error")
        if fault.get("retry_after") is not None:
            reply.headers["retry-after"] = str(fault["retry_after"])
        return reply
    reply = _status_reply(fault["status"], fault.get("retry_after"), host, fault.get("body"))
    reply.headers.update(fault.get("headers") or {})
    return reply
