"""Badges judged from the repository they show; one request per badge service."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from mockweb import World, run_probe

from listwatch.model import PaperFacts, RepoFacts
from listwatch.probe.context import Arriving
from listwatch.probe.verifiers import badge

REPOS = {
    "alice/tool": RepoFacts(requested="alice/tool", exists=True, name_with_owner="alice/tool",
                            api_url="https://api.github.com/repos/alice/tool"),
    "bob/old": RepoFacts(requested="bob/old", exists=True, name_with_owner="carol/new"),
    "dave/gone": RepoFacts(requested="dave/gone", exists=False),
    "erin/frozen": RepoFacts(requested="erin/frozen", exists=True,
                             name_with_owner="erin/frozen", archived=True),
}


@pytest.mark.parametrize(("url", "repo"), [
    ("https://img.shields.io/github/stars/alice/tool?style=social", "alice/tool"),
    ("https://img.shields.io/github/stars/alice/tool.svg", "alice/tool"),
    ("https://img.shields.io/github/v/release/alice/tool", "alice/tool"),
    ("https://img.shields.io/github/commit-activity/m/alice/tool", "alice/tool"),
    ("https://img.shields.io/github/actions/workflow/status/alice/tool/ci.yml", "alice/tool"),
    ("https://img.shields.io/github/issues/detail/state/alice/tool/12", "alice/tool"),
    ("https://img.shields.io/github/last-commit/alice/tool/dev", "alice/tool"),
    ("https://img.shields.io/github/downloads/alice/tool/total", "alice/tool"),
    ("https://badgen.net/github/license/alice/tool", "alice/tool"),
    ("https://badge.fury.io/gh/alice%2Ftool.svg", "alice/tool"),
    ("https://github.com/alice/tool/actions/workflows/ci.yml/badge.svg", "alice/tool"),
    ("https://github.com/alice/tool/workflows/CI/badge.svg?branch=main", "alice/tool"),
])
def test_repository_badges_name_their_repository(url: str, repo: str) -> None:
    shown = badge.parse(url)
    assert shown is not None and shown.repo == repo and not shown.static
    assert url[shown.start:shown.end].replace("%2F", "/") == repo


@pytest.mark.parametrize("url", [
    "https://img.shields.io/badge/license-MIT-blue.svg",
    "https://img.shields.io/static/v1?label=a&message=b&color=red",
    "https://badgen.net/badge/icon/discord?icon=discord",
])
def test_static_badges(url: str) -> None:
    shown = badge.parse(url)
    assert shown is not None and shown.static and shown.repo is None


@pytest.mark.parametrize("url", [
    "https://img.shields.io/pypi/v/requests",        # a package, not a repository
    "https://img.shields.io/github/followers/alice",  # a user
    "https://img.shields.io/github/stars/alice",      # a user's stars
    "https://badge.fury.io/py/requests.svg",
    "https://github.com/alice/tool/blob/main/badge.svg",
    "https://example.org/github/stars/alice/tool",
])
def test_other_urls_are_not_repository_or_static_badges(url: str) -> None:
    shown = badge.parse(url)
    assert shown is None or (shown.repo is None and not shown.static)


@pytest.mark.parametrize("url", [
    "https://GitHub.com/Alice/Tool/actions/workflows/ci.yml/badge.svg",
    "https://IMG.Shields.IO/github/stars/alice/tool",
    "https://img.shields.io", "https://img.shields.io/github/stars/%E2%9C%93/x",
    "https://badge.fury.io/gh/", "https://badge.fury.io/gh/nothing.svg", "http://[::1]/x",
    "https://img.shields.io/github/stars/alice/tool/", "https://badgen.net/github",
])
def test_odd_urls_never_raise_and_offsets_stay_inside(url: str) -> None:
    shown = badge.parse(url)
    if shown is not None and shown.repo is not None:
        assert url[shown.start:shown.end].lower() == shown.repo.lower()


def test_renamed_url_changes_only_owner_and_name() -> None:
    url = "https://img.shields.io/github/stars/bob/old.svg?style=social&label=Stars"
    shown = badge.parse(url)
    assert shown is not None
    assert badge.renamed_url(url, shown, "carol/new") == (
        "https://img.shields.io/github/stars/carol/new.svg?style=social&label=Stars")
    fury = "https://badge.fury.io/gh/bob%2Fold.svg"
    found = badge.parse(fury)
    assert found is not None
    assert badge.renamed_url(fury, found, "carol/new") == "https://badge.fury.io/gh/carol%2Fnew.svg"


def test_badges_are_judged_from_facts_with_one_request_per_service(mockweb: World) -> None:
    mockweb.route("https://img.shields.io/badge/a-b-c", 200)
    urls = ["https://img.shields.io/badge/a-b-c",
            "https://img.shields.io/badge/d-e-f",
            "https://img.shields.io/github/stars/alice/tool",
            "https://img.shields.io/github/forks/alice/tool",
            "https://img.shields.io/github/stars/bob/old?style=flat",
            "https://img.shields.io/github/license/dave/gone",
            "https://img.shields.io/github/stars/erin/frozen",
            "https://github.com/alice/tool/actions/workflows/ci.yml/badge.svg"]
    v = run_probe(mockweb, urls, repo_facts=REPOS)
    assert [h.url for h in mockweb.hits] == ["https://img.shields.io/badge/a-b-c"]
    assert all(x.via == "badge" for x in v.values())
    assert [v[u].status for u in urls] == ["ok", "ok", "ok", "ok", "redirect", "broken", "ok",
                                           "ok"]
    moved = v[urls[4]]
    assert moved.permanent and moved.final_url == (
        "https://img.shields.io/github/stars/carol/new?style=flat")
    assert "does not exist" in v[urls[5]].detail
    assert "archived" in v[urls[6]].detail
    assert v[urls[2]].evidence == ("https://api.github.com/repos/alice/tool",)


def test_a_badge_service_that_does_not_answer_fails_its_badges(mockweb: World,
                                                                sleeps: list[float]) -> None:
    mockweb.route("https://badgen.net/github/stars/alice/tool", 503)
    urls = ["https://badgen.net/github/stars/alice/tool", "https://badgen.net/badge/a/b"]
    v = run_probe(mockweb, urls, repo_facts=REPOS)
    assert {x.status for x in v.values()} == {"error"}
    assert all("badge service badgen.net does not answer" in x.detail for x in v.values())
    assert {h.url for h in mockweb.hits} == {urls[0]}


def test_a_badge_without_facts_is_checked_over_http(mockweb: World) -> None:
    mockweb.route("https://img.shields.io/github/stars/zed/unknown", 200)
    (verdict,) = run_probe(mockweb, ["https://img.shields.io/github/stars/zed/unknown"],
                           repo_facts=REPOS).values()
    assert verdict.status == "ok" and verdict.via == "head"


def test_links_needing_facts_wait_for_them_and_others_do_not(mockweb: World) -> None:
    order: list[str] = []

    def page(request: httpx.Request) -> httpx.Response:
        order.append("web link probed")
        return httpx.Response(200)

    mockweb.route("https://example.org/page", page)

    async def repos() -> dict[str, RepoFacts]:
        await asyncio.sleep(0.05)
        order.append("github facts")
        return REPOS

    async def papers() -> tuple[dict[str, PaperFacts], frozenset[str]]:
        await asyncio.sleep(0.05)
        order.append("arxiv facts")
        return {}, frozenset({"2401.99999"})

    urls = ["https://arxiv.org/abs/2401.99999", "https://example.org/page",
            "https://github.com/bob/old"]
    v = run_probe(mockweb, urls, arriving=Arriving(repos=repos, papers=papers))
    assert order[0] == "web link probed" and set(order[1:]) == {"github facts", "arxiv facts"}
    assert v[urls[0]].status == "broken" and v[urls[0]].via == "arxiv-api"
    assert v[urls[2]].status == "redirect" and v[urls[2]].via == "github-api"
    assert [h.url for h in mockweb.hits] == ["https://example.org/page"]
