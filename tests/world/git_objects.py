"""Git objects with git's real ids: blobs, trees, commits, and the walks over them.

Pure Python, no I/O. An :class:`ObjectStore` holds the objects of one repository network
(a repository and its forks share one, as on GitHub). Ids are SHA-1 over git's own
encoding (``<type> <len>\\0<body>``), so they equal what ``git hash-object``,
``git mktree`` and ``git commit-tree`` print for the same content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

BLOB_MODES = ("100644", "100755", "120000")
TREE_MODE = "040000"
COMMIT_MODE = "160000"  # a submodule: the entry names a commit of another repository
MODES = (*BLOB_MODES, TREE_MODE, COMMIT_MODE)
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


def kind_of_mode(mode: str) -> str:
    """``blob``, ``tree`` or ``commit`` for a tree-entry mode."""
    if mode == TREE_MODE:
        return "tree"
    if mode == COMMIT_MODE:
        return "commit"
    return "blob"


def object_id(kind: str, body: bytes) -> str:
    """Git's id for an object of ``kind`` with ``body``."""
    return hashlib.sha1(f"{kind} {len(body)}\0".encode() + body).hexdigest()


@dataclass(frozen=True)
class Person:
    """An author or committer line: name, email, seconds since the epoch, UTC offset."""

    name: str
    email: str
    when: int
    tz: str = "+0000"

    def line(self) -> str:
        """``Name <email> 1700000000 +0000`` as in a commit object."""
        return f"{self.name} <{self.email}> {self.when} {self.tz}"


@dataclass(frozen=True)
class TreeEntry:
    """One entry of a tree object."""

    mode: str
    name: str
    sha: str

    @property
    def kind(self) -> str:
        """``blob``, ``tree`` or ``commit``."""
        return kind_of_mode(self.mode)


@dataclass(frozen=True)
class Commit:
    """A parsed commit object."""

    sha: str
    tree: str
    parents: tuple[str, ...]
    author: Person
    committer: Person
    message: str


def _sort_key(entry: TreeEntry) -> bytes:
    # git compares names as bytes, a tree's name as if it ended with "/".
    name = entry.name.encode("utf-8")
    return name + b"/" if entry.mode == TREE_MODE else name


class ObjectError(ValueError):
    """An object is missing or is not of the expected type."""


