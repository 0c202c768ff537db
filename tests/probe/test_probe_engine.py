"""The HTTP engine against a mock transport: classification, redirects, retries, politeness."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import httpx
import pytest
from mockweb import T0, World, _public, make_config, run_probe

from listwatch.model import DoiFacts, PaperFacts, RepoFacts, Verdict
from listwatch.net import Network
from listwatch.net.limiter import HostLimiter, HostState
from listwatch.probe import ProbeContext, engine, probe_urls
from listwatch.probe.context import Arriving
from listwatch.probe.fetch import BODY_PREFIX, DRAIN_LIMIT

A = "https://a.example"


def one(mockweb: World, url: str, **kw: object) -> Verdict:
    return run_probe(mockweb, [url], **kw)[url]  # type: ignore[arg-type]


def test_ok_with_head_only(mockweb: World) -> None:
    mockweb.route(f"{A}/page", 200)
    verdict = one(mockweb, f"{A}/page")
    assert (verdict.status, verdict.http_status, verdict.via) == ("ok", 200, "head")
    assert verdict.checked_at == T0
    assert [h.method for h in mockweb.hits] == ["HEAD"]


@pytest.mark.parametrize(
    ("code", "status", "detail"),
    [
        (404, "broken", "404 Not Found"),
        (410, "broken", "410 Gone"),
        (403, "blocked", "403 Forbidden (the site refuses automated clients)"),
        (999, "blocked", "999 (the site refuses automated clients)"),
        (401, "blocked", "401 Unauthorized (login required)"),
        (400, "error", "400 Bad Request"),
    ],
)
def test_final_status_classification(mockweb: World, code: int, status: str, detail: str) -> None:
    mockweb.route(f"{A}/x", code)
    verdict = one(mockweb, f"{A}/x")
    assert (verdict.status, verdict.http_status, verdict.detail) == (status, code, detail)


def test_accept_codes_count_as_ok(mockweb: World) -> None:
    mockweb.route(f"{A}/x", 403)
    verdict = one(mockweb, f"{A}/x", config=make_config(check_accept=(403,)))
    assert verdict.status == "ok" and "accepted" in verdict.detail


def test_cloudflare_challenge_is_blocked(mockweb: World) -> None:
    mockweb.route(f"{A}/x", lambda r: httpx.Response(
        403, headers={"cf-mitigated": "challenge"}, text="<title>Just a moment...</title>"))
    verdict = one(mockweb, f"{A}/x")
    assert verdict.status == "blocked"
    assert verdict.detail == "403 with cf-mitigated: challenge (bot check)"


def test_challenge_page_body_is_blocked_and_not_retried(
    mockweb: World, sleeps: list[float]
) -> None:
    mockweb.route(f"{A}/x", lambda r: httpx.Response(
        503, text="<html><script src='/cdn-cgi/challenge-platform/x.js'></script>"))
    verdict = one(mockweb, f"{A}/x")
    assert verdict.status == "blocked" and "bot check" in verdict.detail
    assert mockweb.count(f"{A}/x", "GET") == 1


@pytest.mark.parametrize("code", [405, 501, 403, 400, 404])
def test_head_refused_falls_back_to_get(mockweb: World, code: int) -> None:
    mockweb.route(f"{A}/x", lambda r: httpx.Response(code if r.method == "HEAD" else 200))
    verdict = one(mockweb, f"{A}/x")
    assert (verdict.status, verdict.via) == ("ok", "get")
    assert [h.method for h in mockweb.hits] == ["HEAD", "GET"]


def test_host_refusing_head_gets_get_first_afterwards(mockweb: World) -> None:
    mockweb.route(f"{A}/*", lambda r: httpx.Response(405 if r.method == "HEAD" else 200))
    urls = [f"{A}/{i}" for i in range(4)]
    run_probe(mockweb, urls, config=make_config(http_host_concurrency=1))
    assert [h.method for h in mockweb.hits] == ["HEAD", "GET", "GET", "GET", "GET"]


def test_a_host_with_requests_queued_is_asked_with_get_first(mockweb: World) -> None:
    b = "https://b.example"
    mockweb.route(f"{A}/*", lambda r: httpx.Response(404 if r.url.path == "/dead" else 200))
    mockweb.route(f"{b}/dead", 404)
    urls = [f"{A}/{i}" for i in range(5)] + [f"{A}/dead", f"{b}/dead"]
    # One request at a time, 10 ms apart: the links after the first two wait their turn.
    verdicts = run_probe(mockweb, urls, config=make_config(http_host_concurrency=1,
                                                          http_host_interval=0.01))

    def methods(url: str) -> list[str]:
        return [h.method for h in mockweb.hits if h.url == url]

    assert verdicts[f"{A}/dead"].status == verdicts[f"{b}/dead"].status == "broken"
    assert methods(f"{A}/0") == ["HEAD"]  # nothing queued yet on a.example
    assert methods(f"{A}/dead") == ["GET"]  # behind a queue: one request, not two
    assert methods(f"{b}/dead") == ["HEAD", "GET"]  # alone on its host: HEAD, confirmed


def test_get_reads_only_a_prefix_of_a_huge_body(mockweb: World) -> None:
    sent = 0

    class Endless(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[override]
            nonlocal sent
            chunk = b"x" * 16384
            for _ in range(50 * 1024 * 1024 // len(chunk)):
                sent += len(chunk)
                yield chunk

    mockweb.route(f"{A}/big", lambda r: httpx.Response(
        405 if r.method == "HEAD" else 200, stream=Endless()))
    verdict = one(mockweb, f"{A}/big")
    assert verdict.status == "ok"
    assert sent <= BODY_PREFIX + DRAIN_LIMIT + 2 * 16384


def test_permanent_redirect_chain(mockweb: World) -> None:
    mockweb.route(f"{A}/old", 301, location="/mid")
    mockweb.route(f"{A}/mid", 308, location="https://b.example/new")
    mockweb.route("https://b.example/new", 200)
    verdict = one(mockweb, f"{A}/old")
    assert verdict.status == "redirect" and verdict.permanent
    assert verdict.final_url == "https://b.example/new"
    assert verdict.detail == "moved permanently to https://b.example/new"
    assert [(h.url, h.http_status) for h in verdict.chain] == [
        (f"{A}/old", 301), (f"{A}/mid", 308)]
    assert verdict.chain[0].location == f"{A}/mid"  # relative Location resolved


@pytest.mark.parametrize("temporary", [302, 303, 307])
def test_temporary_hop_makes_the_chain_not_permanent(mockweb: World, temporary: int) -> None:
    mockweb.route(f"{A}/old", 301, location=f"{A}/mid")
    mockweb.route(f"{A}/mid", temporary, location=f"{A}/new")
    mockweb.route(f"{A}/new", 200)
    verdict = one(mockweb, f"{A}/old")
    assert verdict.status == "redirect" and not verdict.permanent
    assert verdict.detail == f"redirects (301, {temporary}) to {A}/new"


def test_redirect_to_a_dead_page_is_broken_with_final_url(mockweb: World) -> None:
    mockweb.route(f"{A}/old", 301, location=f"{A}/gone")
    mockweb.route(f"{A}/gone", 410)
    verdict = one(mockweb, f"{A}/old")
    assert verdict.status == "broken" and verdict.final_url == f"{A}/gone"
    assert verdict.detail == f"410 Gone (after redirect to {A}/gone)"


def test_redirect_loop_is_an_error(mockweb: World) -> None:
    mockweb.route(f"{A}/a", 302, location=f"{A}/b")
    mockweb.route(f"{A}/b", 302, location=f"{A}/a")
    verdict = one(mockweb, f"{A}/a")
    assert verdict.status == "error" and "redirect loop" in verdict.detail
    assert len(verdict.chain) == 2


def test_too_many_redirects_is_an_error(mockweb: World) -> None:
    mockweb.route(f"{A}/*", lambda r: httpx.Response(
        301, headers={"location": f"/{int(r.url.path[1:]) + 1}"}))
    verdict = one(mockweb, f"{A}/0", config=make_config(http_max_redirects=3))
    assert verdict.status == "error" and verdict.detail == "more than 3 redirects"
    assert len(mockweb.hits) == 4


def test_redirect_into_a_private_network_is_not_followed(mockweb: World) -> None:
    mockweb.route(f"{A}/x", 302, location="http://127.0.0.1/admin")
    verdict = one(mockweb, f"{A}/x")
    assert verdict.status == "skipped" and "loopback address" in verdict.detail
    assert mockweb.count("http://127.0.0.1/admin") == 0


def test_503_once_then_200_is_retried(mockweb: World, sleeps: list[float]) -> None:
    answers = iter([503, 200])
    mockweb.route(f"{A}/x", lambda r: httpx.Response(next(answers)))
    verdict = one(mockweb, f"{A}/x")
    assert verdict.status == "ok" and len(mockweb.hits) == 2
    assert len(sleeps) == 1 and 0.0 <= sleeps[0] <= 1.0  # first backoff, full jitter


def test_persistent_500_is_an_error_after_retries(mockweb: World, sleeps: list[float]) -> None:
    mockweb.route(f"{A}/x", 502)
    verdict = one(mockweb, f"{A}/x", config=make_config(check_retries=3))
    assert verdict.status == "error" and verdict.detail == "502 Bad Gateway (4 attempts)"
    assert [h.method for h in mockweb.hits] == ["HEAD"] + ["GET"] * 4
    # a pause after each, under a growing ceiling (HEAD's pause, then 1, 2, 4 s)
    assert len(sleeps) == 4 and all(0 <= s <= c for s, c in zip(sleeps, (1, 1, 2, 4), strict=True))


def test_retry_after_seconds_is_honoured(mockweb: World, sleeps: list[float]) -> None:
    answers = iter([httpx.Response(429, headers={"retry-after": "7"}), httpx.Response(200)])
    mockweb.route(f"{A}/x", lambda r: next(answers))
    verdict = one(mockweb, f"{A}/x")
    assert verdict.status == "ok"
    assert len(sleeps) == 1 and 6.5 < sleeps[0] <= 7.0


def test_retry_after_date_is_honoured(mockweb: World, sleeps: list[float]) -> None:
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    answers = iter([httpx.Response(503, headers={"retry-after": when}), httpx.Response(200)])
    mockweb.route(f"{A}/x", lambda r: next(answers))
    assert one(mockweb, f"{A}/x").status == "ok"
    assert len(sleeps) == 1 and 25 < sleeps[0] <= 30


def test_retry_after_over_the_cap_gives_up(mockweb: World, sleeps: list[float]) -> None:
    mockweb.route(f"{A}/x", 429, **{"retry-after": "7200"})
    verdict = one(mockweb, f"{A}/x", config=make_config(check_retry_after_max=60))
    assert verdict.status == "blocked"
    assert verdict.detail == (
        "429 Too Many Requests: Retry-After 7200 s exceeds retry_after_max 60 s")
    assert len(mockweb.hits) == 1 and sleeps == []


def test_retry_after_holds_back_the_whole_host(mockweb: World, sleeps: list[float]) -> None:
    first = True

    def answer(request: httpx.Request) -> httpx.Response:
        nonlocal first
        if first:
            first = False
            return httpx.Response(429, headers={"retry-after": "5"})
        return httpx.Response(200)

    mockweb.route(f"{A}/*", answer)
    urls = [f"{A}/{i}" for i in range(3)]
    verdicts = run_probe(mockweb, urls, config=make_config(http_host_concurrency=1))
    assert all(v.status == "ok" for v in verdicts.values())
    # Each request waits out the 5 s the 429 asked for, and no more: a Retry-After says
    # how long, so the host is not slowed down on top of it.
    assert len(sleeps) >= 1 and all(4 < s <= 5 for s in sleeps), sleeps


def test_timeouts_are_retried_then_reported(mockweb: World, sleeps: list[float]) -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    mockweb.route(f"{A}/slow", hang)
    verdict = one(mockweb, f"{A}/slow")
    assert verdict.status == "timeout"
    assert verdict.detail == "timed out waiting for an answer after 1 s (3 attempts)"
    assert len(mockweb.hits) == 3 and len(sleeps) == 2


def test_connection_refused_is_broken_after_retries(mockweb: World, sleeps: list[float]) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    mockweb.route(f"{A}/x", refuse)
    verdict = one(mockweb, f"{A}/x")
    assert verdict.status == "broken" and verdict.detail == "connection refused (3 attempts)"


def test_reset_connection_is_an_error(mockweb: World, sleeps: list[float]) -> None:
    def reset(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)

    mockweb.route(f"{A}/x", reset)
    verdict = one(mockweb, f"{A}/x")
    assert verdict.status == "error" and "connection reset" in verdict.detail


def test_tls_failure_is_an_error_and_not_retried(mockweb: World, sleeps: list[float]) -> None:
    def bad_cert(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed",
                                 request=request)

    mockweb.route(f"{A}/*", bad_cert)
    verdicts = run_probe(mockweb, [f"{A}/1", f"{A}/2"], config=make_config(
        http_host_concurrency=1))
    # Each link gets its own verdict from its own handshake, tried once (a TLS failure
    # costs the host nothing to repeat, and retrying cannot fix it).
    for url in (f"{A}/1", f"{A}/2"):
        assert verdicts[url].status == "error" and "TLS error" in verdicts[url].detail
        assert verdicts[url].via != "host-backoff"
    assert len(mockweb.hits) == 2 and sleeps == []


def test_a_failing_host_is_backed_off_as_a_whole(mockweb: World, sleeps: list[float]) -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    mockweb.route(f"{A}/*", hang)
    mockweb.route("https://b.example/ok", 200)
    urls = [f"{A}/{i}" for i in range(20)] + ["https://b.example/ok"]
    verdicts = run_probe(mockweb, urls, config=make_config(http_host_concurrency=2))
    assert verdicts["https://b.example/ok"].status == "ok"
    dead = [verdicts[u] for u in urls[:20]]
    backed_off = [v for v in dead if v.via == "host-backoff"]
    assert all(v.status == "timeout" for v in dead if v.via != "host-backoff")
    # links never requested get no failing verdict (they are not checked this run)
    assert len(backed_off) >= 15 and all(v.status == "skipped" for v in backed_off)
    assert "not checked: a.example failed" in backed_off[0].detail
    assert mockweb.count_host if False else True
    assert sum(1 for h in mockweb.hits if h.host == "a.example") <= 8  # not 20 x 3


def test_name_that_does_not_resolve_without_proxy(mockweb: World) -> None:
    from listwatch.probe.addresses import Unresolvable

    async def nxdomain(host: str) -> list[str]:
        raise Unresolvable("[Errno -2] Name or service not known")

    verdict = one(mockweb, "https://nope.invalid/x", resolve=nxdomain)
    assert verdict.status == "broken"
    assert verdict.detail == "name does not resolve ([Errno -2] Name or service not known)"
    assert mockweb.hits == []


def test_a_proxy_502_is_not_called_a_name_that_does_not_resolve(mockweb: World) -> None:
    def proxy_refuses(request: httpx.Request) -> httpx.Response:
        raise httpx.ProxyError("502 Bad Gateway", request=request)

    mockweb.route("https://nope.example/*", proxy_refuses)
    verdicts = run_probe(mockweb, ["https://nope.example/1", "https://nope.example/2"],
                         config=make_config(http_host_concurrency=1), proxy=True)
    for verdict in verdicts.values():  # each link gets its own answer
        assert verdict.status == "error"
        assert verdict.detail == "the proxy could not reach the host (proxy: 502)"
    assert len(mockweb.hits) == 2


def test_proxy_502_page_for_http_names(mockweb: World) -> None:
    mockweb.route("http://nope.example/*", lambda r: httpx.Response(
        502, text="Error: [Errno -2] Name or service not known"))
    verdict = one(mockweb, "http://nope.example/x", proxy=True)
    assert verdict.status == "broken" and verdict.detail == "name does not resolve (proxy: 502)"


def test_duplicates_and_fragments_are_requested_once(mockweb: World) -> None:
    mockweb.route(f"{A}/x", 200)
    urls = [f"{A}/x", f"{A}/x", f"{A}/x#one", f"{A}/x#two"]
    verdicts = run_probe(mockweb, urls)
    assert list(verdicts) == [f"{A}/x", f"{A}/x#one", f"{A}/x#two"]
    assert verdicts[f"{A}/x#two"].url == f"{A}/x#two"
    assert len(mockweb.hits) == 1


def test_per_host_concurrency_and_global_limit(mockweb: World) -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.02)
        return httpx.Response(200)

    hosts = [f"https://h{i}.example" for i in range(6)]
    for host in hosts:
        mockweb.route(f"{host}/*", slow)
    urls = [f"{host}/{n}" for host in hosts for n in range(10)]
    verdicts = run_probe(mockweb, urls, config=make_config(
        http_host_concurrency=2, http_max_concurrency=5))
    assert all(v.status == "ok" for v in verdicts.values())
    assert max(mockweb.peak.values()) == 2
    assert mockweb.total_peak == 5


def test_spacing_between_request_starts_to_one_host(mockweb: World, monkeypatch) -> None:
    """Every probe takes its turn from the shared limiter, per host: starts to one host
    are an interval apart, and the two hosts interleave instead of queueing."""
    granted: list[tuple[str, float]] = []
    wait_turn = HostLimiter.wait_turn

    async def recorded(self: HostLimiter, state: HostState) -> None:
        await wait_turn(self, state)
        granted.append((state.name, asyncio.get_running_loop().time()))

    monkeypatch.setattr(HostLimiter, "wait_turn", recorded)
    mockweb.route(f"{A}/*", 200)
    mockweb.route("https://b.example/*", 200)
    urls = [f"{A}/{n}" for n in range(5)] + [f"https://b.example/{n}" for n in range(5)]
    run_probe(mockweb, urls, config=make_config(http_host_interval=0.05))
    assert len(granted) == len(mockweb.hits) == 10
    for host in ("a.example", "b.example"):
        starts = [at for name, at in granted if name == host]
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        assert min(gaps) >= 0.05, gaps
    order = [name for name, _ in sorted(granted, key=lambda item: item[1])]
    assert order.index("b.example") < len(order) - order[::-1].index("a.example") - 1


def test_on_result_sees_every_verdict(mockweb: World) -> None:
    mockweb.route(f"{A}/x", 200)
    seen: list[Verdict] = []
    config = make_config()

    async def main() -> dict[str, Verdict]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(mockweb)) as client:
            return await probe_urls(
                [f"{A}/x", "mailto:me@example.org", f"{A}/x"], config=config,
                network=Network.for_run(config, client),
                context=ProbeContext(now=T0, proxy=False), on_result=seen.append)

    result = asyncio.run(main())
    assert sorted(v.url for v in seen) == sorted(result)


def test_server_text_is_sanitised_in_details(mockweb: World) -> None:
    mockweb.route(f"{A}/x", 302, location="/\x1b[31mred")
    verdict = one(mockweb, f"{A}/x")
    assert verdict.status == "error" and "invalid Location" in verdict.detail
    assert "\x1b" not in verdict.detail and len(mockweb.hits) == 1


def test_malformed_urls_get_verdicts_not_crashes(mockweb: World) -> None:
    mockweb.route(f"{A}/ok", 200)
    urls = ["https://exa mple.com/", "https://[::1", "https://example.com:99999/", "http://",
            f"{A}/ok"]
    verdicts = run_probe(mockweb, urls)
    assert [verdicts[u].status for u in urls] == ["error", "error", "error", "skipped", "ok"]
    assert verdicts["https://[::1"].detail.startswith("not a valid URL")


def test_an_unexpected_failure_is_one_error_verdict(mockweb: World) -> None:
    def explode(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("bug in a transport")

    mockweb.route(f"{A}/boom", explode)
    mockweb.route(f"{A}/ok", 200)
    verdicts = run_probe(mockweb, [f"{A}/boom", f"{A}/ok"])
    assert verdicts[f"{A}/boom"].status == "error"
    assert verdicts[f"{A}/boom"].detail == "could not check: RuntimeError: bug in a transport"
    assert verdicts[f"{A}/ok"].status == "ok"


def test_a_run_slot_is_not_held_while_a_request_waits_for_its_host(mockweb: World) -> None:
    """With one slot for the run, the second request to a host waits for its host's
    turn without the slot: the other hosts' requests go meanwhile."""
    others = [f"https://b{n}.example/x" for n in range(4)]
    for url in [f"{A}/*", *others]:
        mockweb.route(url, 200)
    urls = [f"{A}/1", f"{A}/2", *others]
    run_probe(mockweb, urls, config=make_config(http_host_interval=0.3,
                                                http_max_concurrency=1))
    order = [h.url for h in mockweb.hits]
    assert order.index(f"{A}/2") == len(order) - 1, order


