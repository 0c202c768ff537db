"""`listwatch run` publishing through the simulated GitHub: the whole pull-request
lifecycle, each scenario asserting the repository state afterwards."""

from __future__ import annotations

import difflib
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from listwatch.publish.markers import proposal_ids

from .helpers import FAST_HTTP, load

pytestmark = pytest.mark.e2e

REPO = "owner/list"
BRANCH = "listwatch/updates"
API = "api.github.com"
LIST = ("# Papers\n\n"
        "* Tool paper (SOSP 2023) \\[[Paper](https://papers.example/tool)] "
        "\\[[Code](https://github.com/old/tool)]\n"
        "* Other paper (OSDI 2024) \\[[Paper](https://papers.example/other)] "
        "\\[[Code](https://github.com/other/thing)]\n"
        "\n## More\n\n"
        "* Third paper (NSDI 2022) \\[[Paper](https://papers.example/third)]\n")
RENAMED = LIST.replace("github.com/old/tool", "github.com/new/tool")
# Every fact is fetched afresh on each run: a test changes the world between runs.
SOURCES = """
[sources]
arxiv = {arxiv}
dblp = false
semantic_scholar = false
cache_max_age = "0s"
"""


def make_config(tmp_path: Path, extra: str = "", *, pr: str = "", arxiv: bool = False) -> Path:
    """``pr``: more ``[pr]`` keys; ``extra``: more sections."""
    config = tmp_path / "config.toml"
    sources = SOURCES.format(arxiv=str(arxiv).lower())
    config.write_text(f'[[targets]]\nrepo = "{REPO}"\nfiles = ["*.md"]\n{FAST_HTTP}'
                      f'\n[pr]\nwrite_interval = 0\n{pr}\n{sources}{extra}', encoding="utf-8")
    return config


def setup(world: Any, tmp_path: Path, *, push: bool = True, text: str = LIST,
          extra: str = "", pr: str = "", arxiv: bool = False) -> Path:
    """The list repository (``old/tool`` renamed to ``new/tool``) and its config."""
    with world.batch():
        world.github.repo(REPO, push=push).files({"list.md": text})
        world.github.repo("old/tool", renamed_to="new/tool", stars=10)
        world.github.repo("other/thing", stars=5)
        world.host("papers.example").default(status=200)
    return make_config(tmp_path, extra, pr=pr, arxiv=arxiv)


def cli(world: Any, config: Path, *args: str, token: bool = True
        ) -> subprocess.CompletedProcess[str]:
    env = {"GITHUB_TOKEN": world.github_token} if token else {}
    return world.run_cli("run", "--config", str(config), "--format", "json", *args,
                         extra_env=env)


def run(world: Any, config: Path, *args: str) -> dict[str, Any]:
    """One successful run; its target's ``published`` record."""
    result = cli(world, config, *args)
    assert result.returncode == 0, result.stderr
    assert world.github_token not in result.stdout + result.stderr
    report = load(result.stdout)
    [published] = report["published"]
    return {**published, "warnings": report["warnings"]}


def no_token_anywhere(world: Any, *outputs: str) -> None:
    """The token is in no output and nowhere on GitHub."""
    token = world.github_token
    texts = [*outputs]
    for pull in world.github.pulls(REPO):
        texts += [pull["title"], pull["body"] or ""]
    texts += [i["title"] + (i["body"] or "") for i in world.github.issues(REPO)]
    texts += [c["body"] for c in world.github.comments(REPO)]
    texts += [c["body"] for c in world.github.review_comments(REPO)]
    for ref in world.github.refs(REPO):
        if ref.startswith("refs/heads/"):
            texts += [c["message"] for c in world.github.commits(REPO, ref[len("refs/heads/"):])]
    assert texts and not [t for t in texts if token in t]


def writes(world: Any, since: int = 0) -> list[str]:
    """``METHOD path`` of every write to the GitHub API after request number ``since``."""
    return [f"{r.method} {r.path}" for r in world.requests(API)[since:]
            if r.method in ("POST", "PATCH", "PUT", "DELETE") and r.path != "/graphql"]


