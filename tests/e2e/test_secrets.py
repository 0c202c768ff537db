"""Secrets in the list's URLs, and what goes to third parties (issue 12, items 5 and 6).

A link may carry credentials (``https://user:pass@host/…?token=…``). Its secrets must
appear in no report (text, JSON, Markdown), no pull request body, not in the state
store (which is private, mode 0600), and such a URL, like one to a private address,
is never sent to archive.org. The list itself keeps its bytes.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from listwatch.redact import redact_url

from .helpers import FAST_HTTP, load, make_list

pytestmark = pytest.mark.e2e

PASSWORD = "hunter2pass"
TOKEN = "tok3nSECRETvalue"
SIGNATURE = "f00dfeedsig"
CREDENTIALED = f"https://alice:{PASSWORD}@cred.example/paper?token={TOKEN}&page=2"
SIGNED = f"https://bucket.example/file.pdf?X-Amz-Signature={SIGNATURE}&X-Amz-Expires=60"
PRIVATE = "http://10.20.30.40/internal-paper"
LIST = ("# Papers\n\n"
        f"* Credentialed paper \\[[Paper]({CREDENTIALED})]\n"
        f"* Signed paper \\[[Paper]({SIGNED})]\n"
        f"* Internal paper \\[[Paper]({PRIVATE})]\n"
        "* Public paper \\[[Paper](https://public.example/gone)]\n")
SECRETS = (PASSWORD, TOKEN, SIGNATURE)
DEAD_AT_ONCE = FAST_HTTP.replace("[check]\n", "[check]\nfail_runs = 1\nfail_hours = 0\n"
                                 "private_addresses = true\n")


def scenario(world: Any, tmp_path: Path, extra: str = "") -> Path:
    """Every link of LIST answers 404; archive.org has copies of all of them."""
    with world.batch():
        for host in ("cred.example", "bucket.example", "public.example"):
            world.host(host).default(status=404)
        for url in (CREDENTIALED, SIGNED, PRIVATE, "https://public.example/gone"):
            world.wayback.snapshot(url)
    return make_list(tmp_path, {"list.md": LIST}, extra=DEAD_AT_ONCE + extra)


def leaks(*texts: str) -> list[str]:
    return [secret for secret in SECRETS for text in texts if secret in text]


def store_bytes(config: Path) -> bytes:
    state = config.parent / ".listwatch"
    return b"".join(path.read_bytes() for path in sorted(state.iterdir()) if path.is_file())


def test_credentials_are_redacted_in_every_report_and_the_store(world, tmp_path) -> None:
    config = scenario(world, tmp_path)
    summary = tmp_path / "summary.md"
    actions = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    outputs = []
    for fmt in ("text", "json", "markdown"):
        result = world.run_cli("run", "--dry-run", "--config", str(config), "--format", fmt,
                               "--verbose", extra_env=actions)
        assert result.returncode == 0, result.stderr
        outputs += [result.stdout, result.stderr]
        if fmt == "json":
            report = load(result.stdout)
            body = report["pull_request"]["body"]
            # The links are still reported (redacted), and the dead ones proposed.
            urls = {row["url"] for row in report["links"]}
            assert "https://alice:REDACTED@cred.example/paper?token=REDACTED&page=2" in urls
            assert {p["kind"] for p in report["proposals"]} == {"dead"}
            assert not leaks(body)
    outputs.append(summary.read_text(encoding="utf-8"))
    assert "::error file=list.md" in outputs[0]  # annotations were printed, and redacted
    assert not leaks(*outputs), [o for o in outputs if leaks(o)]
    assert "REDACTED" in outputs[0]
    assert not [s for s in SECRETS if s.encode() in store_bytes(config)]
    assert stat.S_IMODE((config.parent / ".listwatch" / "state.db").stat().st_mode) == 0o600
    # The list itself keeps its bytes.
    assert (tmp_path / "checkout" / "list.md").read_text(encoding="utf-8") == LIST


def test_archive_org_never_sees_private_or_credentialed_urls(world, tmp_path) -> None:
    config = scenario(world, tmp_path)
    result = world.run_cli("run", "--dry-run", "--config", str(config), "--format", "json")
    assert result.returncode == 0, result.stderr
    asked = [r.query for r in world.requests("archive.org")]
    assert len(asked) == 1 and "public.example" in asked[0], asked
    report = load(result.stdout)
    dead = {p["old"]: p for p in report["proposals"] if p["kind"] == "dead"}
    assert set(dead) == {redact_url(CREDENTIALED), redact_url(SIGNED), PRIVATE,
                         "https://public.example/gone"}
    # No archived copy is said plainly: no empty suggestion, no lookup named as evidence.
    private = dead[PRIVATE]
    assert private["new"] == private["old"] and "no archived copy" in private["reason"]
    assert not [e for e in private["evidence"] if "archive.org" in e]
    assert "web.archive.org" in dead["https://public.example/gone"]["new"]
    body = report["pull_request"]["body"]
    assert "suggested ``" not in body and "suggested `` ``" not in body


def test_sources_wayback_off_asks_archive_org_nothing(world, tmp_path) -> None:
    config = scenario(world, tmp_path, "\n[sources]\ngithub = false\narxiv = false\n"
                                       "dblp = false\nsemantic_scholar = false\nwayback = false\n")
    result = world.run_cli("run", "--dry-run", "--config", str(config), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert world.requests("archive.org") == []
    report = load(result.stdout)
    reasons = [p["reason"] for p in report["proposals"] if p["kind"] == "dead"]
    assert len(reasons) == 4 and all("no archived copy" in r for r in reasons)


def test_the_token_is_in_no_output_store_or_github_text(world, tmp_path) -> None:
    from .test_publish import REPO, TITLED, dead_at_once, no_token_anywhere, setup

    config = setup(world, tmp_path, text=TITLED, arxiv=True)
    dead_at_once(config)
    world.host("papers.example").route("/other", status=404)
    summary, outputs_file = tmp_path / "summary.md", tmp_path / "outputs.txt"
    env = {"GITHUB_TOKEN": world.github_token, "GITHUB_ACTIONS": "true",
           "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs_file)}
    outputs = []
    for fmt in ("text", "json", "markdown"):
        result = world.run_cli("run", "--config", str(config), "--format", fmt, "--no-cache",
                               "--verbose", extra_env=env)
        assert result.returncode == 0, result.stderr
        outputs += [result.stdout, result.stderr]
    world.fail("api.github.com", 401)  # an error on the way out names no token either
    failed = world.run_cli("run", "--config", str(config), extra_env=env)
    assert failed.returncode != 0 and failed.stderr
    outputs += [failed.stdout, failed.stderr, summary.read_text(), outputs_file.read_text()]
    assert world.github.pulls(REPO) and world.github.issues(REPO)
    no_token_anywhere(world, *outputs)
    token = world.github_token.encode()
    assert len(token) > 8 and token not in store_bytes(config)


def test_error_lines_show_urls_redacted(world, tmp_path) -> None:
    for command in ("links", "check"):
        result = world.run_cli(command, CREDENTIALED, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr == (f"listwatch: error: {redact_url(CREDENTIALED)}: no such file "
                                 "or directory\n")
