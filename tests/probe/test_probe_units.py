"""Pure parts of the probe: Retry-After, filters, addresses, classification, redirects."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from listwatch.config import CheckConfig
from listwatch.model import Hop
from listwatch.net import parse_retry_after
from listwatch.probe.addresses import AddressGuard, Unresolvable, private_reason
from listwatch.probe.classify import challenge, classify_exception, reason
from listwatch.probe.filters import is_relative, skip_reason
from listwatch.probe.redirects import describe, is_permanent, resolve_location

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 5 ", 5.0),
        ("1.5", 1.5),
        ("-3", 0.0),
        (format_datetime(NOW + timedelta(seconds=90), usegmt=True), 90.0),
        (format_datetime(NOW - timedelta(hours=1), usegmt=True), 0.0),
        ("soon", None),
        ("", None),
        (None, None),
        ("nan", None),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, NOW) == seconds


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("mailto:me@example.org", "not an http(s) link (mailto:)"),
        ("ftp://ftp.example.org/x", "not an http(s) link (ftp:)"),
        ("javascript:alert(1)", "not an http(s) link (javascript:)"),
        ("https://ads.example.com/x", "excluded by [check] exclude 'ads\\\\.'"),
        ("https://example.com/x", None),
        ("docs/setup.md", None),
    ],
)
def test_skip_reason(url: str, why: str | None) -> None:
    assert skip_reason(url, CheckConfig(exclude=(r"ads\.",))) == why


def test_include_is_an_allow_list() -> None:
    check = CheckConfig(include=(r"^https://github\.com/",), exclude=(r"/private-",))
    assert skip_reason("https://github.com/a/b", check) is None
    assert skip_reason("https://example.com/", check) == "not matched by [check] include"
    assert skip_reason("https://github.com/a/private-x", check).startswith("excluded")


def test_is_relative() -> None:
    assert is_relative("docs/a.md#x") and is_relative("../x") and is_relative("#top")
    assert not is_relative("https://x") and not is_relative("//cdn.example/x")


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("192.168.0.1", "private"),
        ("169.254.169.254", "link-local"), ("::1", "loopback"), ("fe80::1", "link-local"),
        ("::ffff:10.0.0.1", "private"), ("0.0.0.0", "unspecified"), ("fc00::1", "private"),
        ("93.184.216.34", None), ("2606:4700::1", None), ("example.com", None),
    ],
)
def test_private_reason(address: str, kind: str | None) -> None:
    found = private_reason(address)
    assert (found.split(" address")[0] if found else None) == kind


def _guard(*, allow: bool = False, proxy: bool = False,
           addresses: dict[str, list[str]] | None = None) -> tuple[AddressGuard, list[str]]:
    asked: list[str] = []

    async def resolve(host: str) -> list[str]:
        asked.append(host)
        if addresses is None or host not in addresses:
            raise Unresolvable("Name or service not known")
        return addresses[host]

    return AddressGuard(allow_private=allow, proxy=proxy, resolve=resolve), asked


def test_guard_refuses_private_literals_and_names() -> None:
    guard, asked = _guard(addresses={"intranet.example": ["10.0.0.8"],
                                     "public.example": ["93.184.216.34"]})

    async def main() -> list[object]:
        return [await guard.refusal(h) for h in (
            "127.0.0.1", "[::1]", "localhost", "intranet.example", "public.example",
            "public.example", "nx.example")]

    local, v6, name, intranet, public, again, nx = asyncio.run(main())
    assert local[0] == "skipped" and "loopback address 127.0.0.1" in local[1]
    assert "private_addresses = true" in local[1]
    assert v6[0] == "skipped" and name[0] == "skipped"
    assert intranet == ("skipped", "intranet.example resolves to a private address 10.0.0.8 "
                                   "(set [check] private_addresses = true to check it)")
    assert public is None and again is None
    assert nx == ("broken", "name does not resolve (Name or service not known)")
    assert asked.count("public.example") == 1  # resolved once per host


def test_guard_through_a_proxy_does_no_dns_but_still_refuses_literals() -> None:
    guard, asked = _guard(proxy=True)

    async def main() -> list[object]:
        return [await guard.refusal(h) for h in ("10.0.0.1", "anything.example")]

    literal, name = asyncio.run(main())
    assert literal[0] == "skipped" and name is None and asked == []


def test_guard_allows_private_when_configured() -> None:
    guard, _ = _guard(allow=True, addresses={"intranet.example": ["10.0.0.8"]})

    async def main() -> list[object]:
        return [await guard.refusal(h) for h in ("127.0.0.1", "intranet.example")]

    assert asyncio.run(main()) == [None, None]


def test_reason_phrases() -> None:
    assert reason(404) == "404 Not Found" and reason(999) == "999"


def test_challenge_signs() -> None:
    assert challenge(200, {"cf-mitigated": "challenge"}, b"") == "cf-mitigated: challenge"
    assert challenge(202, {"x-amzn-waf-action": "captcha"}, b"") is not None
    assert challenge(403, {}, b"<div class='g-recaptcha'>") is not None
    assert challenge(200, {}, b"we use captcha-delivery.com") is None  # only error pages
    assert challenge(404, {}, b"<h1>Not here</h1>") is None


def test_exception_classification() -> None:
    request = httpx.Request("GET", "https://x.example/")
    timeout = classify_exception(httpx.ConnectTimeout("t", request=request), 5)
    assert (timeout.status, timeout.detail) == ("timeout", "timed out connecting after 5 s")
    dns = classify_exception(httpx.ConnectError("[Errno -2] Name or service not known"))
    assert (dns.status, dns.kind, dns.retry) == ("broken", "dns", False)
    # A bare 502 to CONNECT says the proxy could not get through, not that the name is
    # unknown (was: "name does not resolve"); a proxy that says why is believed.
    proxy = classify_exception(httpx.ProxyError("502 Bad Gateway"))
    assert (proxy.status, proxy.detail) == ("error", "the proxy could not reach the host "
                                                     "(proxy: 502)")
    named = classify_exception(httpx.ProxyError("502 could not resolve host"))
    assert (named.status, named.detail) == ("broken", "name does not resolve (proxy: 502)")
    control = classify_exception(httpx.ReadError("reset \x1b[2J by peer"))
    assert "\x1b" not in control.detail


def test_resolve_location() -> None:
    assert resolve_location("https://a.example/x/y", "../z") == "https://a.example/z"
    assert resolve_location("https://a.example/x", "//b.example/") == "https://b.example/"
    assert resolve_location("https://a.example/x#frag", "/y") == "https://a.example/y#frag"
    assert resolve_location("https://a.example/x", "ftp://b/") is None
    assert resolve_location("https://a.example/x", "  ") is None


def test_permanence_and_description() -> None:
    permanent = (Hop("a", 301, "b"), Hop("b", 308, "c"))
    assert is_permanent(permanent) and describe(permanent, "c") == "moved permanently to c"
    mixed = (Hop("a", 301, "b"), Hop("b", 302, "c"))
    assert not is_permanent(mixed) and describe(mixed, "c") == "redirects (301, 302) to c"
    assert not is_permanent(())
