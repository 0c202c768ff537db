"""Hostile servers: every link gets a verdict in bounded time and memory, and the run ends.

Each case is a scenario host of the simulated internet (tests/world/) that misbehaves
on purpose; ``listwatch check`` runs unmodified against all of them at once. Wall
time and peak RSS are printed for RELIABILITY-servers.md (``pytest -s``), never
asserted, except one memory bound far from what the cases would cost unbounded.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import by_url, load, make_list

pytestmark = pytest.mark.e2e

# 1 s per request (the whole request, not each read): the trickle below never pauses
# long enough for a per-read timeout to fire.
HTTP = """
[http]
timeout = 1
host_concurrency = 2
host_interval = 0.05

[check]
retries = 1
retry_after_max = 2
"""

BOMB = 1 << 30  # 1 GiB of zeros: about 1 MiB on the wire


def _list(urls: list[str]) -> str:
    return "# Hostile\n\n" + "".join(f"* Case {i} [link]({u})\n" for i, u in enumerate(urls))


def _check(world, tmp_path: Path, urls: list[str]):  # type: ignore[no-untyped-def]
    config = make_list(tmp_path, {"README.md": _list(urls)}, extra=HTTP)
    result, usage = world.run_cli_measured("check", "--config", str(config), "--format", "json")
    print(f"\n[hostile] {len(urls)} links: exit {result.returncode}, "
          f"{usage.wall_seconds:.2f} s, peak RSS {usage.max_rss_kib / 1024:.1f} MiB")
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    rows = by_url(load(result.stdout))
    assert sorted(rows) == sorted(urls)  # every link has a verdict: none missed
    return rows, usage


def test_slowloris_body_ends_at_the_request_deadline(world, tmp_path: Path) -> None:
    with world.batch():
        host = world.host("slow.example")
        host.route("/drip", trickle=0.2, refuse_head=True)
        host.route("/drip-404", trickle=0.2, status=404)
        host.route("/fine", status=200)
    urls = ["https://slow.example/drip", "https://slow.example/drip-404",
            "https://slow.example/fine"]
    rows, _ = _check(world, tmp_path, urls)
    for url in urls[:2]:  # a first failure is "failing" (broken only after fail_runs)
        assert rows[url]["status"] == "failing", rows[url]
        assert "too slowly" in rows[url]["detail"]
    assert rows["https://slow.example/fine"]["status"] == "ok"
    # each trickled GET was given up after about a second, not after 64 KiB at 5 B/s
    gets = world.requests("slow.example", method="GET", path="/drip")
    assert gets and all(r.end is not None for r in gets)


def test_endless_body_is_read_only_as_far_as_needed(world, tmp_path: Path) -> None:
    with world.batch():
        world.host("endless.example").route("/ok", endless=True, refuse_head=True)
        world.host("endless.example").route("/gone", endless=True, status=404)
    rows, usage = _check(world, tmp_path, ["https://endless.example/ok",
                                            "https://endless.example/gone"])
    assert rows["https://endless.example/ok"]["status"] == "ok"
    assert rows["https://endless.example/gone"]["detail"] == "failing (1/2): 404 Not Found"
    assert usage.max_rss_kib < 400 * 1024


def test_gzip_bomb_is_inflated_only_up_to_the_body_prefix(world, tmp_path: Path) -> None:
    hosts = [f"bomb{i}.example" for i in range(12)]
    with world.batch():
        for name in hosts:  # one host each: all twelve are read at the same time
            world.host(name).route("/b", gzip_bomb=BOMB, status=404, content_type="text/html")
        world.host("small.example").route("/fine", gzip_bomb=1000, refuse_head=True)
    urls = [f"https://{name}/b" for name in hosts] + ["https://small.example/fine"]
    rows, usage = _check(world, tmp_path, urls)
    assert {rows[u]["detail"] for u in urls[:-1]} == {"failing (1/2): 404 Not Found"}
    assert rows["https://small.example/fine"]["status"] == "ok"
    # twelve 1 GiB bombs at once: unbounded inflation peaked at 230 MiB; capped, the
    # run stays near the 55 MiB of a plain run
    assert usage.max_rss_kib < 120 * 1024
    gets = [r for name in hosts for r in world.requests(name, method="GET")]
    assert gets and all(r.headers.get("accept-encoding") == "gzip, deflate" for r in gets)


def test_header_floods_get_a_verdict(world, tmp_path: Path) -> None:
    with world.batch():
        host = world.host("headers.example")
        host.route("/many", header_flood=5000)  # about 500 KB of headers
        host.route("/huge", headers={"x-huge": "h" * 1_000_000})
        host.route("/some", header_flood=200)  # 20 KB: a big but legal answer
    urls = ["https://headers.example/many", "https://headers.example/huge",
            "https://headers.example/some"]
    rows, usage = _check(world, tmp_path, urls)
    for url in urls[:2]:
        assert rows[url]["status"] == "failing", rows[url]
        assert "protocol error" in rows[url]["detail"]
    assert rows["https://headers.example/some"]["status"] == "ok"
    assert usage.max_rss_kib < 400 * 1024


PRIVATE_TARGETS = {
    "/loopback": "http://127.0.0.1/admin",
    "/ten": "http://10.1.2.3/",
    "/metadata": "http://169.254.169.254/latest/meta-data/",
    "/v6": "http://[::1]:8080/",
    "/name": "http://localhost/secret",
    "/sub": "https://evil.localhost/",
    "/mapped": "http://[::ffff:127.0.0.1]/",
    "/decimal": "http://2130706433/",
    "/hex": "http://0x7f000001/",
    "/short": "http://127.1/",
    "/zero": "http://0.0.0.0:8080/",
    "/trailing-dot": "http://localhost./",
}


def test_redirects_to_private_addresses_are_never_followed(world, tmp_path: Path) -> None:
    with world.batch():
        host = world.host("redir.example")
        for path, target in PRIVATE_TARGETS.items():
            host.route(path, redirect=target, status=302)
        host.redirect_loop("/loop")
        host.route("/a", redirect="/b").route("/b", redirect="/a")
        host.route("/octal", redirect="http://0177.0.0.1/", status=302)  # httpx refuses it
    urls = [f"https://redir.example{p}" for p in PRIVATE_TARGETS]
    urls += ["https://redir.example/loop", "https://redir.example/a",
             "https://redir.example/octal"]
    direct = ["http://2130706433/x", "http://0x7f000001/x", "http://127.1/x",
              "http://3232235777/router"]  # 192.168.1.1, written in the list itself
    urls += direct
    rows, _ = _check(world, tmp_path, urls)
    for path in PRIVATE_TARGETS:
        row = rows[f"https://redir.example{path}"]
        assert row["status"] == "skipped", (path, row["detail"])
        assert "redirects to" in row["detail"]
    assert "redirect loop" in rows["https://redir.example/loop"]["detail"]
    assert "redirect loop" in rows["https://redir.example/a"]["detail"]
    assert "invalid Location" in rows["https://redir.example/octal"]["detail"]
    for url in direct:
        assert rows[url]["status"] == "skipped", (url, rows[url]["detail"])
    asked = {r.host for r in world.requests()}
    assert asked == {"redir.example"}  # nothing private was ever requested


@pytest.mark.parametrize("fault", ["self-signed", "expired", "wrong-host"])
def test_invalid_certificates_are_errors_not_dead_links(world, tmp_path: Path,
                                                        fault: str) -> None:
    with world.batch():
        world.host("badcert.example", tls=fault).route("/p").route("/q")
        world.host("good.example").route("/p")
    urls = ["https://badcert.example/p", "https://badcert.example/q",
            "https://good.example/p"]
    rows, _ = _check(world, tmp_path, urls)
    for url in urls[:2]:
        assert rows[url]["status"] == "failing", rows[url]
        assert "TLS error" in rows[url]["detail"]
    assert rows["https://good.example/p"]["status"] == "ok"
    assert not world.requests("badcert.example")  # the handshake failed: no request


def test_connection_reset_mid_response(world, tmp_path: Path) -> None:
    with world.batch():
        host = world.host("reset.example")
        host.route("/mid", reset_after=5000, refuse_head=True)
        host.route("/early", reset_after=1, status=404)
        world.host("other.example").route("/p")
    urls = ["https://reset.example/mid", "https://reset.example/early",
            "https://other.example/p"]
    rows, _ = _check(world, tmp_path, urls)
    for url in urls[:2]:
        assert rows[url]["status"] == "failing", rows[url]
        assert "reset" in rows[url]["detail"] or "closed" in rows[url]["detail"], rows[url]
    assert rows["https://other.example/p"]["status"] == "ok"


# -- the APIs behind the facts misbehave the same way --------------------------------


API_CASES = {
    "slow DBLP, endless S2": (
        {"dblp.org": "trickle", "api.semanticscholar.org": "endless"},
        ("dblp.org", "semanticscholar")),
    "slow arXiv": ({"export.arxiv.org": "trickle"}, ("arxiv",)),
    "endless arXiv, slow GitHub": (
        {"export.arxiv.org": "endless", "api.github.com": "trickle"}, ("arxiv", "github")),
}


@pytest.mark.parametrize("case", list(API_CASES))
def test_api_that_trickles_or_never_ends_is_given_up_and_reported(world, tmp_path: Path,
                                                                  case: str) -> None:
    from .test_metadata import LIST, scenario

    scenario(world)
    faults, words = API_CASES[case]
    for host, kind in faults.items():
        if kind == "trickle":
            world.trickle(host, 0.2)
        else:
            world.endless(host)
    config = make_list(tmp_path, {"README.md": LIST}, extra=HTTP)
    result, usage = world.run_cli_measured("check", "--config", str(config), "--format",
                                           "json", timeout=300,
                                           extra_env={"GITHUB_TOKEN": world.github_token})
    print(f"\n[hostile] {case}: exit {result.returncode}, "
          f"{usage.wall_seconds:.2f} s, peak RSS {usage.max_rss_kib / 1024:.1f} MiB")
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    warnings = " ".join(load(result.stdout)["warnings"]).lower()
    assert all(word in warnings for word in words), warnings
    # unbounded, an endless answer grew the process past 8 GB in 48 s
    assert usage.max_rss_kib < 300 * 1024