def test_turns_that_waited_for_slots_together_still_start_an_interval_apart(
        mockweb: World) -> None:
    """Two requests to one host whose turns came while the run's slots were busy get
    slots at the same moment; they still start the host's interval apart."""
    held = asyncio.Event()
    arrived = 0

    async def blocking(request: httpx.Request) -> httpx.Response:
        nonlocal arrived
        arrived += 1
        if arrived == 2:
            held.set()
        await held.wait()
        await asyncio.sleep(0.2)  # both slots come free together, after A's turns
        return httpx.Response(200)

    mockweb.route("https://b.example/*", blocking)
    mockweb.route("https://c.example/*", blocking)
    mockweb.route(f"{A}/*", 200)
    urls = ["https://b.example/1", "https://c.example/1", f"{A}/1", f"{A}/2", f"{A}/3"]
    run_probe(mockweb, urls, config=make_config(http_host_interval=0.05,
                                                http_max_concurrency=2))
    starts = [h.start for h in mockweb.hits if h.host == "a.example"]
    assert len(starts) == 3
    assert all(b - a >= 0.05 for a, b in itertools.pairwise(starts)), starts


def test_links_in_progress_stay_within_the_window(mockweb: World, monkeypatch) -> None:
    """URLs wait as plain strings; at most the window's worth are being judged at once."""
    monkeypatch.setattr(engine, "MIN_WINDOW", 3)
    monkeypatch.setattr(engine, "WINDOW_PER_REQUEST", 1)
    in_progress: list[int] = [0]
    most: list[int] = [0]
    judge = engine.Engine.judge

    async def counted(self: engine.Engine, url: str) -> Verdict:
        in_progress[0] += 1
        most[0] = max(most[0], in_progress[0])
        try:
            return await judge(self, url)
        finally:
            in_progress[0] -= 1

    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.001)
        return httpx.Response(200)

    monkeypatch.setattr(engine.Engine, "judge", counted)
    hosts = [f"https://h{i}.example" for i in range(4)]
    for host in hosts:
        mockweb.route(f"{host}/*", slow)
    urls = [f"{host}/{n}" for host in hosts for n in range(8)]
    verdicts = run_probe(mockweb, urls, config=make_config(http_max_concurrency=2))
    assert [v.status for v in verdicts.values()] == ["ok"] * len(urls)
    assert most[0] == 3
    assert len(mockweb.hits) == len(urls)


