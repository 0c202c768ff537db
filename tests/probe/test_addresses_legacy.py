"""IPv4 written the old ways (as resolvers and proxies still read it) is an address."""

from __future__ import annotations

import asyncio

import pytest

from listwatch.probe.addresses import AddressGuard, legacy_ipv4


@pytest.mark.parametrize(("host", "address"), [
    ("2130706433", "127.0.0.1"), ("0x7f000001", "127.0.0.1"), ("127.1", "127.0.0.1"),
    ("0177.0.0.1", "127.0.0.1"), ("3232235777", "192.168.1.1"), ("10.1", "10.0.0.1"),
    ("127.0.0.1", None), ("example.org", None), ("1e3", None), ("0x", None),
    ("123.example", None),
])
def test_legacy_forms(host: str, address: str | None) -> None:
    assert legacy_ipv4(host) == address


def test_the_guard_refuses_them_even_through_a_proxy() -> None:
    guard = AddressGuard(allow_private=False, proxy=True, resolve=None)
    refusal = asyncio.run(guard.refusal("2130706433"))
    assert refusal is not None and refusal[0] == "skipped" and "127.0.0.1" in refusal[1]
    assert asyncio.run(guard.refusal("0x08080808")) is None  # 8.8.8.8 is public
