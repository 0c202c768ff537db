"""The shared HTTP layer: CA and proxy settings from the environment."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from listwatch import net


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_ca_bundle_precedence() -> None:
    env = {"REQUESTS_CA_BUNDLE": "/b.pem", "SSL_CERT_FILE": "/a.pem"}
    assert net.ca_bundle(env) == "/a.pem"
    assert net.ca_bundle({"CURL_CA_BUNDLE": "/c.pem"}) == "/c.pem"
    assert net.ca_bundle({}) is None


def test_proxy_problem_names_the_proxy_without_credentials() -> None:
    port = _closed_port()
    problem = net.proxy_problem({"HTTPS_PROXY": f"http://user:s3cret@127.0.0.1:{port}"},
                                timeout=2)
    assert problem is not None
    assert problem.startswith(f"the proxy http://127.0.0.1:{port} is not reachable")
    assert "s3cret" not in problem and "user" not in problem


def test_no_proxy_no_problem() -> None:
    assert net.proxy_problem({}) is None


def test_listening_proxy_is_fine() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert net.proxy_problem({"HTTPS_PROXY": f"127.0.0.1:{port}"}, timeout=2) is None


def test_unreachable_proxy_stops_the_run_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "list.md").write_text("* X \\[[P](https://papers.example/a)]\n")
    env = {"HTTPS_PROXY": f"http://127.0.0.1:{_closed_port()}", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "listwatch", "check", "list.md"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1
    assert "is not reachable" in result.stderr and "nothing was checked" in result.stderr
