"""The simulated GitHub behaves like GitHub, seen through real clients and the proxy."""

from __future__ import annotations

import github
import httpx
import pytest

pytestmark = pytest.mark.e2e

GQL = "https://api.github.com/graphql"


def _gql(world, query: str, token: str | None = "default", **variables) -> httpx.Response:
    headers = {}
    if token == "default":
        token = world.github_token
    if token:
        headers["Authorization"] = f"bearer {token}"
    with httpx.Client(trust_env=True, timeout=30) as client:
        return client.post(GQL, json={"query": query, "variables": variables}, headers=headers)


def test_graphql_requires_authentication(world_inprocess):
    resp = _gql(world_inprocess, "{ viewer { login } }", token=None)
    assert resp.status_code == 401
    assert resp.json()["message"] == "Requires authentication"
    assert "documentation_url" in resp.json()
    bad = _gql(world_inprocess, "{ viewer { login } }", token="ghp_wrong")
    assert bad.status_code == 401
    assert bad.json()["message"] == "Bad credentials"
    rec = world_inprocess.requests("api.github.com")[-1]
    assert rec.headers["authorization"] == "present"  # value never logged


@pytest.mark.world_violations_expected
def test_graphql_rejects_what_github_rejects(world_inprocess):
    world_inprocess.github.repo("octo/hello")
    resp = _gql(world_inprocess, '{ repository(owner: "octo", name: "hello") { stars } }')
    assert resp.status_code == 200
    body = resp.json()
    assert "data" not in body
    [err] = body["errors"]
    assert err["message"] == "Field 'stars' doesn't exist on type 'Repository'"
    assert err["locations"] == [{"line": 1, "column": 46}]
    missing = _gql(world_inprocess, '{ repository(owner: "octo") { name } }').json()
    assert (
        missing["errors"][0]["message"] == "Field 'repository' is missing required arguments: name"
    )
    syntax = _gql(world_inprocess, "{ repository(owner: ").json()
    assert syntax["errors"][0]["message"].startswith("Unexpected end of document")
    assert len(world_inprocess.violations()) == 3


def test_graphql_aliases_renames_not_found_and_rate_limit(world_inprocess):
    w = world_inprocess
    w.github.repo("octo/hello", stars=120, description="Hi", homepage="https://h.example")
    w.github.repo("old/name", renamed_to="new-owner/new-name", stars=7, archived=True)
    w.github.repo("gone/away", deleted=True)
    query = """
    query {
      a: repository(owner: "octo", name: "hello") {
        nameWithOwner name owner { login } stargazerCount isArchived isDisabled isFork
        defaultBranchRef { name } pushedAt description homepageUrl url isPrivate databaseId
      }
      b: repository(owner: "old", name: "name") { nameWithOwner isArchived stargazerCount }
      c: repository(owner: "gone", name: "away") { nameWithOwner }
      d: repository(owner: "no", name: "such") { nameWithOwner }
      viewer { login }
      rateLimit { cost remaining resetAt limit used }
    }"""
    body = _gql(w, query).json()
    data = body["data"]
    assert data["a"]["nameWithOwner"] == "octo/hello"
    assert data["a"]["owner"] == {"login": "octo"}
    assert data["a"]["stargazerCount"] == 120
    assert data["a"]["defaultBranchRef"] == {"name": "main"}
    assert data["a"]["homepageUrl"] == "https://h.example"
    assert data["a"]["url"] == "https://github.com/octo/hello"
    assert isinstance(data["a"]["databaseId"], int)
    assert data["b"] == {
        "nameWithOwner": "new-owner/new-name",
        "isArchived": True,
        "stargazerCount": 7,
    }
    assert data["c"] is None and data["d"] is None
    errors = {e["path"][0]: e for e in body["errors"]}
    assert set(errors) == {"c", "d"}
    assert errors["d"]["type"] == "NOT_FOUND"
    assert errors["d"]["message"] == "Could not resolve to a Repository with the name 'no/such'."
    assert data["rateLimit"]["cost"] == 1
    assert data["rateLimit"]["limit"] - data["rateLimit"]["remaining"] == data["rateLimit"]["used"]
    again = _gql(w, "{ rateLimit { remaining } }").json()["data"]["rateLimit"]["remaining"]
    assert again == data["rateLimit"]["remaining"] - 1


def test_graphql_rate_limit_exhausted(world_inprocess):
    world_inprocess.github.rate_limit(graphql_remaining=1)
    ok = _gql(world_inprocess, "{ viewer { login } }")
    assert ok.json()["data"]["viewer"]["login"]
    limited = _gql(world_inprocess, "{ viewer { login } }")
    assert limited.status_code == 200
    assert limited.json()["errors"][0]["type"] == "RATE_LIMITED"
    assert limited.headers["x-ratelimit-remaining"] == "0"


def test_graphql_blob_text_from_file_tree(world_inprocess):
    world_inprocess.github.repo("o/list").files({"README.md": "# List\n", "docs/a.md": "A"})
    q = (
        '{ repository(owner:"o", name:"list") '
        '{ object(expression:"HEAD:README.md") { ... on Blob { text } } } }'
    )
    assert _gql(world_inprocess, q).json()["data"]["repository"]["object"]["text"] == "# List\n"