class ObjectStore:
    """Content-addressed git objects: ``sha -> (type, body)``."""

    def __init__(self) -> None:
        self._objects: dict[str, tuple[str, bytes]] = {}

    # -- writing ---------------------------------------------------------------

    def _put(self, kind: str, body: bytes) -> str:
        sha = object_id(kind, body)
        self._objects.setdefault(sha, (kind, body))
        return sha

    def put_blob(self, content: bytes) -> str:
        """Store a blob; returns its id."""
        return self._put("blob", content)

    def put_tree(self, entries: list[TreeEntry]) -> str:
        """Store a tree (entries are sorted the way git sorts them); returns its id."""
        names = [e.name for e in entries]
        if len(set(names)) != len(names):
            raise ObjectError("duplicate entry names in a tree")
        body = b""
        for e in sorted(entries, key=_sort_key):
            if e.mode not in MODES:
                raise ObjectError(f"bad mode {e.mode}")
            if not e.name or "/" in e.name or e.name in (".", ".."):
                raise ObjectError(f"bad entry name {e.name!r}")
            mode = e.mode.lstrip("0")  # git writes trees as "40000"
            body += f"{mode} {e.name}\0".encode() + bytes.fromhex(e.sha)
        return self._put("tree", body)

    def put_commit(
        self, tree: str, parents: list[str], author: Person, committer: Person, message: str
    ) -> str:
        """Store a commit; returns its id. ``tree`` must be a tree, parents commits."""
        if self.kind(tree) != "tree":
            raise ObjectError(f"{tree} is not a tree")
        for p in parents:
            if self.kind(p) != "commit":
                raise ObjectError(f"{p} is not a commit")
        lines = [f"tree {tree}"] + [f"parent {p}" for p in parents]
        lines += [f"author {author.line()}", f"committer {committer.line()}"]
        body = "\n".join(lines) + "\n\n" + message
        return self._put("commit", body.encode("utf-8"))

    def put_files(self, files: Mapping[str, bytes], modes: Mapping[str, str] | None = None) -> str:
        """Store ``{path: content}`` as blobs and nested trees; returns the root tree id."""
        entries = {p: (modes or {}).get(p, "100644") for p in files}
        return self.build_tree({p: (m, self.put_blob(files[p])) for p, m in entries.items()})

    def build_tree(self, flat: Mapping[str, tuple[str, str]]) -> str:
        """Store nested trees for ``{path: (mode, sha)}`` (blobs/submodules); root id."""
        children: dict[str, dict[str, tuple[str, str]]] = {}
        here: list[TreeEntry] = []
        for path, (mode, sha) in flat.items():
            head, sep, rest = path.partition("/")
            if sep:
                children.setdefault(head, {})[rest] = (mode, sha)
            else:
                here.append(TreeEntry(mode, head, sha))
        for name, sub in children.items():
            here.append(TreeEntry(TREE_MODE, name, self.build_tree(sub)))
        return self.put_tree(here)

    # -- reading ---------------------------------------------------------------

    def __contains__(self, sha: object) -> bool:
        return sha in self._objects

    def kind(self, sha: str) -> str | None:
        """The type of ``sha`` (None when unknown)."""
        obj = self._objects.get(sha)
        return obj[0] if obj else None

    def body(self, sha: str) -> bytes:
        """The raw body of an object."""
        return self._objects[sha][1]

    def blob(self, sha: str) -> bytes:
        """A blob's content."""
        self._expect(sha, "blob")
        return self._objects[sha][1]

    def tree(self, sha: str) -> list[TreeEntry]:
        """A tree's entries, in git order."""
        body = self._expect(sha, "tree")
        out, i = [], 0
        while i < len(body):
            space = body.index(b" ", i)
            nul = body.index(b"\0", space)
            mode = body[i:space].decode().rjust(6, "0")
            name = body[space + 1 : nul].decode("utf-8")
            out.append(TreeEntry(mode, name, body[nul + 1 : nul + 21].hex()))
            i = nul + 21
        return out

    def commit(self, sha: str) -> Commit:
        """A parsed commit."""
        text = self._expect(sha, "commit").decode("utf-8")
        head, _, message = text.partition("\n\n")
        tree, parents, people = "", [], {}
        for line in head.split("\n"):
            key, _, value = line.partition(" ")
            if key == "tree":
                tree = value
            elif key == "parent":
                parents.append(value)
            elif key in ("author", "committer"):
                who, _, rest = value.rpartition("> ")
                name, _, email = who.partition(" <")
                when, _, tz = rest.partition(" ")
                people[key] = Person(name, email, int(when), tz)
        return Commit(sha, tree, tuple(parents), people["author"], people["committer"], message)

    def _expect(self, sha: str, kind: str) -> bytes:
        obj = self._objects.get(sha)
        if obj is None or obj[0] != kind:
            raise ObjectError(f"{sha} is not a {kind}")
        return obj[1]

    # -- walks -----------------------------------------------------------------

    def walk(self, tree: str, prefix: str = "") -> Iterator[tuple[str, TreeEntry]]:
        """Every entry below ``tree`` (depth first, git order) with its full path."""
        for e in self.tree(tree):
            path = prefix + e.name
            yield path, e
            if e.mode == TREE_MODE:
                yield from self.walk(e.sha, path + "/")

    def flat(self, tree: str) -> dict[str, tuple[str, str]]:
        """``{path: (mode, sha)}`` of every non-tree entry below ``tree``."""
        return {p: (e.mode, e.sha) for p, e in self.walk(tree) if e.mode != TREE_MODE}

    def files(self, tree: str) -> dict[str, bytes]:
        """``{path: content}`` of every blob below ``tree``."""
        return {p: self.blob(s) for p, (m, s) in self.flat(tree).items() if m in BLOB_MODES}

    def lookup_path(self, tree: str, path: str) -> TreeEntry | None:
        """The entry at ``path`` below ``tree`` (None when absent); "" is the tree itself."""
        entry = TreeEntry(TREE_MODE, "", tree)
        for part in [p for p in path.split("/") if p]:
            if entry.mode != TREE_MODE:
                return None
            entry = next((e for e in self.tree(entry.sha) if e.name == part), None)  # type: ignore[assignment]
            if entry is None:
                return None
        return entry

    def ancestors(self, sha: str) -> list[str]:
        """``sha`` and every commit reachable from it, newest committer date first."""
        seen: dict[str, Commit] = {}
        todo = [sha]
        while todo:
            cur = todo.pop()
            if cur in seen:
                continue
            seen[cur] = self.commit(cur)
            todo.extend(seen[cur].parents)
        order = sorted(seen.values(), key=lambda c: c.committer.when, reverse=True)
        # Children before parents even when dates tie.
        return _topo(order, seen)

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        """Whether ``ancestor`` is reachable from ``descendant`` (or equal)."""
        return ancestor in set(self.ancestors(descendant))

    def merge_base(self, a: str, b: str) -> str | None:
        """The newest common ancestor of two commits (None for unrelated histories)."""
        reach_a = set(self.ancestors(a))
        return next((c for c in self.ancestors(b) if c in reach_a), None)

    def only_in(self, head: str, base: str) -> list[str]:
        """Commits reachable from ``head`` but not from ``base``, oldest first."""
        exclude = set(self.ancestors(base))
        return [c for c in reversed(self.ancestors(head)) if c not in exclude]


def _topo(order: list[Commit], by_sha: dict[str, Commit]) -> list[str]:
    position = {c.sha: i for i, c in enumerate(order)}
    result: list[str] = []
    placed: set[str] = set()
    children: dict[str, int] = {c.sha: 0 for c in order}
    for c in order:
        for p in c.parents:
            if p in children:
                children[p] += 1
    ready = [c.sha for c in order if children[c.sha] == 0]
    while ready:
        ready.sort(key=lambda s: position[s])
        cur = ready.pop(0)
        result.append(cur)
        placed.add(cur)
        for p in by_sha[cur].parents:
            if p in children:
                children[p] -= 1
                if children[p] == 0 and p not in placed:
                    ready.append(p)
    return result


def merge_flat(
    base: Mapping[str, tuple[str, str]],
    ours: Mapping[str, tuple[str, str]],
    theirs: Mapping[str, tuple[str, str]],
) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """A file-level three-way merge of ``{path: (mode, sha)}``: the merged map and the
    paths both sides changed differently (conflicts; empty when clean)."""
    merged: dict[str, tuple[str, str]] = {}
    conflicts = []
    for path in sorted(set(base) | set(ours) | set(theirs)):
        b, o, t = base.get(path), ours.get(path), theirs.get(path)
        if o == t or t == b:
            pick = o
        elif o == b:
            pick = t
        else:
            conflicts.append(path)
            continue
        if pick is not None:
            merged[path] = pick
    return merged, conflicts
