"""Pull requests, reviews, issues, labels, forks and injected faults of the fake GitHub,
through the proxy: what GitHub accepts and what it refuses."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.e2e

UP = "https://api.github.com/repos/up/list"
BOT = "https://api.github.com/repos/listwatch-bot/list"
LIST = "".join(f"* paper {i}\n" for i in range(1, 21))


@pytest.fixture
def gh(world_inprocess):
    world_inprocess.github.repo("up/list").files({"lists/llm.md": LIST})  # no push access
    headers = {"Authorization": f"Bearer {world_inprocess.github_token}"}
    with httpx.Client(trust_env=True, timeout=30, headers=headers) as c:
        yield c


def _fork_and_commit(w, gh) -> str:
    assert gh.post(f"{UP}/forks", json={"default_branch_only": True}).status_code == 202
    return w.github.push(
        "listwatch-bot/list",
        "listwatch",
        {"lists/llm.md": LIST.replace("paper 10", "Paper 10")},
        author="listwatch-bot",
        message="Fix case",
    )


def test_fork_is_asynchronous_then_pushable(world_inprocess, gh):
    w = world_inprocess
    w.github.fork_latency(requests=3)
    first = gh.post(f"{UP}/forks", json={})
    assert first.status_code == 202
    fork = first.json()
    assert fork["full_name"] == "listwatch-bot/list" and fork["fork"] is True
    assert fork["parent"]["full_name"] == "up/list" and fork["permissions"]["push"] is True
    assert gh.post(f"{UP}/forks", json={}).json()["id"] == fork["id"]  # same fork again
    assert gh.get(f"{BOT}/branches/main").status_code == 404  # not there yet
    assert gh.get(f"{BOT}/git/ref/heads/main").status_code == 409  # still empty
    branch = gh.get(f"{BOT}/branches/main")
    assert branch.status_code == 200
    assert branch.json()["commit"]["sha"] == w.github.branch_head("up/list")["commit"]
    # The upstream moves on; merge-upstream fast-forwards the fork's branch.
    w.github.push("up/list", "main", {"NEW.md": "new\n"}, author="alice")
    synced = gh.post(f"{BOT}/merge-upstream", json={"branch": "main"}).json()
    assert synced["merge_type"] == "fast-forward"
    assert gh.post(f"{BOT}/merge-upstream", json={"branch": "main"}).json()["merge_type"] == "none"
    assert gh.post(f"{UP}/merge-upstream", json={"branch": "main"}).status_code == 403


@pytest.mark.world_violations_expected
def test_cross_fork_pull_request_lifecycle(world_inprocess, gh):
    w = world_inprocess
    head = _fork_and_commit(w, gh)
    body = {
        "title": "Fix case",
        "body": "Because.",
        "head": "listwatch-bot:listwatch",
        "base": "main",
        "maintainer_can_modify": True,
    }
    created = gh.post(f"{UP}/pulls", json=body)
    assert created.status_code == 201, created.text
    pr = created.json()
    assert (pr["number"], pr["head"]["sha"], pr["head"]["label"]) == (
        1,
        head,
        "listwatch-bot:listwatch",
    )
    assert (
        pr["maintainer_can_modify"] is True and pr["merged"] is False and pr["changed_files"] == 1
    )
    again = gh.post(f"{UP}/pulls", json=body)
    assert again.status_code == 422
    assert (
        again.json()["errors"][0]["message"]
        == "A pull request already exists for listwatch-bot:listwatch."
    )
    same = gh.post(f"{UP}/pulls", json={**body, "head": "listwatch-bot:main"})
    assert (
        same.json()["errors"][0]["message"] == "No commits between up:main and listwatch-bot:main"
    )
    assert gh.post(f"{UP}/pulls", json={**body, "head": "listwatch-bot:nope"}).json()["errors"][
        0
    ] == {"resource": "PullRequest", "field": "head", "code": "invalid"}
    missing = gh.post(f"{UP}/pulls", json={"title": "t", "head": "listwatch-bot:listwatch"})
    assert missing.status_code == 422 and '"base" wasn\'t supplied' in missing.json()["message"]
    # Filters.
    assert [
        p["number"]
        for p in gh.get(f"{UP}/pulls", params={"head": "listwatch-bot:listwatch"}).json()
    ] == [1]
    assert gh.get(f"{UP}/pulls", params={"head": "listwatch-bot:other"}).json() == []
    assert gh.get(f"{UP}/pulls", params={"state": "closed"}).json() == []
    # A person pushes to the PR branch; the PR follows the branch head.
    newer = w.github.push(
        "listwatch-bot/list",
        "listwatch",
        {"lists/llm.md": LIST.replace("paper 10", "PAPER 10")},
        author="maintainer",
    )
    assert gh.get(f"{UP}/pulls/1").json()["head"]["sha"] == newer
    # merged is read-only: PATCH ignores it.
    upd = gh.patch(f"{UP}/pulls/1", json={"title": "Fix case (2)", "merged": True}).json()
    assert upd["title"] == "Fix case (2)" and upd["merged"] is False
    merge_sha = w.github.merge_pull("up/list", 1)
    got = gh.get(f"{UP}/pulls/1").json()
    assert (got["state"], got["merged"], got["merge_commit_sha"]) == ("closed", True, merge_sha)
    assert w.github.branch_files("up/list")["lists/llm.md"].count("PAPER 10") == 1
    assert gh.patch(f"{UP}/pulls/1", json={"state": "open"}).status_code == 422
    [info] = w.github.pulls("up/list")
    assert (
        info["merged"]
        and info["head_repo"] == "listwatch-bot/list"
        and info["files"] == ["lists/llm.md"]
    )


def test_reviews_and_review_comments_must_sit_in_the_diff(world_inprocess, gh):
    w = world_inprocess
    head = _fork_and_commit(w, gh)
    gh.post(f"{UP}/pulls", json={"title": "t", "head": "listwatch-bot:listwatch", "base": "main"})
    suggestion = "```suggestion\n* Paper 10\n```"
    ok = gh.post(
        f"{UP}/pulls/1/comments",
        json={
            "body": suggestion,
            "commit_id": head,
            "path": "lists/llm.md",
            "line": 10,
            "side": "RIGHT",
        },
    )
    assert ok.status_code == 201 and ok.json()["line"] == 10
    far = gh.post(
        f"{UP}/pulls/1/comments",
        json={"body": "x", "commit_id": head, "path": "lists/llm.md", "line": 1, "side": "RIGHT"},
    )
    assert far.status_code == 422
    assert (
        far.json()["errors"][0]["message"]
        == "pull_request_review_thread.line must be part of the diff"
    )
    review = gh.post(
        f"{UP}/pulls/1/reviews",
        json={
            "event": "COMMENT",
            "body": "see",
            "comments": [{"path": "lists/llm.md", "line": 12, "side": "RIGHT", "body": suggestion}],
        },
    )
    assert review.status_code == 200 and review.json()["state"] == "COMMENTED"
    bad = gh.post(
        f"{UP}/pulls/1/reviews",
        json={
            "event": "COMMENT",
            "body": "x",
            "comments": [{"path": "lists/llm.md", "line": 20, "side": "RIGHT", "body": "x"}],
        },
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == ["Pull request review thread line must be part of the diff"]
    own = gh.post(f"{UP}/pulls/1/reviews", json={"event": "APPROVE"})
    assert own.json()["errors"] == ["Can not approve your own pull request"]
    assert len(w.github.review_comments("up/list", 1)) == 2
    assert [r["state"] for r in w.github.reviews("up/list")] == ["COMMENTED"]
    req = gh.post(f"{UP}/pulls/1/requested_reviewers", json={"reviewers": ["alice"]})
    assert req.status_code == 403  # needs write access to the upstream
    w.github.repo("up/list", push=True)  # redeclared: runtime state (the PR) survives
    req = gh.post(f"{UP}/pulls/1/requested_reviewers", json={"reviewers": ["alice"]})
    assert req.status_code == 201
    assert gh.get(f"{UP}/pulls/1/requested_reviewers").json()["users"][0]["login"] == "alice"
    assert (
        gh.post(
            f"{UP}/pulls/1/requested_reviewers", json={"reviewers": ["listwatch-bot"]}
        ).status_code
        == 422
    )


def test_issues_comments_and_labels(world_inprocess, gh):
    w = world_inprocess
    w.github.repo("listwatch-bot/dash").files({"README.md": "x"})  # owned: push
    dash = "https://api.github.com/repos/listwatch-bot/dash"
    made = gh.post(
        f"{dash}/issues", json={"title": "Dashboard", "body": "b", "labels": ["listwatch"]}
    )
    assert made.status_code == 201 and [x["name"] for x in made.json()["labels"]] == ["listwatch"]
    label = gh.post(f"{dash}/labels", json={"name": "LISTWATCH", "color": "ff0000"})
    assert label.status_code == 422 and label.json()["errors"][0]["code"] == "already_exists"
    assert gh.post(f"{dash}/labels", json={"name": "stale"}).status_code == 201
    assert gh.post(f"{dash}/issues/1/labels", json={"labels": ["stale"]}).status_code == 200
    gh.post(f"{dash}/issues", json={"title": "Other"})
    by_label = gh.get(
        f"{dash}/issues", params={"labels": "listwatch,stale", "creator": "listwatch-bot"}
    )
    assert [i["number"] for i in by_label.json()] == [1]
    comment = gh.post(f"{dash}/issues/1/comments", json={"body": "first"}).json()
    gh.patch(f"{dash}/issues/comments/{comment['id']}", json={"body": "edited"})
    w.github.comment("listwatch-bot/dash", 1, "thanks", by="alice")
    assert [c["body"] for c in gh.get(f"{dash}/issues/1/comments").json()] == ["edited", "thanks"]
    assert gh.patch(f"{dash}/issues/1", json={"state": "closed"}).json()["state"] == "closed"
    assert [i["number"] for i in gh.get(f"{dash}/issues").json()] == [2]
    found = gh.get(
        "https://api.github.com/search/issues",
        params={"q": "repo:listwatch-bot/dash is:issue label:stale"},
    ).json()
    assert found["total_count"] == 1
    # Without push access, labels on a new issue are silently dropped (GitHub documents it),
    # and creating labels is refused.
    up = gh.post(f"{UP}/issues", json={"title": "Report", "labels": ["bug"]}).json()
    assert up["labels"] == []
    assert gh.post(f"{UP}/labels", json={"name": "bug"}).status_code == 403
    assert [i["title"] for i in w.github.issues("up/list")] == ["Report"]


def test_fail_operation_and_secondary_limit_on_writes(world_inprocess, gh):
    w = world_inprocess
    _fork_and_commit(w, gh)
    w.github.fail_operation("POST /repos/{owner}/{repo}/pulls", status=502, times=1)
    body = {"title": "t", "head": "listwatch-bot:listwatch", "base": "main"}
    assert gh.get(UP).status_code == 200  # other operations are untouched
    assert gh.post(f"{UP}/pulls", json=body).status_code == 502
    assert gh.post(f"{UP}/pulls", json=body).status_code == 201
    w.github.secondary_rate_limit(times=1, retry_after=7, api="rest")
    hit = gh.post(f"{UP}/issues/1/comments", json={"body": "x"})
    assert hit.status_code == 403 and hit.headers["retry-after"] == "7"
    assert gh.post(f"{UP}/issues/1/comments", json={"body": "x"}).status_code == 201
    with pytest.raises(ValueError):
        w.github.fail_operation("POST /repos/{owner}/{repo}/nope")
