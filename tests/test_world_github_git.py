"""The fake GitHub's git data, refs, branches, commits, raw files and permissions accept
what GitHub accepts and refuse what it refuses, through the proxy."""

from __future__ import annotations

import base64

import github
import httpx
import pytest

pytestmark = pytest.mark.e2e

API = "https://api.github.com/repos/o/list"


def client(world, token: str | None = "default") -> httpx.Client:
    headers = {"Accept": "application/vnd.github+json"}
    if token:
        headers["Authorization"] = f"Bearer {world.github_token if token == 'default' else token}"
    return httpx.Client(trust_env=True, timeout=30, headers=headers)


@pytest.fixture
def gh(world_inprocess):
    world_inprocess.github.repo("o/list", push=True).files(
        {"README.md": "# List\n", "lists/llm.md": "* A\n* B\n"}
    )
    with client(world_inprocess) as c:
        yield c


def test_seeded_repository_is_real_git(world_inprocess, gh):
    head = world_inprocess.github.branch_head("o/list")
    branch = gh.get(f"{API}/branches/main").json()
    assert branch["commit"]["sha"] == head["commit"]
    assert branch["commit"]["commit"]["tree"]["sha"] == head["tree"]
    tree = gh.get(f"{API}/git/trees/{head['tree']}", params={"recursive": "1"}).json()
    assert tree["sha"] == head["tree"]
    assert [(e["path"], e["type"]) for e in tree["tree"]] == [
        ("README.md", "blob"),
        ("lists", "tree"),
        ("lists/llm.md", "blob"),
    ]
    # A branch name or a commit SHA names the same (root) tree.
    assert gh.get(f"{API}/git/trees/main").json()["sha"] == head["tree"]
    assert gh.get(f"{API}/git/trees/{head['commit']}").json()["sha"] == head["tree"]
    blob = tree["tree"][2]["sha"]
    content = gh.get(f"{API}/contents/lists/llm.md", params={"ref": head["commit"]}).json()
    assert content["sha"] == blob
    assert base64.b64decode(gh.get(f"{API}/git/blobs/{blob}").json()["content"]) == b"* A\n* B\n"
    commit = gh.get(f"{API}/git/commits/{head['commit']}").json()
    assert commit["tree"]["sha"] == head["tree"] and commit["parents"] == []
    # The Git Data commit endpoint takes SHAs only; the tree SHA is no commit.
    assert gh.get(f"{API}/git/commits/main").status_code == 404
    assert gh.get(f"{API}/git/commits/{head['tree']}").status_code == 404
    assert gh.get(f"{API}/contents/README.md", params={"ref": head["tree"]}).status_code == 404
    assert gh.get(f"{API}/branches/nope").json()["message"] == "Branch not found"
    assert gh.get(f"{API}/git/blobs/{'0' * 40}").status_code == 404


def test_raw_files_by_branch_tag_or_commit_never_by_tree(world_inprocess, gh):
    w = world_inprocess
    head = w.github.branch_head("o/list")
    w.github.push("o/list", "lists/v2", {"lists/llm.md": "* C\n"}, author="alice")
    raw = "https://raw.githubusercontent.com/o/list"
    with httpx.Client(trust_env=True) as anon:
        assert anon.get(f"{raw}/main/lists/llm.md").text == "* A\n* B\n"
        assert anon.get(f"{raw}/{head['commit']}/lists/llm.md").text == "* A\n* B\n"
        assert anon.get(f"{raw}/{head['tree']}/lists/llm.md").status_code == 404
        assert anon.get(f"{raw}/lists/v2/lists/llm.md").text == "* C\n"  # branch with a slash
        assert anon.get(f"{raw}/nope/lists/llm.md").status_code == 404
        assert anon.get(f"{raw}/main/lists").status_code == 404  # a directory is no file
    assert gh.get(f"{API}/branches/lists/v2").json()["name"] == "lists/v2"
    assert gh.get(f"{API}/branches/lists%2Fv2").json()["name"] == "lists/v2"