def test_pygithub_follows_rename_and_reads_tree_and_contents(world_inprocess):
    w = world_inprocess
    repo_b = w.github.repo("old/name", renamed_to="new/name", stars=42)
    repo_b.files({"README.md": "# Papers\n", "docs/guide.md": "guide"})
    gh = github.Github(auth=github.Auth.Token(w.github_token), retry=None)
    repo = gh.get_repo("old/name")
    assert repo.full_name == "new/name"
    assert repo.stargazers_count == 42
    assert repo.default_branch == "main"
    hops = [(r.path, r.status) for r in w.requests("api.github.com")]
    assert hops[:2] == [("/repos/old/name", 301), (f"/repositories/{repo_b.id}", 200)]
    tree = repo.get_git_tree("main", recursive=True)
    assert sorted(e.path for e in tree.tree) == ["README.md", "docs", "docs/guide.md"]
    assert repo.get_contents("docs/guide.md").decoded_content == b"guide"
    with pytest.raises(github.UnknownObjectException):
        repo.get_contents("nope.md")
    with pytest.raises(github.UnknownObjectException):
        gh.get_repo("no/such")


def test_rest_redirect_body_and_deleted(world_inprocess):
    w = world_inprocess
    moved = w.github.repo("a/b", renamed_to="c/d")
    w.github.repo("x/deleted", deleted=True)
    with httpx.Client(trust_env=True) as client:
        resp = client.get("https://api.github.com/repos/a/b")
        assert resp.status_code == 301
        url = f"https://api.github.com/repositories/{moved.id}"
        assert resp.headers["location"] == url
        assert resp.json()["message"] == "Moved Permanently" and resp.json()["url"] == url
        assert client.get(url).json()["full_name"] == "c/d"
        gone = client.get("https://api.github.com/repos/x/deleted")
        assert gone.status_code == 404 and gone.json()["message"] == "Not Found"


def test_rest_anonymous_limit_is_60(world_inprocess):
    world_inprocess.github.repo("octo/hello")
    with httpx.Client(trust_env=True) as client:
        statuses = [
            client.get("https://api.github.com/repos/octo/hello").status_code for _ in range(60)
        ]
        assert statuses == [200] * 60
        over = client.get("https://api.github.com/repos/octo/hello")
        assert over.status_code == 403
        assert over.json()["message"].startswith("API rate limit exceeded for 127.0.0.1.")
        assert over.headers["x-ratelimit-remaining"] == "0"
        assert over.headers["x-ratelimit-limit"] == "60"
        assert client.get("https://api.github.com/rate_limit").json()["rate"]["remaining"] == 0
        authed = client.get(
            "https://api.github.com/repos/octo/hello",
            headers={"Authorization": f"token {world_inprocess.github_token}"},
        )
        assert authed.status_code == 200 and authed.headers["x-ratelimit-limit"] == "5000"


def test_rest_etag_304_is_free_when_authorized(world_inprocess):
    world_inprocess.github.repo("octo/hello")
    auth = {"Authorization": f"token {world_inprocess.github_token}"}
    with httpx.Client(trust_env=True, headers=auth) as client:
        first = client.get("https://api.github.com/repos/octo/hello")
        etag = first.headers["etag"]
        remaining = int(first.headers["x-ratelimit-remaining"])
        second = client.get(
            "https://api.github.com/repos/octo/hello", headers={"If-None-Match": etag}
        )
        assert second.status_code == 304
        assert int(second.headers["x-ratelimit-remaining"]) == remaining
        for header in ("limit", "remaining", "reset", "used", "resource"):
            assert f"x-ratelimit-{header}" in second.headers


@pytest.mark.world_violations_expected
def test_rest_unknown_operation_is_a_violation(world_inprocess):
    world_inprocess.github.repo("octo/hello")
    with httpx.Client(trust_env=True) as client:
        resp = client.get("https://api.github.com/repos/octo/hello/stargazers/count")
        assert resp.status_code == 404 and resp.json()["message"] == "Not Found"
        client.get(
            "https://api.github.com/repos/octo/hello/git/trees/main", params={"recurse": "1"}
        )
    violations = world_inprocess.violations()
    assert len(violations) == 2
    assert "no such GitHub REST operation" in violations[0]
    assert "['recurse']" in violations[1]


def test_secondary_rate_limit(world_inprocess):
    world_inprocess.github.repo("octo/hello")
    world_inprocess.github.secondary_rate_limit(times=1, retry_after=30)
    with httpx.Client(trust_env=True) as client:
        hit = client.get("https://api.github.com/repos/octo/hello")
        assert hit.status_code == 403 and hit.headers["retry-after"] == "30"
        assert "secondary rate limit" in hit.json()["message"]
        assert client.get("https://api.github.com/repos/octo/hello").status_code == 200


def test_github_web_pages(world_inprocess):
    w = world_inprocess
    w.github.repo("octo/hello").files({"docs/a.md": "a"})
    w.github.repo("old/repo", renamed_to="new/repo")
    w.github.repo("x/deleted", deleted=True)
    with httpx.Client(trust_env=True) as client:
        assert client.get("https://github.com/octo/hello").status_code == 200
        assert client.head("https://github.com/octo/hello").status_code == 200
        moved = client.get("https://github.com/old/repo/blob/main/README.md?plain=1")
        assert moved.status_code == 301
        assert (
            moved.headers["location"] == "https://github.com/new/repo/blob/main/README.md?plain=1"
        )
        assert client.get("https://github.com/x/deleted").status_code == 404
        assert client.get("https://github.com/octo/hello/blob/main/docs/a.md").status_code == 200
        assert client.get("https://github.com/octo/hello/blob/main/docs/b.md").status_code == 404
        raw = client.get("https://raw.githubusercontent.com/octo/hello/main/docs/a.md")
        assert raw.text == "a"
