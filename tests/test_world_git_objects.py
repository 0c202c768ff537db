"""The world's git object store gives the ids real git gives (checked with git itself)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.world.git_diff import file_diff
from tests.world.git_objects import (
    EMPTY_TREE,
    ObjectStore,
    Person,
    TreeEntry,
    merge_flat,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

FILES = {
    "README.md": b"# List\n",
    "docs/a.md": b"A\n",
    "docs-x": b"sorts before docs/ in git order",
    "docs.md": b"and this one after docs/",
    "deep/er/still/file.txt": b"\x00\xffbinary",
    "empty": b"",
}


def git(repo: Path, *args: str, stdin: bytes | None = None, env: dict | None = None) -> str:
    full_env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo), **(env or {})}
    out = subprocess.run(
        ["git", *args], cwd=repo, input=stdin, capture_output=True, env=full_env, check=True
    )
    return out.stdout.decode().strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", ".")
    return tmp_path


def test_blob_ids_equal_git_hash_object(repo: Path) -> None:
    store = ObjectStore()
    for content in FILES.values():
        assert store.put_blob(content) == git(repo, "hash-object", "--stdin", stdin=content)


def test_nested_tree_and_commit_ids_equal_git(repo: Path) -> None:
    for path, content in FILES.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_bytes(content)
    (repo / "run.sh").write_bytes(b"#!/bin/sh\n")
    (repo / "run.sh").chmod(0o755)
    (repo / "link").symlink_to("docs/a.md")
    git(repo, "add", "-A")
    expected_tree = git(repo, "write-tree")

    store = ObjectStore()
    flat = {p: ("100644", store.put_blob(c)) for p, c in FILES.items()}
    flat["run.sh"] = ("100755", store.put_blob(b"#!/bin/sh\n"))
    flat["link"] = ("120000", store.put_blob(b"docs/a.md"))
    tree = store.build_tree(flat)
    assert tree == expected_tree
    assert [e.name for e in store.tree(tree)] == git(repo, "ls-tree", "--name-only", tree).split(
        "\n"
    )

    when = "1700000000 +0000"
    env = {
        "GIT_AUTHOR_NAME": "Ada",
        "GIT_AUTHOR_EMAIL": "ada@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": "Bot",
        "GIT_COMMITTER_EMAIL": "bot@example.org",
        "GIT_COMMITTER_DATE": "1700000100 +0200",
    }
    first = git(repo, "commit-tree", tree, "-m", "first", env=env)
    second = git(repo, "commit-tree", EMPTY_TREE, "-p", first, "-m", "second\n\nbody", env=env)
    ada, bot = (
        Person("Ada", "ada@example.org", 1700000000),
        Person("Bot", "bot@example.org", 1700000100, "+0200"),
    )
    mine = store.put_commit(tree, [], ada, bot, "first\n")
    assert mine == first
    empty = store.put_tree([])
    assert empty == EMPTY_TREE
    assert store.put_commit(empty, [mine], ada, bot, "second\n\nbody\n") == second
    parsed = store.commit(second)
    assert parsed.parents == (first,) and parsed.committer == bot and parsed.tree == EMPTY_TREE


def test_submodule_entry_and_mktree(repo: Path) -> None:
    store = ObjectStore()
    blob = store.put_blob(b"x")
    sub = "a" * 40
    listing = f"160000 commit {sub}\tvendor\n100644 blob {blob}\tx.txt\n"
    expected = git(repo, "mktree", "--missing", stdin=listing.encode())
    assert (
        store.put_tree([TreeEntry("100644", "x.txt", blob), TreeEntry("160000", "vendor", sub)])
        == expected
    )


def test_refusals_and_walks() -> None:
    store = ObjectStore()
    tree = store.put_files({"a/b.md": b"b", "c.md": b"c"})
    blob = store.put_blob(b"c")
    who = Person("A", "a@x", 1)
    with pytest.raises(ValueError):
        store.put_commit(blob, [], who, who, "tree must be a tree")
    c1 = store.put_commit(tree, [], who, who, "one")
    with pytest.raises(ValueError):
        store.put_commit(tree, [tree], who, who, "a parent must be a commit")
    c2 = store.put_commit(store.put_files({"c.md": b"C"}), [c1], Person("A", "a@x", 2), who, "two")
    assert store.ancestors(c2) == [c2, c1]
    assert store.is_ancestor(c1, c2) and not store.is_ancestor(c2, c1)
    assert store.only_in(c2, c1) == [c2]
    assert store.files(tree) == {"a/b.md": b"b", "c.md": b"c"}
    assert store.lookup_path(tree, "a").kind == "tree"
    assert store.lookup_path(tree, "a/b.md/x") is None


def test_three_way_merge_and_diff_lines() -> None:
    base = {"a": ("100644", "1"), "b": ("100644", "1")}
    ours = {"a": ("100644", "2"), "b": ("100644", "1")}
    theirs = {"a": ("100644", "1"), "b": ("100644", "3"), "c": ("100644", "4")}
    assert merge_flat(base, ours, theirs) == (
        {"a": ("100644", "2"), "b": ("100644", "3"), "c": ("100644", "4")},
        [],
    )
    assert merge_flat(base, ours, {"a": ("100644", "9")})[1] == ["a"]
    old = b"".join(b"line %d\n" % i for i in range(1, 21))
    new = old.replace(b"line 10\n", b"line ten\n")
    d = file_diff("x.md", old, new, None)
    assert d.patch.splitlines()[0] == "@@ -7,7 +7,7 @@"
    assert d.additions == d.deletions == 1
    assert d.right_lines == set(range(7, 14)) and 1 not in d.right_lines