CODE = [f"https://github.com/alice/tool{n}" for n in range(6)]
ACM = [f"https://dl.acm.org/doi/10.1145/{3600000 + n}" for n in range(6)]


def _repo_facts() -> dict[str, RepoFacts]:
    return {f"alice/tool{n}": RepoFacts(requested=f"alice/tool{n}", exists=True,
                                        name_with_owner=f"alice/tool{n}") for n in range(6)}


def _doi_facts() -> dict[str, DoiFacts]:
    return {f"10.1145/{3600000 + n}": DoiFacts(doi=f"10.1145/{3600000 + n}") for n in range(6)}


@pytest.mark.parametrize(("links", "kind", "facts", "via"), [
    (CODE, "repos", _repo_facts, "github-api"),  # GitHub's facts
    (ACM, "dois", _doi_facts, "crossref"),  # Crossref's, for links that carry a DOI
])
def test_links_awaiting_facts_do_not_hold_the_window(mockweb: World, monkeypatch,
                                                     links: list[str], kind: str,
                                                     facts: Any, via: str) -> None:
    """Links whose facts are still on their way take no place in the window: here the
    facts arrive only once every web link is judged, which a window full of such links
    would never let happen."""
    monkeypatch.setattr(engine, "MIN_WINDOW", 2)
    monkeypatch.setattr(engine, "WINDOW_PER_REQUEST", 1)
    mockweb.route(f"{A}/*", 200)
    web = [f"{A}/{n}" for n in range(5)]
    config = make_config(http_max_concurrency=1)

    async def main() -> dict[str, Verdict]:
        web_done = asyncio.Event()
        judged: set[str] = set()

        def seen(verdict: Verdict) -> None:
            judged.add(verdict.url)
            if judged >= set(web):
                web_done.set()

        async def late() -> Any:
            await web_done.wait()
            return facts()

        async def nothing() -> Any:
            return {}

        async def papers() -> tuple[dict[str, PaperFacts], frozenset[str]]:
            return {}, frozenset()

        arriving = Arriving(repos=late if kind == "repos" else nothing, papers=papers,
                            dois=late if kind == "dois" else nothing)
        context = ProbeContext(now=T0, proxy=False, resolve=_public, arriving=arriving)
        async with httpx.AsyncClient(transport=httpx.MockTransport(mockweb)) as client:
            return await asyncio.wait_for(probe_urls(
                links + web, config=config, network=Network.for_run(config, client),
                context=context, on_result=seen), timeout=30)

    verdicts = asyncio.run(main())
    assert list(verdicts) == links + web
    assert {v.via for url, v in verdicts.items() if url in links} == {via}
    assert {v.status for v in verdicts.values()} == {"ok"}


def test_in_turn_takes_one_url_per_host_in_turn() -> None:
    urls = [f"{A}/1", f"{A}/2", f"{A}/3", "https://b.example/1", "mailto:x@y.org",
            "https://B.example/2", "http://[::1/x"]
    assert list(engine.in_turn(urls)) == [
        f"{A}/1", "https://b.example/1", "mailto:x@y.org",
        f"{A}/2", "https://B.example/2", "http://[::1/x",
        f"{A}/3"]


def test_shared_work_runs_once_and_keeps_only_its_result() -> None:
    started: list[str] = []

    async def work(key: str) -> str:
        started.append(key)
        await asyncio.sleep(0)
        return key.upper()

    async def main() -> tuple[list[str], str, dict[str, engine.Shared[str]]]:
        shared: dict[str, engine.Shared[str]] = {}
        together = await asyncio.gather(*(engine.once(shared, "a", lambda: work("a"))
                                          for _ in range(3)))
        later = await engine.once(shared, "a", lambda: work("again"))
        return together, later, shared

    together, later, shared = asyncio.run(main())
    assert together == ["A", "A", "A"] and later == "A"
    assert started == ["a"]
    assert shared == {"a": ("A",)}
