"""Refuse links that point into private networks (a list must not probe our own network).

Literal IPs are checked directly. Names are resolved with ``getaddrinfo`` only
when no proxy is configured: through a proxy, DNS is the proxy's business.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Sequence

from listwatch.model import Status
from listwatch.probe.context import Resolver

_LOCAL_NAMES = ("localhost", "localhost.localdomain")


class Unresolvable(Exception):
    """The host name does not resolve."""


def private_reason(address: str) -> str | None:
    """Why the IP ``address`` is not public, or None."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for flag, name in (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_private", "private"),
        ("is_multicast", "multicast"),
        ("is_reserved", "reserved"),
    ):
        if getattr(ip, flag):
            return f"{name} address {ip}"
    return None


async def _getaddrinfo(host: str) -> Sequence[str]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unresolvable(str(exc)) from None
    return [str(info[4][0]) for info in infos]


class AddressGuard:
    """Decides, once per host, whether a host may be probed."""

    def __init__(self, *, allow_private: bool, proxy: bool, resolve: Resolver | None) -> None:
        self.allow_private = allow_private
        self.proxy = proxy
        self.resolve = resolve or _getaddrinfo
        self._verdicts: dict[str, asyncio.Task[tuple[Status, str] | None]] = {}

    async def refusal(self, host: str) -> tuple[Status, str] | None:
        """``("skipped"|"broken", detail)`` when ``host`` must not be probed, else None."""
        host = host.lower().strip("[]").rstrip(".")
        task = self._verdicts.get(host)
        if task is None:
            task = asyncio.ensure_future(self._decide(host))
            self._verdicts[host] = task
        return await asyncio.shield(task)

    async def _decide(self, host: str) -> tuple[Status, str] | None:
        host = legacy_ipv4(host) or host
        literal = _is_ip(host)
        if not self.allow_private:
            if host in _LOCAL_NAMES or host.endswith(".localhost"):
                return ("skipped", f"{host} is a loopback name {_HINT}")
            if literal:
                reason = private_reason(host)
                return ("skipped", f"{reason} {_HINT}") if reason else None
        if literal or self.proxy:
            return None
        try:
            addresses = await self.resolve(host)
        except Unresolvable as exc:
            return ("broken", f"name does not resolve ({_short(str(exc))})")
        if not addresses:
            return ("broken", "name does not resolve (no addresses)")
        if not self.allow_private:
            for address in addresses:
                reason = private_reason(address)
                if reason:
                    return ("skipped", f"{host} resolves to a {reason} {_HINT}")
        return None


_HINT = "(set [check] private_addresses = true to check it)"


_LEGACY_IPV4 = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}")


def legacy_ipv4(host: str) -> str | None:
    """The dotted address of an IPv4 host in a legacy form (``2130706433``,
    ``0x7f000001``, ``127.1``, ``0177.0.0.1``), which resolvers and proxies accept;
    None for anything else (dotted-decimal addresses included)."""
    if not _LEGACY_IPV4.fullmatch(host.lower()) or _is_ip(host):
        return None
    try:
        return socket.inet_ntoa(socket.inet_aton(host))
    except OSError:
        return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _short(text: str) -> str:
    return text[:120]
