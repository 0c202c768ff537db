"""End to end through the simulated internet (tests/world/): real sockets, real proxy.

Every scenario of the link-checking issue is one host below; one probe run checks
them all, then each verdict is asserted, and politeness is read from the world's
own request log.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest

from listwatch import net
from listwatch.config import CheckConfig, Config, HttpConfig
from listwatch.model import Verdict
from listwatch.net import clock
from listwatch.probe import ProbeContext, probe_urls

pytestmark = pytest.mark.e2e

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
CONFIG = Config(
    targets=(),
    http=HttpConfig(timeout=1.0, host_concurrency=2, host_interval=0.05, max_concurrency=16),
    check=CheckConfig(retries=2, retry_after_max=5.0),
)


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Backoff and Retry-After waits are recorded and shortened (the world is local)."""
    waits: list[float] = []

    async def short(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(min(seconds, 0.05))

    monkeypatch.setattr(clock, "sleep", short)
    return waits


def probe(urls: list[str], config: Config = CONFIG) -> dict[str, Verdict]:
    async def main() -> dict[str, Verdict]:
        async with net.async_client(config.http) as client:
            return await probe_urls(urls, config=config,
                                    network=net.Network.for_run(config, client),
                                    context=ProbeContext(now=NOW))

    return asyncio.run(main())


def test_scenarios_end_to_end(world_inprocess, fast_retries: list[float]) -> None:  # type: ignore[no-untyped-def]
    w = world_inprocess
    with w.batch():
        w.host("moved.test").route("/old", redirect="/new").route("/new")
        w.host("temp.test").route("/x", redirect="https://moved.test/new", status=302)
        w.host("loop.test").redirect_loop("/spin")
        w.host("gone.test").route("/404", status=404).route("/410", status=410)
        w.host("shield.test").route("/paper", challenge=True)
        w.host("busy.test").route("/limited", status=200, fail_first=1, fail_status=429,
                                  retry_after=2)
        w.host("flaky.test").route("/once", fail_first=1, fail_status=503)
        w.host("slow.test").route("/hang", hang=True)
        w.host("reset.test").route("/x", reset=True)
        w.host("huge.test").route("/blob", body_size=50 * 1024 * 1024)
        w.host("nohead.test").route("/x", refuse_head=True)
        w.host("ratelimit.test").route("/long", status=429, retry_after=7200)
        w.unresolvable("nowhere.test")
        w.doi.register("10.1145/3600006.3613139", "https://dl.acm.org/doi/10.1145/3600006.3613139")
    urls = {
        "permanent": "https://moved.test/old",
        "temporary": "https://temp.test/x",
        "loop": "https://loop.test/spin",
        "404": "https://gone.test/404",
        "410": "https://gone.test/410",
        "challenge": "https://shield.test/paper",
        "429": "https://busy.test/limited",
        "503 once": "https://flaky.test/once",
        "hang": "https://slow.test/hang",
        "reset": "https://reset.test/x",
        "huge": "https://huge.test/blob",
        "no HEAD": "https://nohead.test/x",
        "Retry-After too long": "https://ratelimit.test/long",
        "no such name": "https://nowhere.test/page",
        "no such name (http)": "http://nowhere.test/page",
        "acm via DOI": "https://dl.acm.org/doi/10.1145/3600006.3613139",
        "acm page": "https://dl.acm.org/conference/sosp",
    }
    started = time.monotonic()
    got = probe(list(urls.values()))
    elapsed = time.monotonic() - started
    v = {name: got[url] for name, url in urls.items()}

    assert (v["permanent"].status, v["permanent"].permanent) == ("redirect", True)
    assert v["permanent"].final_url == "https://moved.test/new"
    assert v["permanent"].detail == "moved permanently to https://moved.test/new"
    assert (v["temporary"].status, v["temporary"].permanent) == ("redirect", False)
    assert [h.http_status for h in v["temporary"].chain] == [302]
    assert v["loop"].status == "error" and "redirect loop" in v["loop"].detail
    assert (v["404"].status, v["404"].detail) == ("broken", "404 Not Found")
    assert (v["410"].status, v["410"].detail) == ("broken", "410 Gone")
    assert v["challenge"].status == "blocked"
    assert v["challenge"].detail == "403 with cf-mitigated: challenge (bot check)"
    assert v["429"].status == "ok" and any(1.9 < s <= 2.0 for s in fast_retries)
    assert v["503 once"].status == "ok"
    assert v["hang"].status == "timeout" and "after 1 s" in v["hang"].detail
    assert v["reset"].status == "error" and "reset" in v["reset"].detail
    assert (v["huge"].status, v["huge"].via) == ("ok", "head")
    assert (v["no HEAD"].status, v["no HEAD"].via) == ("ok", "get")
    assert v["Retry-After too long"].status == "blocked"
    assert v["Retry-After too long"].detail == (
        "429 Too Many Requests: Retry-After 7200 s exceeds retry_after_max 5 s")
    # Through CONNECT the proxy's 502 says only that it could not get through; a plain
    # http request shows the proxy's page, which names the cause.
    assert v["no such name"].status == "error", v["no such name"]
    assert v["no such name"].detail == "the proxy could not reach the host (proxy: 502)"
    assert v["no such name (http)"].status == "broken", v["no such name (http)"]
    assert v["no such name (http)"].detail == "name does not resolve (proxy: 502)"
    assert (v["acm via DOI"].status, v["acm via DOI"].via) == ("ok", "doi")
    assert v["acm page"].status == "blocked"
    assert w.requests("dl.acm.org", path="/doi/10.1145/3600006.3613139") == []
    assert len(w.requests("ratelimit.test")) == 1  # gave up without waiting 2 hours
    assert elapsed < 15, elapsed


def test_huge_body_is_not_downloaded(world_inprocess) -> None:  # type: ignore[no-untyped-def]
    w = world_inprocess
    w.host("huge2.test").route("/blob", body_size=50 * 1024 * 1024, refuse_head=True)
    started = time.monotonic()
    got = probe(["https://huge2.test/blob"])
    assert got["https://huge2.test/blob"].status == "ok"
    assert got["https://huge2.test/blob"].via == "get"
    assert time.monotonic() - started < 5


def test_politeness_from_the_world_log(world_inprocess) -> None:  # type: ignore[no-untyped-def]
    w = world_inprocess
    with w.batch():
        w.host("many.test").route("/*", delay_ms=50)
        w.host("other.test").route("/*", delay_ms=50)
    urls = [f"https://many.test/p{i}" for i in range(12)]
    urls += [f"https://other.test/p{i}" for i in range(6)]
    urls += urls[:5]  # duplicates are checked once
    got = probe(urls)
    assert all(v.status == "ok" for v in got.values())
    assert len(w.requests("many.test")) == 12 and len(w.requests("other.test")) == 6
    for host in ("many.test", "other.test"):
        assert w.peak_concurrency(host) <= CONFIG.http.host_concurrency
        # arrival times at the proxy jitter; the spacing holds over the whole run
        starts = sorted(r.start for r in w.requests(host))
        span = starts[-1] - starts[0]
        assert span >= (len(starts) - 1) * CONFIG.http.host_interval * 0.9
    assert w.peak_concurrency() > CONFIG.http.host_concurrency  # hosts run side by side


def test_a_dead_host_is_backed_off(world_inprocess, fast_retries: list[float]) -> None:  # type: ignore[no-untyped-def]
    w = world_inprocess
    w.host("dead.test").route("/*", reset=True)
    urls = [f"https://dead.test/{i}" for i in range(30)]
    got = probe(urls)
    # Only links requested are judged; the rest are not checked (skipped) this run.
    backed_off = [v for v in got.values() if v.via == "host-backoff"]
    assert len(backed_off) >= 20 and all(v.status == "skipped" for v in backed_off)
    assert all(v.status == "error" for v in got.values() if v.via != "host-backoff")
    assert len(w.requests("dead.test")) <= 10  # not 30 URLs x 3 attempts


def test_private_addresses_are_refused_without_a_request(world_inprocess) -> None:  # type: ignore[no-untyped-def]
    w = world_inprocess
    got = probe(["http://127.0.0.1:9/admin", "http://[::1]/", "http://169.254.169.254/latest"])
    assert all(v.status == "skipped" for v in got.values())
    assert w.requests() == []
