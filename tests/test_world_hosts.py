"""Scenario hosts, name resolution, the request log and the CLI environment."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time

import httpx
import pytest
import requests

pytestmark = pytest.mark.e2e


def _client(**kw) -> httpx.Client:
    kw.setdefault("timeout", 10)
    return httpx.Client(trust_env=True, **kw)


def test_statuses_headers_and_bodies(world_inprocess):
    h = world_inprocess.host("example.org")
    h.route("/ok", body="hello", content_type="text/plain", headers={"X-Thing": "1"})
    for status in (404, 410, 403, 500, 503):
        h.route(f"/s{status}", status=status)
    with _client() as c:
        ok = c.get("https://example.org/ok")
        assert (ok.status_code, ok.text, ok.headers["x-thing"]) == (200, "hello", "1")
        for status in (404, 410, 403, 500, 503):
            assert c.get(f"https://example.org/s{status}").status_code == status
        assert c.get("https://example.org/unrouted").status_code == 404
        assert c.get("http://example.org/ok").text == "hello"  # plain http too


def test_redirects_and_loops(world_inprocess):
    h = world_inprocess.host("example.org")
    for status in (301, 302, 303, 307, 308):
        h.route(f"/r{status}", redirect="/final", status=status)
    h.route("/final", body="done")
    h.route("/elsewhere", redirect="https://other.example/landing", status=301)
    world_inprocess.host("other.example").route("/landing", body="landed")
    h.redirect_loop("/loop")
    with _client(follow_redirects=True) as c:
        for status in (301, 302, 303, 307, 308):
            resp = c.get(f"https://example.org/r{status}")
            assert resp.text == "done" and resp.history[0].status_code == status
        assert c.get("https://example.org/elsewhere").text == "landed"
        with pytest.raises(httpx.TooManyRedirects):
            c.get("https://example.org/loop")


def test_retry_after_then_success_and_refuse_head(world_inprocess):
    h = world_inprocess.host("example.org")
    h.route("/busy", fail_first=2, fail_status=429, retry_after=1, body="finally")
    h.route("/nohead", refuse_head=True, body="get works")
    h.route("/challenge", challenge=True)
    with _client() as c:
        first = c.get("https://example.org/busy")
        assert first.status_code == 429 and first.headers["retry-after"] == "1"
        assert c.get("https://example.org/busy").status_code == 429
        assert c.get("https://example.org/busy").text == "finally"
        assert c.head("https://example.org/nohead").status_code == 405
        assert c.get("https://example.org/nohead").status_code == 200
        blocked = c.get("https://example.org/challenge")
        assert blocked.status_code == 403 and blocked.headers["cf-mitigated"] == "challenge"


def test_reset_hang_and_delay(world_inprocess):
    h = world_inprocess.host("example.org")
    h.route("/reset", reset=True)
    h.route("/hang", hang=True)
    h.route("/slow", delay_ms=300, body="slow")
    with _client(timeout=1.0) as c:
        with pytest.raises(httpx.TransportError):
            c.get("https://example.org/reset")
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            c.get("https://example.org/hang")
        assert time.monotonic() - started < 3
        # Other flows keep going while one hangs.
        slow = c.get("https://example.org/slow")
        assert slow.text == "slow" and slow.elapsed.total_seconds() >= 0.3
    log = world_inprocess.requests("example.org")
    assert [r.path for r in log] == ["/reset", "/hang", "/slow"]
    assert log[0].error == "reset" and log[2].status == 200


def test_huge_body_streams(world_inprocess):
    size = 50 * 1024 * 1024
    world_inprocess.host("big.example").route("/blob", body_size=size)
    total = 0
    with _client(timeout=30) as c, c.stream("GET", "https://big.example/blob") as resp:
        assert int(resp.headers["content-length"]) == size
        for chunk in resp.iter_bytes():
            total += len(chunk)
            if total >= 1024 * 1024:  # a careful client stops early
                break
    assert total >= 1024 * 1024


def test_unresolvable_and_unknown_hosts(world_inprocess):
    world_inprocess.unresolvable("gone.example")
    with _client() as c:
        for host in ("gone.example", "never-declared.example"):
            with pytest.raises(httpx.ProxyError):
                c.get(f"https://{host}/")
            plain = c.get(f"http://{host}/")
            assert plain.status_code == 502 and "could not resolve" in plain.text
    with pytest.raises(requests.exceptions.ProxyError):
        requests.get("https://gone.example/", timeout=5)
    connects = world_inprocess.requests("gone.example", method="CONNECT")
    assert connects and connects[0].status == 502


def test_concurrency_and_politeness_log(world_inprocess):
    world_inprocess.host("many.example").route("/*", delay_ms=300, body="x")
    world_inprocess.host("polite.example").route("/*", body="y")

    async def burst() -> list[int]:
        limits = httpx.Limits(max_connections=300)
        async with httpx.AsyncClient(trust_env=True, timeout=30, limits=limits) as c:
            many = [c.get(f"https://many.example/{i}") for i in range(200)]
            resps = await asyncio.gather(*many)
            return [r.status_code for r in resps]

    started = time.monotonic()
    statuses = asyncio.run(burst())
    assert statuses == [200] * 200
    assert time.monotonic() - started < 15
    assert world_inprocess.peak_concurrency("many.example") >= 50

    async def polite() -> None:
        sem = asyncio.Semaphore(2)
        async with httpx.AsyncClient(trust_env=True, timeout=10) as c:

            async def one(i: int) -> None:
                async with sem:
                    await c.get(f"https://polite.example/{i}")
                    await asyncio.sleep(0.05)

            await asyncio.gather(*(one(i) for i in range(8)))

    asyncio.run(polite())
    assert world_inprocess.peak_concurrency("polite.example") <= 2
    assert len(world_inprocess.requests("polite.example")) == 8


def test_cli_subprocess_env(world, tmp_path, monkeypatch):
    world.host("example.org").route("/x", body="through the proxy")
    world.github.repo("octo/hello", stars=3)
    monkeypatch.setenv("GITHUB_TOKEN", "real-token-must-not-leak")
    env = dict(world.env)
    assert "GITHUB_TOKEN" not in env and env["NO_PROXY"] == ""
    script = tmp_path / "client.py"
    script.write_text(
        "import json, os, httpx, github\n"
        "r = httpx.get('https://example.org/x')\n"
        "repo = github.Github(retry=None).get_repo('octo/hello')\n"
        "print(json.dumps([r.text, repo.stargazers_count, os.environ.get('GITHUB_TOKEN')]))\n"
    )
    out = subprocess.run(
        [sys.executable, str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(out.stdout) == ["through the proxy", 3, None]
    [gh] = world.requests("api.github.com")
    assert not gh.authorized and gh.status == 200
