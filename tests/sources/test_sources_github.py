"""GitHub: the GraphQL batch query (validated against GitHub's schema), answers, caching."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from contexts import context

from listwatch.credentials import github_api_url, github_token
from listwatch.sources import github

NOW = datetime(2026, 1, 1, tzinfo=UTC)
SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "github" / "schema.graphql"
TOKEN = "ghp_secretsecretsecret0123456789"


@pytest.fixture(scope="module")
def schema():
    graphql = pytest.importorskip("graphql")
    if not SCHEMA.exists():
        pytest.skip("GitHub schema not available")
    built = graphql.build_ast_schema(graphql.parse(SCHEMA.read_text()), assume_valid_sdl=True)
    built._validation_errors = []
    return built


def test_batch_query_is_valid_against_github_schema(schema) -> None:
    import graphql

    query, variables = github.build_query(["vllm-project/vllm", "a/b.c", "o-1/n_2"])
    assert graphql.validate(schema, graphql.parse(query)) == []
    assert variables == {"o0": "vllm-project", "n0": "vllm", "o1": "a", "n1": "b.c",
                         "o2": "o-1", "n2": "n_2"}
    assert "rateLimit { cost remaining resetAt }" in query


def test_graphql_url_for_enterprise() -> None:
    assert github.graphql_url("https://api.github.com") == "https://api.github.com/graphql"
    assert github.graphql_url("https://ghe.example.com/api/v3/") == \
        "https://ghe.example.com/api/graphql"


def test_token_from_environment() -> None:
    assert github_token({"GH_TOKEN": "x"}) == "x"
    assert github_token({"GITHUB_TOKEN": "a", "GH_TOKEN": "b"}) == "a"
    assert github_token({"GITHUB_TOKEN": " "}) is None
    assert github_api_url({}) == "https://api.github.com"
    assert github_api_url({"GITHUB_API_URL": "https://h/api/v3/"}) == "https://h/api/v3"


def _node(name: str, **extra: object) -> dict[str, object]:
    node = {"nameWithOwner": name, "stargazerCount": 10, "isArchived": False,
            "isDisabled": False, "isFork": False, "defaultBranchRef": {"name": "main"},
            "pushedAt": "2024-05-01T10:00:00Z", "description": "d", "homepageUrl": "",
            "url": f"https://github.com/{name}"}
    node.update(extra)
    return node


def _graphql_handler(seen: list[httpx.Request]):
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = json.loads(request.content)
        variables = body["variables"]
        data: dict[str, object] = {}
        errors = []
        for index in range(len(variables) // 2):
            owner, name = variables[f"o{index}"], variables[f"n{index}"]
            if name.lower() == "gone":
                data[f"r{index}"] = None
                errors.append({"type": "NOT_FOUND", "path": [f"r{index}"],
                               "locations": [{"line": 2, "column": 3}],
                               "message": f"Could not resolve to a Repository with the name "
                                          f"'{owner}/{name}'."})
            elif name.lower() == "old":
                data[f"r{index}"] = _node(f"{owner}/new")
            elif name == "arch":
                data[f"r{index}"] = _node(f"{owner}/{name}", isArchived=True)
            else:
                data[f"r{index}"] = _node(f"{owner}/{name}")
        data["rateLimit"] = {"cost": 1, "remaining": 4999, "resetAt": "2026-01-01T01:00:00Z"}
        payload: dict[str, object] = {"data": data}
        if errors:
            payload["errors"] = errors
        return httpx.Response(200, json=payload)

    return handler


def test_graphql_batches_and_per_alias_not_found(tmp_path) -> None:
    from listwatch.state import Store

    seen: list[httpx.Request] = []
    names = [f"org/r{i}" for i in range(150)] + ["org/gone", "Org/Old", "org/arch", "org/r1"]

    async def run(store: Store, now: datetime) -> github.RepoReport:
        transport = httpx.MockTransport(_graphql_handler(seen))
        async with httpx.AsyncClient(transport=transport) as client:
            return await github.GitHubRepos(
                context(client, cache=store, now=now), token=TOKEN,
                api_url="https://api.github.com").fetch(names)

    with Store.open(tmp_path / "s.db") as store:
        report = asyncio.run(run(store, NOW))
        assert report.requests == 2 == len(seen)  # 153 distinct repos → 2 batches
        assert all(r.url == "https://api.github.com/graphql" for r in seen)
        assert seen[0].headers["authorization"] == f"bearer {TOKEN}"
        assert len(report.facts) == 153
        assert report.facts["org/gone"].exists is False
        old = report.facts["org/old"]
        assert old.renamed and old.name_with_owner == "Org/new" and old.requested == "Org/Old"
        assert report.facts["org/arch"].archived
        assert report.facts["org/r0"].pushed_at == datetime(2024, 5, 1, 10, tzinfo=UTC)
        assert not report.warnings
        assert TOKEN not in json.dumps(report.warnings)
        # second run within max age: nothing asked
        again = asyncio.run(run(store, NOW + timedelta(minutes=5)))
        assert again.requests == 0 and again.facts["org/old"].name_with_owner == "Org/new"
        assert again.facts["org/r5"].fetched_at == NOW


def test_facts_carry_their_rest_url_under_the_configured_api_base(tmp_path) -> None:
    from listwatch.sources import cache
    from listwatch.state import Store

    base = "https://ghe.example.com/api/v3"
    seen: list[httpx.Request] = []

    async def run(store: Store, names: list[str]) -> github.RepoReport:
        transport = httpx.MockTransport(_graphql_handler(seen))
        async with httpx.AsyncClient(transport=transport) as client:
            return await github.GitHubRepos(context(client, cache=store, now=NOW), token=TOKEN,
                                            api_url=base).fetch(names)

    with Store.open(tmp_path / "s.db") as store:
        # a cache entry written before facts kept their api_url still loads, and gets one
        old = github._to_json(github.facts_from_rest("o/cached", {"full_name": "o/cached"},
                                                     NOW, base))
        del old["api_url"]
        cache.put(store, github.NAMESPACE, "o/cached", old, now=NOW)
        report = asyncio.run(run(store, ["Org/Old", "org/gone", "o/cached"]))
        assert [r.url for r in seen] == [httpx.URL("https://ghe.example.com/api/graphql")]
        assert "cached" not in json.loads(seen[0].content)["variables"].values()  # from cache
        assert report.facts["org/old"].api_url == f"{base}/repos/Org/Old"
        assert report.facts["org/gone"].api_url == f"{base}/repos/org/gone"
        assert report.facts["o/cached"].api_url == f"{base}/repos/o/cached"
        # and the round trip through the cache keeps it
        again = asyncio.run(run(store, ["Org/Old", "org/gone"]))
        assert len(seen) == 1
        assert again.facts == {key: report.facts[key] for key in ("org/old", "org/gone")}


def test_graphql_stops_before_exhausting_rate_limit() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        variables = json.loads(request.content)["variables"]
        data: dict[str, object] = {f"r{i}": _node(f"o/x{i}") for i in range(len(variables) // 2)}
        data["rateLimit"] = {"cost": 1, "remaining": 1, "resetAt": "2026-01-01T01:00:00Z"}
        return httpx.Response(200, json={"data": data})

    async def run() -> github.RepoReport:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await github.GitHubRepos(context(client, max_age_s=1), token=TOKEN).fetch(
                [f"o/x{i}" for i in range(250)])

    report = asyncio.run(run())
    assert len(seen) == 1 and len(report.facts) == 100
    assert len(report.warnings) == 1 and "150 repositories not checked" in report.warnings[0]


def test_graphql_bad_token_message_has_no_token() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/graphql":
            return httpx.Response(401, json={"message": "Bad credentials"})
        raise httpx.ConnectError("no REST in this test")

    async def run() -> github.RepoReport:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await github.GitHubRepos(context(client, max_age_s=1), token=TOKEN,
                                            api_url="http://127.0.0.1:9", timeout=1,
                                            ).fetch(["o/x"])

    report = asyncio.run(run())
    assert "401" in report.warnings[0]
    assert all(TOKEN not in w for w in report.warnings)
    assert "o/x" not in report.facts  # REST fallback could not reach anything


def test_invalid_names_are_warnings() -> None:
    async def run() -> github.RepoReport:
        async with httpx.AsyncClient(transport=httpx.MockTransport(lambda r: None)) as client:
            return await github.GitHubRepos(context(client, max_age_s=1), token=TOKEN).fetch(
                ["not a repo"])

    report = asyncio.run(run())
    assert report.requests == 0 and "not a repository name" in report.warnings[0]


def test_graphql_waits_for_a_near_reset_then_goes_on(monkeypatch) -> None:
    from listwatch.net import clock

    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(clock, "sleep", record)
    seen: list[httpx.Request] = []
    soon = (datetime.now(UTC) + timedelta(seconds=20)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        variables = json.loads(request.content)["variables"]
        data: dict[str, object] = {f"r{i}": _node(variables[f"o{i}"] + "/" + variables[f"n{i}"])
                                   for i in range(len(variables) // 2)}
        remaining = 1 if len(seen) == 1 else 4000  # the reset restored the budget
        data["rateLimit"] = {"cost": 1, "remaining": remaining, "resetAt": soon}
        return httpx.Response(200, json={"data": data})

    async def run() -> github.RepoReport:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await github.GitHubRepos(context(client, max_age_s=1), token=TOKEN).fetch(
                [f"o/x{i}" for i in range(250)])

    report = asyncio.run(run())
    assert len(seen) == 3 and len(report.facts) == 250 and not report.warnings
    assert len(waits) == 1 and 15 <= waits[0] <= 22  # until resetAt, not a guess
