"""What the environment says about the network: CA bundle, proxy, open-file limit.

Standard proxy and CA variables are honoured everywhere: ``HTTPS_PROXY``,
``HTTP_PROXY``, ``ALL_PROXY``, ``NO_PROXY`` (by httpx and requests themselves) and
``SSL_CERT_FILE`` / ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` (here, so both kinds of
client trust the same bundle).
"""

from __future__ import annotations

import os
import socket
import ssl
from collections.abc import Mapping
from urllib.parse import urlsplit

CA_VARIABLES = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY",
                   "all_proxy")


def ca_bundle(environ: Mapping[str, str] | None = None) -> str | None:
    """The CA bundle the user asked for through the environment, if any."""
    env = os.environ if environ is None else environ
    for name in CA_VARIABLES:
        value = env.get(name)
        if value:
            return value
    return None


def proxy_configured(environ: Mapping[str, str] | None = None) -> bool:
    """True when requests go through a proxy (then DNS is the proxy's business)."""
    env = os.environ if environ is None else environ
    return any(env.get(name) for name in PROXY_VARIABLES)


def ssl_context() -> ssl.SSLContext:
    """TLS verification context honouring the CA variables (system store otherwise)."""
    bundle = ca_bundle()
    if bundle:
        return ssl.create_default_context(cafile=bundle)
    return ssl.create_default_context()


def requests_verify() -> str | bool:
    """The ``verify=`` value for ``requests`` sessions (PyGithub, arxiv)."""
    return ca_bundle() or True


def proxy_problem(environ: Mapping[str, str] | None = None, timeout: float = 5.0) -> str | None:
    """Why the configured HTTPS proxy cannot be reached, or None.

    Without this, an unreachable proxy would make every link of the list look dead.
    Credentials in the proxy URL are never part of the message.
    """
    env = os.environ if environ is None else environ
    raw = next((env[name] for name in PROXY_VARIABLES if env.get(name)), None)
    if raw is None:
        return None
    parts = urlsplit(raw if "://" in raw else f"http://{raw}")
    host = parts.hostname
    try:
        port = parts.port or (443 if parts.scheme == "https" else 1080
                              if parts.scheme.startswith("socks") else 80)
    except ValueError:
        return f"the proxy address in the environment is not a valid URL (port of {host})"
    if not host:
        return "the proxy address in the environment has no host name"
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return f"the proxy {parts.scheme}://{host}:{port} is not reachable ({reason})"


# Open files a run asks for: it keeps connections to hundreds of hosts open at once.
FILES_WANTED = 8192
# Assumed where the limit cannot be read (not POSIX).
FILES_UNKNOWN = 1024


def open_files_limit() -> int:
    """The process's limit on open files, its soft limit first raised toward
    ``FILES_WANTED`` as far as the hard limit allows (as Go programs do at start)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return FILES_UNKNOWN
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    unlimited = resource.RLIM_INFINITY
    wanted = FILES_WANTED if hard == unlimited else min(FILES_WANTED, hard)
    if soft != unlimited and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return FILES_WANTED if soft == unlimited else soft