def test_commit_a_change_through_the_git_data_api(world_inprocess, gh):
    w = world_inprocess
    head = w.github.branch_head("o/list")
    blob = gh.post(f"{API}/git/blobs", json={"content": "* A\n* B\n* New\n"})
    assert blob.status_code == 201
    tree = gh.post(
        f"{API}/git/trees",
        json={
            "base_tree": head["tree"],
            "tree": [
                {
                    "path": "lists/llm.md",
                    "mode": "100644",
                    "type": "blob",
                    "sha": blob.json()["sha"],
                },
                {
                    "path": "lists/new/deep.md",
                    "mode": "100644",
                    "type": "blob",
                    "content": "deep\n",
                },
                {"path": "README.md", "mode": "100644", "type": "blob", "sha": None},
            ],
        },
    )
    assert tree.status_code == 201, tree.text
    commit = gh.post(
        f"{API}/git/commits",
        json={"message": "Add New", "tree": tree.json()["sha"], "parents": [head["commit"]]},
    )
    assert commit.status_code == 201
    sha = commit.json()["sha"]
    made = gh.post(f"{API}/git/refs", json={"ref": "refs/heads/listwatch/update", "sha": sha})
    assert made.status_code == 201 and made.json()["object"]["sha"] == sha
    assert w.github.branch_files("o/list", "listwatch/update") == {
        "lists/llm.md": "* A\n* B\n* New\n",
        "lists/new/deep.md": "deep\n",
    }
    [newest, oldest] = w.github.commits("o/list", "listwatch/update")
    assert newest["author"]["login"] == "listwatch-bot" and newest["parents"] == [oldest["sha"]]
    ref = gh.get(f"{API}/git/ref/heads/listwatch/update").json()
    assert ref["ref"] == "refs/heads/listwatch/update"
    assert [r["ref"] for r in gh.get(f"{API}/git/matching-refs/heads/listwatch").json()] == [
        "refs/heads/listwatch/update"
    ]
    listed = gh.get(f"{API}/commits", params={"sha": "listwatch/update"}).json()
    assert [c["sha"] for c in listed] == [sha, head["commit"]]
    single = gh.get(f"{API}/commits/{sha}").json()
    assert {f["filename"]: f["status"] for f in single["files"]} == {
        "README.md": "removed",
        "lists/llm.md": "modified",
        "lists/new/deep.md": "added",
    }
    cmp = gh.get(f"{API}/compare/main...listwatch/update").json()
    assert (cmp["status"], cmp["ahead_by"], cmp["behind_by"]) == ("ahead", 1, 0)
    # Fast-forward main, then delete the branch.
    assert gh.patch(f"{API}/git/refs/heads/main", json={"sha": sha}).status_code == 200
    assert gh.delete(f"{API}/git/refs/heads/listwatch/update").status_code == 204
    assert w.github.branch_head("o/list", "listwatch/update") is None


