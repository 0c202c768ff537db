"""Turn an HTTP answer or a transport failure into a verdict status and a human detail."""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus

import httpx

from listwatch.model import Status
from listwatch.text import one_line

BLOCKED_STATUSES = frozenset({401, 403, 407, 429, 451, 999})
GONE_STATUSES = frozenset({404, 410})
REDIRECT_STATUSES = frozenset({300, 301, 302, 303, 307, 308})
PERMANENT_STATUSES = frozenset({301, 308})

# Signs of a bot check in the first bytes of an error page.
_CHALLENGE_MARKERS = (
    b"cf-chl",
    b"challenge-platform",
    b"just a moment...",
    b"attention required! | cloudflare",
    b"_incapsula_resource",
    b"px-captcha",
    b"awswaf",
    b"captcha-delivery.com",
    b"datadome",
    b"g-recaptcha",
    b"hcaptcha",
)
_DNS_MARKERS = (
    "name or service not known",
    "nodename nor servname",
    "no address associated",
    "name does not resolve",
    "getaddrinfo",
    "temporary failure in name resolution",
    "dns lookup",
    "dns resolution",
    "unknown host",
    "could not resolve",
)


def clean(text: str, limit: int = 200) -> str:
    """Outside text made safe for a detail: one line, no control characters."""
    return one_line(text, limit=limit)


def reason(status: int) -> str:
    """``404 Not Found``; unknown codes get their number only."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def challenge(status: int, headers: Mapping[str, str], body: bytes) -> str | None:
    """The bot check this answer is, described, or None."""
    mitigated = headers.get("cf-mitigated", "")
    if mitigated.strip().lower() == "challenge":
        return "cf-mitigated: challenge"
    waf = headers.get("x-amzn-waf-action", "").strip().lower()
    if waf in ("challenge", "captcha"):
        return f"x-amzn-waf-action: {waf}"
    if 200 <= status < 300:
        return None
    lowered = body[:65536].lower()
    for marker in _CHALLENGE_MARKERS:
        if marker in lowered:
            return f"a bot-check page ({marker.decode()})"
    return None


def classify_answer(
    status: int, headers: Mapping[str, str], body: bytes, accept: frozenset[int]
) -> tuple[Status, str]:
    """``(status, detail)`` for a final (non-redirect) HTTP answer."""
    check = challenge(status, headers, body)
    if check:
        return "blocked", f"{status} with {check} (bot check)"
    if status in accept:
        return "ok", f"{reason(status)} (accepted by [check] accept)"
    if 200 <= status < 300:
        return "ok", ""
    if status in GONE_STATUSES:
        return "broken", reason(status)
    if status in BLOCKED_STATUSES:
        why = {
            401: "login required",
            403: "the site refuses automated clients",
            407: "proxy authentication required",
            429: "rate limited",
            451: "unavailable for legal reasons",
            999: "the site refuses automated clients",
        }[status]
        return "blocked", f"{reason(status)} ({why})"
    if 300 <= status < 400:
        return "error", f"{reason(status)} without a usable Location"
    return "error", reason(status)


@dataclass(frozen=True)
class Failure:
    """A transport failure, classified."""

    status: Status  # verdict status
    kind: str  # "timeout", "refused", "reset", "dns", "tls", "proxy", "protocol"
    detail: str
    retry: bool  # worth retrying
    host_wide: bool  # the same for every URL on the host


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def classify_exception(exc: Exception, timeout: float | None = None) -> Failure:
    """Classify an httpx transport error."""
    messages = list(dict.fromkeys(str(e).strip() for e in _causes(exc) if str(e).strip()))
    text = clean(" / ".join(messages) or type(exc).__name__)
    lowered = text.lower()
    if "location header" in lowered:
        return Failure("error", "protocol", f"redirect to an invalid Location ({text})",
                       False, False)
    if isinstance(exc, httpx.TimeoutException):
        limit = f" after {timeout:g} s" if timeout else ""
        what = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting for an answer"
        return Failure("timeout", "timeout", f"timed out {what}{limit}", True, False)
    if isinstance(exc, httpx.ProxyError):
        code = _proxy_code(text)
        if "refused" in lowered:
            return Failure("broken", "refused", f"connection refused (proxy: {code})", True, True)
        if any(m in lowered for m in _DNS_MARKERS):
            return Failure("broken", "dns", f"name does not resolve (proxy: {code})", False, True)
        # A bare "502 Bad Gateway" to CONNECT says the proxy could not get through, not why.
        return Failure("error", "proxy", f"the proxy could not reach the host (proxy: {code})",
                       False, False)
    if any(isinstance(e, ssl.SSLError) for e in _causes(exc)) or "certificate" in lowered or (
        "ssl" in lowered and "handshake" in lowered
    ):
        return Failure("error", "tls", f"TLS error: {text}", False, True)
    if isinstance(exc, httpx.ConnectError):
        if any(m in lowered for m in _DNS_MARKERS):
            return Failure("broken", "dns", f"name does not resolve ({text})", False, True)
        if "refused" in lowered:
            return Failure("broken", "refused", "connection refused", True, False)
        return Failure("error", "reset", f"cannot connect: {text}", True, False)
    if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.RemoteProtocolError):
        if "reset" in lowered or "disconnected" in lowered or isinstance(exc, httpx.ReadError):
            return Failure("error", "reset", f"connection reset by the server ({text})",
                           True, False)
        return Failure("error", "protocol", f"protocol error: {text}", True, False)
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return Failure("error", "protocol", f"bad URL: {text}", False, False)
    return Failure("error", "protocol", f"{type(exc).__name__}: {text}", True, False)


def _proxy_code(text: str) -> str:
    for word in text.split():
        if word.isdigit() and len(word) == 3:
            return word
    return "CONNECT refused"


def proxy_name_failure(status: int, body: bytes) -> str | None:
    """For an answer made by the proxy itself (e.g. 502 for a name that does not resolve)."""
    if status not in (502, 503, 504):
        return None
    lowered = body[:4096].decode("utf-8", "replace").lower()
    if any(m in lowered for m in _DNS_MARKERS):
        return f"name does not resolve (proxy: {status})"
    return None
