"""Secrets inside URLs, hidden: userinfo passwords and secret-looking query values.

A list may hold ``https://user:pass@host/…?token=…``. The list's own text is left
alone (edits never rewrite it), but every copy listwatch makes of such a URL — in
a report, a pull request body, the dashboard, an error line, the state store — is
the redacted form, and such a URL is never sent to a third party (``shareable``).

Redaction keeps every other byte of the URL as written: only the secret part of
the userinfo and the value of a secret-looking query (or fragment) parameter is
replaced with ``REDACTED``.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import unquote, urlsplit

MASK = "REDACTED"

# Query parameter names whose value is a secret (compared lower-cased, with "-" as "_").
SECRET_NAMES = frozenset({
    "token", "access_token", "refresh_token", "id_token", "auth", "auth_token",
    "authorization", "key", "api_key", "apikey", "private_key", "secret", "client_secret",
    "password", "passwd", "pwd", "pass", "sig", "signature", "x_amz_signature",
    "x_amz_credential", "x_amz_security_token", "x_goog_signature", "x_goog_credential",
    "sessionid", "session_id", "jwt", "credential", "credentials",
})
# ... and names ending like these (``github_token``, ``aws_secret``, ``sas_sig``).
SECRET_SUFFIXES = ("_token", "_secret", "_password", "_key", "_signature", "_sig")

# A URL inside free text: a scheme, "://", then up to whitespace or a delimiter.
_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"'`]+")
# scheme://userinfo@ (userinfo ends at the last "@" before the path).
_AUTHORITY = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:)?//([^/?#]*)")
# A user name that is itself a token (``https://ghp_xxx@github.com``): long or prefixed.
_TOKEN_USER = re.compile(r"^(gh[pousr]_|github_pat_|glpat-|xox[abposr]-)|^[A-Za-z0-9_\-]{24,}$")


def is_secret_name(name: str) -> bool:
    """Whether a query parameter called ``name`` carries a secret value."""
    key = unquote(name).strip().lower().replace("-", "_")
    return key in SECRET_NAMES or key.endswith(SECRET_SUFFIXES)


def _userinfo(authority: str) -> str:
    if "@" not in authority:
        return authority
    userinfo, host = authority.rsplit("@", 1)
    user, colon, _password = userinfo.partition(":")
    if colon:
        return f"{user}:{MASK}@{host}"
    if _TOKEN_USER.search(unquote(user)):
        return f"{MASK}@{host}"
    return authority


def _pairs(part: str) -> str:
    """``a=1&token=x`` with the secret values masked (separators kept as written)."""
    pieces = re.split(r"([&;])", part)
    out = []
    for piece in pieces:
        name, equals, value = piece.partition("=")
        if equals and value and is_secret_name(name):
            out.append(f"{name}={MASK}")
        else:
            out.append(piece)
    return "".join(out)


def redact_url(url: str) -> str:
    """``url`` with its secrets masked; every other byte as written."""
    text = url
    match = _AUTHORITY.match(text)
    if match and "@" in match.group(2):
        start, end = match.span(2)
        text = text[:start] + _userinfo(match.group(2)) + text[end:]
    rest_start = match.end() if match else 0
    head, rest = text[:rest_start], text[rest_start:]
    path, hash_mark, fragment = rest.partition("#")
    path, question, query = path.partition("?")
    if question:
        query = _pairs(query)
    if hash_mark and "=" in fragment:
        fragment = _pairs(fragment)
    return f"{head}{path}{question}{query}{hash_mark}{fragment}"


def has_secret(url: str) -> bool:
    """Whether ``url`` carries credentials or a secret-looking parameter."""
    return redact_url(url) != url


def redact_text(text: str) -> str:
    """Free text (a report, an error line, a PR body) with every URL in it redacted."""
    if "://" not in text:
        return text
    return _URL_IN_TEXT.sub(lambda match: _redact_found(match.group(0)), text)


def _redact_found(found: str) -> str:
    """A URL found in text, redacted; trailing punctuation and unbalanced closing
    brackets (``[1](https://…)``, ``(see https://…).``) stay outside it."""
    end = len(found)
    while end:
        char = found[end - 1]
        unbalanced = char in _CLOSERS and (
            found.count(_CLOSERS[char], 0, end) < found.count(char, 0, end))
        if char not in _TRAILING and not unbalanced:
            break
        end -= 1
    return redact_url(found[:end]) + found[end:]


_TRAILING = ".,:;!?*_~\\"
_CLOSERS = {")": "(", "]": "["}


def _private_host(host: str) -> bool:
    """A loopback, private, link-local or reserved address, or a name only a local
    network knows (``localhost``, ``*.local``, ``*.internal``, a name without a dot)."""
    name = host.lower().strip("[]").rstrip(".")
    try:
        ip = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return "." not in name or name.endswith(_LOCAL_SUFFIXES)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global


_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".corp")


def shareable(url: str) -> bool:
    """Whether ``url`` may be sent to a third party (e.g. archive.org): a public web
    address without credentials or secret-looking parameters."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    return (parts.scheme in ("http", "https") and bool(host) and not _private_host(host)
            and not has_secret(url))