@pytest.mark.world_violations_expected
def test_git_data_refusals(world_inprocess, gh):
    head = world_inprocess.github.branch_head("o/list")
    w = world_inprocess

    def msg(resp: httpx.Response) -> tuple[int, str]:
        return resp.status_code, resp.json()["message"]

    ref = {"ref": "refs/heads/main", "sha": head["commit"]}
    assert msg(gh.post(f"{API}/git/refs", json=ref)) == (422, "Reference already exists")
    assert msg(
        gh.post(f"{API}/git/refs", json={**ref, "ref": "refs/heads/x", "sha": "1" * 40})
    ) == (422, "Object does not exist")
    assert msg(gh.patch(f"{API}/git/refs/heads/nope", json={"sha": head["commit"]})) == (
        422,
        "Reference does not exist",
    )
    assert msg(gh.delete(f"{API}/git/refs/heads/nope")) == (422, "Reference does not exist")
    # A commit whose parent is a tree or blob, or whose tree is a commit.
    tree_parent = {"message": "m", "tree": head["tree"], "parents": [head["tree"]]}
    assert gh.post(f"{API}/git/commits", json=tree_parent).status_code == 422
    assert msg(gh.post(f"{API}/git/commits", json={"message": "m", "tree": head["commit"]})) == (
        422,
        "Tree SHA does not exist",
    )
    short = gh.post(f"{API}/git/commits", json={**tree_parent, "parents": ["abc"]})
    assert short.json()["message"].startswith("Each SHA in the 'parents' parameter")
    # Not a fast-forward: a root commit with no relation to main.
    other = gh.post(f"{API}/git/commits", json={"message": "root", "tree": head["tree"]}).json()
    assert msg(gh.patch(f"{API}/git/refs/heads/main", json={"sha": other["sha"]})) == (
        422,
        "Update is not a fast forward",
    )
    assert (
        gh.patch(
            f"{API}/git/refs/heads/main", json={"sha": other["sha"], "force": True}
        ).status_code
        == 200
    )
    # Trees.
    assert msg(gh.post(f"{API}/git/trees", json={"base_tree": head["commit"], "tree": []})) == (
        422,
        "base_tree is not a valid tree oid",
    )
    bad_blob = [{"path": "a", "mode": "100644", "type": "blob", "sha": head["tree"]}]
    assert msg(gh.post(f"{API}/git/trees", json={"tree": bad_blob})) == (
        422,
        f"tree.sha {head['tree']} is not a valid blob",
    )
    both = [{"path": "a", "mode": "100644", "type": "blob", "sha": "1" * 40, "content": "x"}]
    assert gh.post(f"{API}/git/trees", json={"tree": both}).status_code == 422
    # Body validation: missing required field, wrong type, bad enum, not JSON.
    assert msg(gh.post(f"{API}/git/refs", json={"ref": "refs/heads/y"})) == (
        422,
        'Invalid request.\n\n"sha" wasn\'t supplied.',
    )
    wrong = gh.patch(f"{API}/git/refs/heads/main", json={"sha": head["commit"], "force": "yes"})
    assert wrong.status_code == 422 and "is not a boolean" in wrong.json()["message"]
    bad_mode = [{"path": "a", "mode": "100600", "type": "blob", "content": "x"}]
    assert gh.post(f"{API}/git/trees", json={"tree": bad_mode}).status_code == 422
    assert gh.post(f"{API}/git/blobs", content=b"{not json").status_code == 400
    assert len([v for v in w.violations() if "request body refused" in v]) == 4
    # An empty repository.
    w.github.repo("o/empty", push=True)
    empty = "https://api.github.com/repos/o/empty"
    assert msg(gh.get(f"{empty}/git/trees/main")) == (409, "Git Repository is empty.")
    assert msg(gh.post(f"{empty}/git/blobs", json={"content": "x"})) == (
        409,
        "Git Repository is empty.",
    )


def test_writes_need_a_token_and_push_access(world_inprocess, gh):
    w = world_inprocess
    w.github.repo("other/list").files({"README.md": "x"})  # owned by someone else
    head = w.github.branch_head("other/list")
    body = {"ref": "refs/heads/x", "sha": head["commit"]}
    other = "https://api.github.com/repos/other/list"
    with client(w, token=None) as anon:
        resp = anon.post(f"{other}/git/refs", json=body)
        assert resp.status_code == 401 and resp.json()["message"] == "Requires authentication"
    denied = gh.post(f"{other}/git/refs", json=body)
    assert denied.status_code == 403
    assert denied.json()["message"] == "Resource not accessible by integration"
    w.github.write_denied_status(404)
    assert gh.post(f"{other}/git/refs", json=body).status_code == 404
    perms = gh.get(other).json()["permissions"]
    assert perms["push"] is False and perms["pull"] is True
    assert gh.get(API).json()["permissions"]["push"] is True
    with client(w, token=None) as anon:
        assert "permissions" not in anon.get(other).json()


def test_pygithub_commits_and_opens_a_pull_request(world_inprocess):
    w = world_inprocess
    w.github.repo("o/list", push=True).files({"lists/llm.md": "* A\n"})
    gh = github.Github(auth=github.Auth.Token(w.github_token), retry=None)
    repo = gh.get_repo("o/list")
    main = repo.get_branch("main")
    element = github.InputGitTreeElement("lists/llm.md", "100644", "blob", content="* A\n* B\n")
    tree = repo.create_git_tree([element], base_tree=repo.get_git_tree(main.commit.commit.tree.sha))
    parent = repo.get_git_commit(main.commit.sha)
    commit = repo.create_git_commit("Add B", tree, [parent])
    repo.create_git_ref("refs/heads/listwatch", commit.sha)
    pr = repo.create_pull(title="Add B", body="why", head="listwatch", base="main")
    assert pr.number == 1 and pr.head.sha == commit.sha and pr.mergeable
    assert [f.filename for f in pr.get_files()] == ["lists/llm.md"]
    assert [c.sha for c in pr.get_commits()] == [commit.sha]
    assert [p.number for p in repo.get_pulls(state="open", head="o:listwatch")] == [1]
    with pytest.raises(github.GithubException) as exc:
        repo.create_git_ref("refs/heads/listwatch", commit.sha)
    assert exc.value.status == 422
