"""Starting and talking to the mitmdump process that runs the world addon."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

import httpx

from .model import CONTROL_HOST

ADDON = Path(__file__).resolve().parent / "addon.py"
REMOVED_ENV = (
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "GITHUB_API_URL",
    "GH_HOST",
    "GH_ENTERPRISE_TOKEN",
    "ALL_PROXY",
    "all_proxy",
    "SSL_CERT_DIR",
    "S2_API_KEY",
    "SEMANTIC_SCHOLAR_API_KEY",
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _mitmdump() -> str:
    beside = Path(sys.executable).parent / "mitmdump"
    if beside.exists():
        return str(beside)
    found = shutil.which("mitmdump")
    if not found:
        raise RuntimeError("mitmdump not found: install the test extra (mitmproxy)")
    return found


class WorldProxy:
    """One mitmdump process (per test session) and a client for its control API."""

    def __init__(self, confdir: Path) -> None:
        self.confdir = Path(confdir)
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self._logfile: IO[bytes] | None = None
        self._client: httpx.Client | None = None

    @property
    def url(self) -> str:
        """The proxy URL for ``HTTPS_PROXY`` / ``HTTP_PROXY``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def ca_path(self) -> str:
        """mitmproxy's CA certificate (PEM) that clients must trust."""
        return str(self.confdir / "mitmproxy-ca-cert.pem")

    def start(self, timeout: float = 30.0) -> None:
        """Start mitmdump and wait until the control API answers."""
        self.confdir.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        self._logfile = open(self.confdir / "mitmdump.log", "wb")  # noqa: SIM115
        cmd = [
            _mitmdump(),
            "-q",
            "--listen-host",
            "127.0.0.1",
            "--listen-port",
            str(self.port),
            "-s",
            str(ADDON),
            "--set",
            "upstream_cert=false",
            "--set",
            "connection_strategy=lazy",
            "--set",
            f"confdir={self.confdir}",
            "--set",
            "termlog_verbosity=warn",
        ]
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        self.proc = subprocess.Popen(cmd, stdout=self._logfile, stderr=subprocess.STDOUT, env=env)
        self._client = httpx.Client(proxy=self.url, trust_env=False, timeout=15.0)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"mitmdump exited early; see {self.confdir / 'mitmdump.log'}:\n"
                    + (self.confdir / "mitmdump.log").read_text(errors="replace")
                )
            try:
                if self._control("GET", "/ping").status_code == 200 and Path(self.ca_path).exists():
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("mitmdump did not come up in time")
            time.sleep(0.05)

    def stop(self) -> None:
        """Terminate mitmdump."""
        if self._client is not None:
            self._client.close()
            self._client = None
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if self._logfile is not None:
            self._logfile.close()
            self._logfile = None

    # -- control API

    def _control(self, method: str, path: str, **kw: Any) -> httpx.Response:
        assert self._client is not None, "proxy not started"
        return self._client.request(method, f"http://{CONTROL_HOST}{path}", **kw)

    def put_scenario(self, scenario: dict[str, Any]) -> None:
        """Replace the scenario (runtime counters survive)."""
        self._control("PUT", "/scenario", json=scenario).raise_for_status()

    def reset(self) -> None:
        """Empty scenario, counters, log and violations."""
        self._control("POST", "/reset").raise_for_status()

    def log(self) -> list[dict[str, Any]]:
        """Every request since the last reset."""
        resp = self._control("GET", "/log")
        resp.raise_for_status()
        return list(resp.json())

    def violations(self) -> list[str]:
        """Contract violations since the last reset."""
        resp = self._control("GET", "/violations")
        resp.raise_for_status()
        return list(resp.json())

    def github_call(self, action: str, args: dict[str, Any]) -> Any:
        """Run a fake-GitHub scenario action or inspection (see ``github_admin.py``)."""
        resp = self._control("POST", "/github", json={"action": action, "args": args})
        data = resp.json()
        if resp.status_code != 200:
            raise ValueError(data.get("error", resp.text))
        return data["result"]

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """Environment for a client process: proxy + CA, no real tokens."""
        env = dict(os.environ if base is None else base)
        for key in REMOVED_ENV:
            env.pop(key, None)
        env.update(
            {
                "HTTPS_PROXY": self.url,
                "HTTP_PROXY": self.url,
                "https_proxy": self.url,
                "http_proxy": self.url,
                "NO_PROXY": "",
                "no_proxy": "",
                "SSL_CERT_FILE": self.ca_path,
                "REQUESTS_CA_BUNDLE": self.ca_path,
                "CURL_CA_BUNDLE": self.ca_path,
            }
        )
        return env
