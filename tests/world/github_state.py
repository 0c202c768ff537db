"""What the fake GitHub remembers while a test runs: per-repository git refs and objects,
pull requests, issues, comments, labels, and forks being created.

The scenario (pushed by the test) declares repositories and their seed files; this module
turns seed files into real commits and keeps everything written through the API. It
survives scenario pushes (a later ``world.github.repo(...)`` does not wipe a branch the
client created) and is forgotten on reset, like the rest of the engine's runtime state.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .git_objects import BLOB_MODES, ObjectStore, Person, merge_flat

if TYPE_CHECKING:
    from .engine import Engine

SEED_TIME = 1704067200  # 2024-01-01T00:00:00Z
SEED_PERSON = ("World Seed", "seed@world.test")
FULL_SHA = re.compile(r"^[0-9a-f]{40}$")


def iso(ts: float) -> str:
    """GitHub's timestamp format."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


@dataclass
class RepoState:
    """Runtime state of one repository (keyed by its numeric id)."""

    id: int
    store: ObjectStore
    refs: dict[str, str] = field(default_factory=dict)
    seeded: dict[str, str] = field(default_factory=dict)
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    """Issues and pull requests share one numbering, as on GitHub."""
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Keyed by lower-cased name."""
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    review_comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    reviews: dict[int, dict[str, Any]] = field(default_factory=dict)
    parent_id: int | None = None
    pending_fork: dict[str, Any] | None = None

    @property
    def empty(self) -> bool:
        """No refs at all: GitHub answers 409 "Git Repository is empty." to git calls."""
        return not self.refs

    def next_number(self) -> int:
        """The next issue / pull request number."""
        return max(self.issues, default=0) + 1


class GitHost:
    """All repositories' runtime state inside one engine."""

    def __init__(self) -> None:
        self.repos: dict[int, RepoState] = {}
        self.runtime_records: dict[str, dict[str, Any]] = {}
        self.logins: dict[str, str] = {}
        """Commit author email (lower case) -> GitHub login, for ``author`` objects."""
        self._ids = 5_000_000
        self._clock = 0.0

    def next_id(self) -> int:
        """A fresh id for comments, reviews, labels..."""
        self._ids += 1
        return self._ids

    def now(self) -> int:
        """Seconds since the epoch, strictly increasing (so commit order is stable)."""
        self._clock = max(time.time(), self._clock + 1)
        return int(self._clock)

    # -- scenario ----------------------------------------------------------------

    def sync(self, scenario: dict[str, Any]) -> None:
        """After a scenario push: keep repositories created at runtime (forks), seed files."""
        repos = scenario["github"]["repos"]
        for key, record in self.runtime_records.items():
            repos.setdefault(key, record)
        for record in repos.values():
            if not record.get("deleted"):
                self.state(record)

    def state(self, record: dict[str, Any]) -> RepoState:
        """The runtime state of ``record``'s repository (seeded from its scenario files)."""
        rid = int(record["id"])
        st = self.repos.get(rid)
        if st is None:
            st = self.repos[rid] = RepoState(rid, ObjectStore())
        self._seed(st, record)
        self._maybe_finish_fork(st, requests=0)
        return st

    def _seed(self, st: RepoState, record: dict[str, Any]) -> None:
        for branch, raw in (record.get("trees") or {}).items():
            fingerprint = hashlib.sha1(json.dumps(sorted(raw.items())).encode()).hexdigest()
            if st.seeded.get(branch) == fingerprint:
                continue
            st.seeded[branch] = fingerprint
            files = {p: c.encode("latin-1") for p, c in raw.items()}
            tree = st.store.put_files(files)
            ref = f"refs/heads/{branch}"
            head = st.refs.get(ref)
            if head and st.store.commit(head).tree == tree:
                continue
            when = SEED_TIME
            if head:
                when = max(SEED_TIME, st.store.commit(head).committer.when + 60)
            who = Person(*SEED_PERSON, when)
            message = "Initial commit" if head is None else "Update files"
            st.refs[ref] = st.store.put_commit(tree, [head] if head else [], who, who, message)

    # -- forks -------------------------------------------------------------------

    def touch(self, record: dict[str, Any]) -> None:
        """Count one API request against a fork still being created."""
        st = self.repos.get(int(record["id"]))
        if st is not None:
            self._maybe_finish_fork(st, requests=1)

    def _maybe_finish_fork(self, st: RepoState, requests: int) -> None:
        pending = st.pending_fork
        if pending is None:
            return
        pending["requests_left"] -= requests
        if pending["requests_left"] <= 0 and time.monotonic() >= pending["ready_at"]:
            st.refs.update(pending["refs"])
            st.pending_fork = None

    def fork(
        self,
        engine: Engine,
        source: dict[str, Any],
        owner: str,
        name: str | None,
        default_branch_only: bool,
    ) -> dict[str, Any]:
        """Create (or find) ``owner``'s fork of ``source``; its git data appears later."""
        src_state = self.state(source)
        repos = engine.scenario["github"]["repos"]
        for record in repos.values():
            if record.get("fork_of") == source["id"] and record["owner"].lower() == owner.lower():
                return record
        base = name or source["name"]
        candidate, n = base, 0
        while f"{owner}/{candidate}".lower() in repos:
            n += 1
            candidate = f"{base}-{n}"
        now = iso(self.now())
        record = dict(source)
        record.update(
            id=self.next_id(),
            owner=owner,
            name=candidate,
            full_name=f"{owner}/{candidate}",
            fork=True,
            fork_of=source["id"],
            stars=0,
            forks=0,
            push=None,
            owner_type="User",
            created_at=now,
            updated_at=now,
            pushed_at=now,
            trees={},
        )
        key = record["full_name"].lower()
        repos[key] = record
        self.runtime_records[key] = record
        st = RepoState(record["id"], src_state.store, parent_id=source["id"])
        refs = {
            r: s
            for r, s in src_state.refs.items()
            if r.startswith("refs/heads/")
            and (not default_branch_only or r == f"refs/heads/{source['default_branch']}")
        }
        latency = engine.scenario["github"].get("fork_latency") or {}
        st.pending_fork = {
            "refs": refs,
            "requests_left": int(latency.get("requests", 0)),
            "ready_at": time.monotonic() + float(latency.get("seconds", 0)),
        }
        self.repos[record["id"]] = st
        self._maybe_finish_fork(st, requests=0)
        return record

    # -- refs and commits ----------------------------------------------------------

    def resolve_commit(self, st: RepoState, record: dict[str, Any], ref: str | None) -> str | None:
        """A branch, tag, ``HEAD``, full ref or commit SHA (7+ hex digits) -> commit id."""
        if ref in (None, "", "HEAD"):
            ref = record["default_branch"]
        assert ref is not None
        for name in (f"refs/heads/{ref}", f"refs/tags/{ref}", ref, f"refs/{ref}"):
            if name.startswith("refs/") and name in st.refs:
                return self.peel(st, st.refs[name])
        if re.fullmatch(r"[0-9a-f]{7,40}", ref):
            if FULL_SHA.match(ref):
                return ref if st.store.kind(ref) == "commit" else None
            hits = [s for s in st.store._objects if s.startswith(ref)]
            if len(hits) == 1 and st.store.kind(hits[0]) == "commit":
                return hits[0]
        return None

    def split_ref_path(
        self, st: RepoState, record: dict[str, Any], parts: list[str]
    ) -> tuple[str, str] | None:
        """``(commit, path)`` for URL segments ``<ref>/<path...>`` where the ref may itself
        contain slashes (the longest branch or tag wins) or be a commit SHA. A tree SHA is
        not a ref."""
        for n in range(len(parts), 0, -1):
            name = "/".join(parts[:n])
            for full in (f"refs/heads/{name}", f"refs/tags/{name}"):
                if full in st.refs:
                    return st.refs[full], "/".join(parts[n:])
        if parts and re.fullmatch(r"[0-9a-f]{7,40}", parts[0]):
            sha = self.resolve_commit(st, record, parts[0])
            if sha is not None:
                return sha, "/".join(parts[1:])
        return None

    @staticmethod
    def peel(st: RepoState, sha: str) -> str:
        """Refs here always point at commits (annotated tags are not modelled)."""
        return sha

    def commit_changes(
        self,
        st: RepoState,
        branch: str,
        changes: dict[str, bytes | None],
        author: Person,
        message: str,
        base_branch: str | None = None,
    ) -> str:
        """Commit ``{path: content or None (delete)}`` on top of ``branch`` (created from
        ``base_branch`` when missing) and move the branch; returns the commit id."""
        ref = f"refs/heads/{branch}"
        head = st.refs.get(ref) or (
            st.refs.get(f"refs/heads/{base_branch}") if base_branch else None
        )
        flat = st.store.flat(st.store.commit(head).tree) if head else {}
        for path, content in changes.items():
            path = path.strip("/")
            if content is None:
                flat.pop(path, None)
            else:
                mode = flat.get(path, ("100644", ""))[0]
                flat[path] = (mode if mode in BLOB_MODES else "100644", st.store.put_blob(content))
        tree = st.store.build_tree(flat)
        sha = st.store.put_commit(tree, [head] if head else [], author, author, message)
        st.refs[ref] = sha
        return sha

    def merge(
        self, st: RepoState, ours: str, theirs: str, author: Person, message: str
    ) -> tuple[str | None, str]:
        """Merge commit ``theirs`` into ``ours``: ``(new head, merge_type)``.

        ``merge_type`` is ``none`` (already contained), ``fast-forward``, ``merge``, or
        ``conflict`` (head None).
        """
        store = st.store
        if store.is_ancestor(theirs, ours):
            return ours, "none"
        if store.is_ancestor(ours, theirs):
            return theirs, "fast-forward"
        base = store.merge_base(ours, theirs)
        base_flat = store.flat(store.commit(base).tree) if base else {}
        merged, conflicts = merge_flat(
            base_flat, store.flat(store.commit(ours).tree), store.flat(store.commit(theirs).tree)
        )
        if conflicts:
            return None, "conflict"
        tree = store.build_tree(merged)
        return store.put_commit(tree, [ours, theirs], author, author, message), "merge"


def can_push(engine: Engine, record: dict[str, Any], auth: str) -> bool:
    """Whether the scenario's token may write to ``record`` (owner or ``push=True``)."""
    if auth != "token":
        return False
    push = record.get("push")
    if push is None:
        return str(record["owner"]).lower() == str(engine.scenario["github"]["viewer"]).lower()
    return bool(push)