def changed_lines(old: str, new: str) -> list[tuple[str, str]]:
    """``(old line, new line)`` pairs of a line-by-line comparison (replacements only)."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    pairs = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if tag != "equal":
            assert tag == "replace" and i2 - i1 == j2 - j1, (tag, a[i1:i2], b[j1:j2])
            pairs.extend(zip(a[i1:i2], b[j1:j2], strict=True))
    return pairs


# -- 1-3: open, leave, update --------------------------------------------------------


def test_first_run_opens_one_pull_request_with_only_the_edited_line(world, tmp_path) -> None:
    config = setup(world, tmp_path)
    published = run(world, config)
    assert published["pull_request"]["action"] == "created"
    base = world.github.branch_files(REPO)["list.md"]
    head = world.github.branch_files(REPO, BRANCH)["list.md"]
    assert changed_lines(base, head) == [(
        "* Tool paper (SOSP 2023) \\[[Paper](https://papers.example/tool)] "
        "\\[[Code](https://github.com/old/tool)]\n",
        "* Tool paper (SOSP 2023) \\[[Paper](https://papers.example/tool)] "
        "\\[[Code](https://github.com/new/tool)]\n")]
    [pull] = world.github.pulls(REPO)
    assert pull["state"] == "open" and pull["head_ref"] == BRANCH and pull["head_repo"] == REPO
    assert pull["files"] == ["list.md"] and pull["base_ref"] == "main"
    assert pull["user"] == "listwatch-bot"
    assert pull["number"] == published["pull_request"]["number"]
    head_commit = world.github.commits(REPO, BRANCH)[0]
    assert pull["commits"] == [head_commit["sha"]] == [published["commit"]]
    assert head_commit["parents"] == [world.github.branch_head(REPO)["commit"]]
    assert head_commit["message"].rstrip().endswith("Generated-by: listwatch")


def test_a_second_run_with_the_same_facts_writes_nothing(world, tmp_path) -> None:
    config = setup(world, tmp_path)
    run(world, config)
    head = world.github.branch_head(REPO, BRANCH)
    [before] = world.github.pulls(REPO)
    seen = len(world.requests(API))
    published = run(world, config)
    assert published["pull_request"]["action"] == "unchanged" and not published["pushed"]
    assert published["commit"] == head["commit"]
    assert writes(world, seen) == []
    text = world.run_cli("run", "--config", str(config),
                         extra_env={"GITHUB_TOKEN": world.github_token}).stdout
    assert f"owner/list: nothing pushed to owner/list; branch {BRANCH} at " in text
    assert world.github.branch_head(REPO, BRANCH) == head
    assert world.github.pulls(REPO) == [before]


def test_a_new_fact_updates_the_same_pull_request(world, tmp_path) -> None:
    config = setup(world, tmp_path)
    first = run(world, config)
    assert first["pushed"]
    old_head = world.github.branch_head(REPO, BRANCH)["commit"]
    world.github.rename("other/thing", "other/thing2")
    second = run(world, config)
    assert second["pull_request"]["action"] == "updated"
    assert second["pull_request"]["number"] == first["pull_request"]["number"]
    [pull] = world.github.pulls(REPO)
    assert pull["head_sha"] != old_head and pull["head_sha"] == second["commit"]
    assert "other/thing2" in pull["body"]
    base = world.github.branch_files(REPO)["list.md"]
    head = world.github.branch_files(REPO, BRANCH)["list.md"]
    assert [new for _, new in changed_lines(base, head)] == [
        line for line in RENAMED.replace("other/thing)", "other/thing2)").splitlines(True)
        if line not in LIST.splitlines(True)]
    # Rebuilt on the base, not stacked on the first commit.
    assert world.github.commits(REPO, BRANCH)[0]["parents"] == [
        world.github.branch_head(REPO)["commit"]]


# -- 4-5: people ----------------------------------------------------------------------


def test_a_moved_base_is_followed(world, tmp_path) -> None:
    config = setup(world, tmp_path)
    first = run(world, config)
    added = "* Fourth paper (ATC 2024) \\[[Paper](https://papers.example/fourth)]\n"
    moved = world.github.push(REPO, "main", {"list.md": LIST + added, "NOTES.md": "notes\n"},
                              message="Add a paper")
    second = run(world, config)
    assert second["pull_request"] == {**first["pull_request"], "action": "updated"}
    assert second["pushed"] is True
    head = world.github.commits(REPO, BRANCH)[0]
    assert head["parents"] == [moved]
    files = world.github.branch_files(REPO, BRANCH)
    assert files == {"list.md": RENAMED + added, "NOTES.md": "notes\n"}
    assert len(changed_lines(world.github.branch_files(REPO)["list.md"], files["list.md"])) == 1
    [pull] = world.github.pulls(REPO)
    assert pull["files"] == ["list.md"] and len(pull["commits"]) == 1


def test_a_persons_commit_on_the_branch_is_left_alone_with_one_comment(world, tmp_path) -> None:
    config = setup(world, tmp_path)
    first = run(world, config)
    number = first["pull_request"]["number"]
    theirs = world.github.push(REPO, BRANCH, {"list.md": RENAMED + "* Mine\n"},
                               message="Add my paper", author="alice")
    world.github.rename("other/thing", "other/thing2")  # a reason to update the branch
    second = run(world, config)
    assert second["pull_request"]["action"] == "left-alone"
    assert world.github.branch_head(REPO, BRANCH)["commit"] == theirs
    [comment] = world.github.comments(REPO, number)
    assert comment["user"] == "listwatch-bot" and BRANCH in comment["body"]
    seen = len(world.requests(API))
    third = run(world, config)
    assert third["pull_request"]["action"] == "left-alone"
    assert len(world.github.comments(REPO, number)) == 1
    assert writes(world, seen) == []
    assert world.github.branch_head(REPO, BRANCH)["commit"] == theirs


# -- 6-8: closed, merged, nothing left ------------------------------------------------


def test_a_closed_pull_request_is_not_reopened_and_later_facts_open_a_new_one(
        world, tmp_path) -> None:
    config = setup(world, tmp_path)
    first = run(world, config)["pull_request"]["number"]
    declined_body = world.github.pulls(REPO)[0]["body"]
    world.github.close_pull(REPO, first)
    seen = len(world.requests(API))
    second = run(world, config)
    assert second["pull_request"]["action"] == "declined"
    # Not reopened, not commented on; only listwatch's own branch is tidied away.
    assert writes(world, seen) == [f"DELETE /repos/{REPO}/git/refs/heads/{BRANCH}"]
    assert [p["state"] for p in world.github.pulls(REPO)] == ["closed"]
    world.github.rename("other/thing", "other/thing2")
    third = run(world, config)
    assert third["pull_request"]["action"] == "created"
    closed, new = world.github.pulls(REPO)
    assert closed["state"] == "closed" and new["state"] == "open"
    assert new["number"] == third["pull_request"]["number"] != first
    base = world.github.branch_files(REPO)["list.md"]
    head = world.github.branch_files(REPO, BRANCH)["list.md"]
    assert changed_lines(base, head) == [(
        "* Other paper (OSDI 2024) \\[[Paper](https://papers.example/other)] "
        "\\[[Code](https://github.com/other/thing)]\n",
        "* Other paper (OSDI 2024) \\[[Paper](https://papers.example/other)] "
        "\\[[Code](https://github.com/other/thing2)]\n")]
    old_ids, new_ids = (_marker(declined_body), _marker(new["body"]))
    assert old_ids and new_ids and not old_ids & new_ids
    assert "old/tool" not in new["body"]


def _marker(body: str) -> set[str]:
    return set(proposal_ids(body))


def test_a_merged_pull_request_leaves_nothing_to_do(world, tmp_path) -> None:
    config = setup(world, tmp_path)
    first = run(world, config)["pull_request"]["number"]
    world.github.merge_pull(REPO, first)
    assert world.github.branch_files(REPO)["list.md"] == RENAMED
    second = run(world, config)
    # The merged branch is listwatch's own and fully merged: it is tidied away, as
    # GitHub's "delete head branches" setting or Renovate would.
    assert second["pull_request"] is None
    assert world.github.branch_head(REPO, BRANCH) is None
    [pull] = world.github.pulls(REPO)
    assert pull["merged"] and pull["state"] == "closed"
    assert world.github.comments(REPO) == []


def test_nothing_to_change_closes_the_open_pull_request_and_deletes_the_branch(
        world, tmp_path) -> None:
    config = setup(world, tmp_path)
    number = run(world, config)["pull_request"]["number"]
    world.github.push(REPO, "main", {"list.md": RENAMED}, message="Fix the link by hand")
    published = run(world, config)
    assert published["pull_request"] == {**published["pull_request"], "action": "closed",
                                         "number": number}
    [pull] = world.github.pulls(REPO)
    assert pull["state"] == "closed" and not pull["merged"]
    [comment] = world.github.comments(REPO, number)
    assert "Nothing is left to change" in comment["body"]
    assert world.github.branch_head(REPO, BRANCH) is None
    seen = len(world.requests(API))
    assert run(world, config)["pull_request"] is None
    assert writes(world, seen) == []


# -- 9-11: a fork, a crash, transient failures ------------------------------------------


def test_without_push_access_the_pull_request_comes_from_a_fork(world, tmp_path) -> None:
    config = setup(world, tmp_path, push=False)
    world.github.fork_latency(requests=2)
    published = run(world, config)
    assert published["push"] == "fork" and published["repository"] == "listwatch-bot/list"
    assert published["pull_request"]["action"] == "created"
    # It waited for the fork's git data before writing to it.
    polls = world.requests(API, method="GET", path="/repos/listwatch-bot/list/branches/main")
    assert len(polls) >= 2 and polls[0].status == 404 and polls[-1].status == 200
    assert world.github.branch_head(REPO, BRANCH) is None
    assert world.github.branch_files("listwatch-bot/list", BRANCH)["list.md"] == RENAMED
    [pull] = world.github.pulls(REPO)
    assert pull["head_repo"] == "listwatch-bot/list" and pull["head_ref"] == BRANCH
    assert pull["files"] == ["list.md"] and pull["maintainer_can_modify"]
    assert any("labels skipped" in warning for warning in published["warnings"])
    # A second run finds the fork and its pull request again.
    seen = len(world.requests(API))
    again = run(world, config)
    assert again["pull_request"]["action"] == "unchanged"
    assert writes(world, seen) == []
    assert len(world.github.pulls(REPO)) == 1
    # The list's base moves: the fork's branch is rebuilt on it.
    moved = world.github.push(REPO, "main", {"NOTES.md": "notes\n"})
    third = run(world, config)
    assert third["pushed"] and third["pull_request"]["action"] == "updated"
    assert world.github.commits("listwatch-bot/list", BRANCH)[0]["parents"] == [moved]
    [pull] = world.github.pulls(REPO)
    assert pull["files"] == ["list.md"] and len(pull["commits"]) == 1


def test_a_crash_between_the_commit_and_the_pull_request_is_finished_once(
        world, tmp_path) -> None:
    config = setup(world, tmp_path)
    world.github.fail_operation("POST /repos/{owner}/{repo}/pulls", status=500, times=2)
    crashed = cli(world, config)
    assert crashed.returncode == 3, crashed.stderr
    assert crashed.stderr.count("\n") == 1 and "pull request" in crashed.stderr
    pushed = world.github.branch_head(REPO, BRANCH)
    assert pushed is not None and world.github.pulls(REPO) == []
    published = run(world, config)
    assert published["pull_request"]["action"] == "created"
    assert published["commit"] == pushed["commit"]  # the pushed commit was kept
    [pull] = world.github.pulls(REPO)
    assert pull["head_sha"] == pushed["commit"] and pull["state"] == "open"


def test_a_502_and_secondary_rate_limits_are_retried(world, tmp_path) -> None:
    config = setup(world, tmp_path)
    world.github.secondary_rate_limit(times=1, retry_after=1, api="rest")
    world.github.fail_operation("POST /repos/{owner}/{repo}/git/trees", status=502)
    world.github.fail_operation(
        "POST /repos/{owner}/{repo}/pulls", status=403, retry_after=1,
        body="You have exceeded a secondary rate limit. Please wait a few minutes before "
             "you try again.")
    published = run(world, config)
    assert published["pull_request"]["action"] == "created"
    assert [r.status for r in world.requests(API, method="POST",
                                             path=f"/repos/{REPO}/git/trees")] == [502, 201]
    assert [r.status for r in world.requests(API, method="POST",
                                             path=f"/repos/{REPO}/pulls")] == [403, 201]
    assert len(world.github.pulls(REPO)) == 1


def test_a_write_github_made_before_its_502_is_not_repeated(world, tmp_path) -> None:
    """A 502 can come after GitHub did the work: before retrying an issue or a comment,
    listwatch looks for it, so there is still one dashboard and one comment."""
    config = setup(world, tmp_path)
    dead_at_once(config)
    world.host("papers.example").route("/other", status=404)
    world.github.fail_operation("POST /repos/{owner}/{repo}/issues", status=502, after=True)
    first = run(world, config, "--no-cache")
    assert [r.status for r in world.requests(API, method="POST",
                                             path=f"/repos/{REPO}/issues")] == [502]
    [issue] = dashboards(world)
    assert first["dashboard"] == {**first["dashboard"], "action": "created",
                                  "number": issue["number"]}
    number = first["pull_request"]["number"]
    world.github.push(REPO, "main", {"list.md": RENAMED}, message="Fix the link by hand")
    world.github.fail_operation("POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
                                status=502, after=True)
    assert run(world, config, "--no-cache")["pull_request"]["action"] == "closed"
    [comment] = world.github.comments(REPO, number)
    assert "Nothing is left to change" in comment["body"]


def test_review_suggestions_github_made_before_its_502_are_not_repeated(
        world, tmp_path) -> None:
    config = setup(world, tmp_path, text=TITLED, arxiv=True)
    world.arxiv.paper("2312.12456", title=NEW_TITLE, authors=["Yixin Song"], version=2)
    world.github.fail_operation("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
                                status=502, after=True)
    number = run(world, config)["pull_request"]["number"]
    assert len(world.github.reviews(REPO, number)) == 1
    assert len(world.github.review_comments(REPO, number)) == 1


# -- 12: the dashboard ------------------------------------------------------------------

def dead_at_once(config: Path) -> None:
    """A link that fails once is dead (no flakiness window)."""
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[check]\n", "[check]\nfail_runs = 1\nfail_hours = 0\n", 1),
                      encoding="utf-8")


def dashboards(world: Any) -> list[dict[str, Any]]:
    return [i for i in world.github.issues(REPO) if i["user"] == "listwatch-bot"]


def test_the_dashboard_is_created_updated_and_closed(world, tmp_path) -> None:
    config = setup(world, tmp_path)
    dead_at_once(config)
    # A person's issue with the same label and marker is not listwatch's dashboard.
    decoy = world.github.open_issue(REPO, "Link health (copy)", "<!-- listwatch:dashboard "
                                    "owner/list -->", labels=["listwatch"])
    site = world.host("papers.example")
    site.route("/other", status=404)
    first = run(world, config, "--no-cache")
    assert first["dashboard"]["action"] == "created"
    [issue] = dashboards(world)
    assert issue["state"] == "open" and issue["number"] == first["dashboard"]["number"]
    assert issue["labels"] == ["listwatch"] and issue["user"] == "listwatch-bot"
    assert "https://papers.example/other" in issue["body"]
    assert "<!-- listwatch:dashboard owner/list -->" in issue["body"]
    site.route("/other", status=200)
    site.route("/third", status=404)
    second = run(world, config, "--no-cache")
    assert second["dashboard"] == {**first["dashboard"], "action": "updated"}
    [issue] = dashboards(world)
    assert "papers.example/third" in issue["body"] and "papers.example/other" not in issue["body"]
    site.route("/third", status=200)
    third = run(world, config, "--no-cache")
    assert third["dashboard"] == {**first["dashboard"], "action": "closed"}
    assert [i["state"] for i in dashboards(world)] == ["closed"]
    [person] = [i for i in world.github.issues(REPO) if i["number"] == decoy]
    assert person["state"] == "open" and person["body"].startswith("<!-- listwatch")
    no_token_anywhere(world)


def test_without_push_access_the_dashboard_is_found_again(world, tmp_path) -> None:
    """GitHub drops the labels of an issue opened without push access: the dashboard is
    found again by its creator and marker alone."""
    config = setup(world, tmp_path, push=False)
    dead_at_once(config)
    world.host("papers.example").route("/other", status=404)
    first = run(world, config, "--no-cache")
    assert first["dashboard"]["action"] == "created"
    second = run(world, config, "--no-cache")
    assert second["dashboard"]["action"] in ("updated", "unchanged")
    assert second["dashboard"]["number"] == first["dashboard"]["number"]
    [issue] = dashboards(world)
    assert issue["state"] == "open" and issue["labels"] == []


# -- decorations, suggestions -------------------------------------------------------------


def test_labels_are_created_and_reviewers_assignees_and_draft_honoured(world, tmp_path) -> None:
    config = setup(world, tmp_path, pr='labels = ["listwatch", "bots"]\nreviewers = ["alice"]\n'
                   'assignees = ["owner"]\ndraft = true\n')
    world.github.add_label(REPO, "bots", color="123456")
    run(world, config)
    [pull] = world.github.pulls(REPO)
    assert pull["draft"] and sorted(pull["labels"]) == ["bots", "listwatch"]
    assert pull["requested_reviewers"] == ["alice"] and pull["assignees"] == ["owner"]
    colours = {label["name"]: label["color"] for label in world.github.labels(REPO)}
    assert colours == {"bots": "123456", "listwatch": "0e8a16"}
    # Labels exist now: a second run creates none.
    seen = len(world.requests(API))
    run(world, config)
    assert writes(world, seen) == []


TITLED = LIST.replace("* Other paper", "* PowerInfer: Fast LLM Serving (arXiv 2312.12456) "
                      "\\[[arXiv](https://arxiv.org/abs/2312.12456)]\n* Other paper")
NEW_TITLE = "PowerInfer: Fast Large Language Model Serving with a Consumer-grade GPU"


def test_a_low_confidence_title_is_suggested_on_the_diff_once(world, tmp_path) -> None:
    config = setup(world, tmp_path, text=TITLED, arxiv=True)
    world.arxiv.paper("2312.12456", title=NEW_TITLE, authors=["Yixin Song"], version=2)
    published = run(world, config)
    number = published["pull_request"]["number"]
    [comment] = world.github.review_comments(REPO, number)
    assert comment["path"] == "list.md" and comment["line"] == 4 and comment["side"] == "RIGHT"
    assert comment["commit_id"] == published["commit"]
    assert f"```suggestion\n* {NEW_TITLE} (arXiv 2312.12456)" in comment["body"]
    [review] = world.github.reviews(REPO, number)
    assert review["state"] == "COMMENTED"
    # The title is not applied: the branch changes only the renamed repository's line.
    head = world.github.branch_files(REPO, BRANCH)["list.md"]
    assert [old for old, _ in changed_lines(TITLED, head)] == [
        line for line in TITLED.splitlines(True) if "old/tool" in line]
    [pull] = world.github.pulls(REPO)
    assert "suggested on the diff" in pull["body"]
    seen = len(world.requests(API))
    run(world, config)
    assert len(world.github.review_comments(REPO, number)) == 1
    assert writes(world, seen) == []


# -- dry runs, refusals, exit codes ---------------------------------------------------------


def _dry(world: Any, config: Path) -> str:
    seen = len(world.requests(API))
    result = world.run_cli("run", "--config", str(config), "--dry-run",
                           extra_env={"GITHUB_TOKEN": world.github_token})
    assert result.returncode == 0, result.stderr
    assert writes(world, seen) == []
    assert world.github_token not in result.stdout + result.stderr
    return result.stdout


def test_a_dry_run_says_where_it_would_push_and_what_it_would_do(world, tmp_path) -> None:
    config = setup(world, tmp_path)
    out = _dry(world, config)
    assert "owner/list: would push to owner/list, branch listwatch/updates" in out
    assert "pull request: would be created" in out
    assert world.github.pulls(REPO) == [] and world.github.branch_head(REPO, BRANCH) is None
    number = run(world, config)["pull_request"]["number"]
    world.github.rename("other/thing", "other/thing2")
    out = _dry(world, config)
    assert f"pull request #{number}: would be updated" in out
    assert "other/thing2" not in world.github.pulls(REPO)[0]["body"]


def test_a_dry_run_without_push_access_says_it_would_fork(world, tmp_path) -> None:
    config = setup(world, tmp_path, push=False)
    out = _dry(world, config)
    assert "would push to a fork of owner/list (listwatch-bot/list)" in out
    assert "would fork owner/list to listwatch-bot/list" in out
    assert "pull request: would be created" in out
    with pytest.raises(Exception, match="no repository"):
        world.github.branch_head("listwatch-bot/list")


def test_a_refused_write_is_one_line_naming_the_permission(world, tmp_path) -> None:
    # A fine-grained token with read-only contents: the user may push, the token may not.
    config = setup(world, tmp_path)
    world.github.fail_operation("POST /repos/{owner}/{repo}/git/blobs", status=403,
                                body="Resource not accessible by personal access token")
    result = cli(world, config)
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1, result.stderr
    assert "'contents: write'" in result.stderr and "HTTP 403" in result.stderr
    assert world.github_token not in result.stdout + result.stderr
    assert world.github.pulls(REPO) == []


def test_an_exhausted_rate_limit_is_not_taken_for_a_missing_permission(world, tmp_path) -> None:
    config = setup(world, tmp_path)
    # Enough for reading the list and a few publishing calls, not for all of them.
    world.github.rate_limit(rest_remaining=8)
    result = cli(world, config)
    assert result.returncode == 3, result.stderr
    assert result.stderr.count("\n") == 1
    assert "rate limit is exhausted (HTTP 403), until" in result.stderr
    assert "permission" not in result.stderr


def test_publishing_without_a_token_is_a_usage_error(world, tmp_path) -> None:
    config = setup(world, tmp_path)
    result = cli(world, config, token=False)
    assert result.returncode == 2 and "GITHUB_TOKEN" in result.stderr
    assert world.requests(API) == []


def test_github_unreachable_is_exit_3(world, tmp_path) -> None:
    config = setup(world, tmp_path)
    world.fail(API, 503)
    result = cli(world, config)
    assert result.returncode == 3, result.stderr
    assert result.stderr.count("\n") == 1


def test_the_token_appears_nowhere(world, tmp_path) -> None:
    config = setup(world, tmp_path, text=TITLED, arxiv=True)
    dead_at_once(config)
    world.arxiv.paper("2312.12456", title=NEW_TITLE, authors=["Yixin Song"], version=2)
    world.host("papers.example").route("/other", status=404)
    outputs = []
    for fmt in ("text", "json", "markdown"):
        result = world.run_cli("run", "--config", str(config), "--format", fmt, "--no-cache",
                               extra_env={"GITHUB_TOKEN": world.github_token})
        assert result.returncode == 0, result.stderr
        outputs += [result.stdout, result.stderr]
    assert world.github.issues(REPO) and world.github.review_comments(REPO)
    no_token_anywhere(world, *outputs)


# -- the long-running worker ------------------------------------------------------------


def test_the_scheduled_worker_publishes_like_run(world, tmp_path) -> None:
    """``listwatch schedule`` runs the real job: without ``--dry-run`` it opens the pull
    request, and its log names it."""
    config = setup(world, tmp_path)
    env = {**world.env, "GITHUB_TOKEN": world.github_token}
    worker = subprocess.Popen([sys.executable, "-m", "listwatch", "schedule", "--config",
                               str(config), "--now"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not world.github.pulls(REPO):
            time.sleep(0.2)
        time.sleep(1.0)
        worker.send_signal(signal.SIGTERM)
        stdout, stderr = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, stderr
    [pull] = world.github.pulls(REPO)
    assert pull["files"] == ["list.md"]
    assert world.github.branch_files(REPO, BRANCH)["list.md"] == RENAMED
    assert f"pull request #{pull['number']}: created https://github.com/{REPO}/pull/" in stderr, stdout + stderr
    assert "run failed" not in stderr
    no_token_anywhere(world, stdout, stderr)
