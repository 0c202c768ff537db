"""A run in which most hosts fail the same way is a network problem (issue 12, item 7)."""

from __future__ import annotations

from listwatch.model import Verdict
from listwatch.probe.outage import MIN_HOSTS, network_outage

NXDOMAIN = "name does not resolve ([Errno -3] Temporary failure in name resolution)"


def offline(count: int, detail: str = NXDOMAIN, via: str = "address") -> list[Verdict]:
    return [Verdict(f"https://h{i}.example/p", "broken", via=via, detail=detail)
            for i in range(count)]


def test_offline_without_a_proxy_is_an_outage() -> None:
    line = network_outage(offline(10))
    assert line is not None and line.startswith(
        "10 of 10 hosts failed the same way (names do not resolve; e.g. h0.example: name "
        "does not resolve")
    assert "not recorded" in line


def test_a_proxy_that_reaches_no_host_is_an_outage() -> None:
    verdicts = offline(5, "the proxy could not reach the host (proxy: 502)", via="get")
    verdicts.append(Verdict("https://up.example/", "ok", http_status=200, via="head"))
    assert "5 of 6 hosts" in (network_outage(verdicts) or "")


def test_a_few_dead_hosts_among_live_ones_are_links() -> None:
    live = [Verdict(f"https://ok{i}.example/", "ok", http_status=200, via="head")
            for i in range(6)]
    assert network_outage([*offline(5), *live]) is None
    # Hosts that answered at all (a 404 is an answer) are never part of an outage.
    gone = [Verdict(f"https://g{i}.example/", "broken", http_status=404, via="get",
                    detail="404 Not Found") for i in range(10)]
    assert network_outage(gone) is None


def test_hanging_servers_are_not_an_outage() -> None:
    # Hostile or dying servers hang and reset; that is what their links are, not the net.
    hanging = [Verdict(f"https://t{i}.example/", "timeout", via="head",
                       detail="timed out waiting for an answer after 20 s") for i in range(8)]
    assert network_outage(hanging) is None


def test_failures_of_different_kinds_or_too_few_hosts_are_not_an_outage() -> None:
    assert network_outage(offline(MIN_HOSTS - 1)) is None
    mixed = [*offline(3), *[Verdict(f"https://t{i}.example/", "broken", via="head",
                                    detail="connection refused") for i in range(3)]]
    assert network_outage(mixed) is None
    # Verifier and cache verdicts say nothing about the network.
    assert network_outage(offline(10, via="github-api")) is None
