"""Giving a host up: per port, and never a verdict for a link that was not asked."""

from __future__ import annotations

import httpx
from mockweb import World, make_config, run_probe

from listwatch.probe.hosts import HostBook, origin_of


def test_origins_are_per_port() -> None:
    assert origin_of("https://A.example/x") == "a.example:443"
    assert origin_of("http://a.example/x") == "a.example:80"
    assert origin_of("https://a.example:8443/x") == "a.example:8443"
    book = HostBook(failure_limit=2)
    for _ in range(2):
        book.failed(origin_of("https://a.example:8443/"), "timeout", "timed out")
    assert book.state("a.example:8443").down == (
        "skipped", "not checked: a.example:8443 failed 2 times in a row (last: timed out); "
                   "checked again next run")
    assert book.state(origin_of("https://a.example/")).down is None


def test_a_port_that_keeps_failing_gives_up_no_other_port(mockweb: World,
                                                          sleeps: list[float]) -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    slow = [f"https://a.example:8443/{i}" for i in range(8)]
    for url in slow:
        mockweb.route(url, hang)
    mockweb.route("https://a.example/late", 200)
    verdicts = run_probe(mockweb, [*slow, "https://a.example/late"],
                         config=make_config(http_host_concurrency=1))
    assert any(verdicts[url].via == "host-backoff" for url in slow)
    late = verdicts["https://a.example/late"]
    assert late.status == "ok"  # asked and answered: the failing port's backoff is not its
    assert late.via in ("head", "get")  # (GET when the host's other links queue ahead)
