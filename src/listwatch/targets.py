"""Targets → documents: read a list's files from a local checkout or from GitHub.

From GitHub it costs three API requests per target (the repository, for its default
branch; the branch, for its head commit and that commit's tree; one recursive tree);
file contents come from ``raw.githubusercontent.com`` by commit SHA, so every file is
read from the same commit, and that does not count against the API budget. On
GitHub Enterprise (``GITHUB_API_URL`` elsewhere) contents come from the blobs API.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from listwatch import net
from listwatch.config import Target
from listwatch.credentials import PUBLIC_API_URL, github_api_url, github_token
from listwatch.errors import GitHubError, GitHubRateLimited, InputError, ListwatchError
from listwatch.markdown import Document, read_document
from listwatch.markdown.document import decode_document
from listwatch.net.services import GITHUB_LIST
from listwatch.paths import (
    OUTSIDE,
    expand_arguments,
    leaves,
    matching,
    repository_files,
    unmatched,
)

RAW_HOST = "https://raw.githubusercontent.com"
# Answers the reader handles itself; 5xx and 429 are retried by `net.send`.
_API_ANSWERS = frozenset({200, 403, 404, 429})


@dataclass(frozen=True)
class ListSource:
    """The files of one target, read and ready to parse.

    ``repo_paths`` holds every file path of the repository (for checking relative
    links); ``root`` is the local checkout, when there is one; ``ref`` the branch
    read, ``commit`` the SHA of the commit read and ``tree`` the SHA of that commit's
    root tree, when known.
    """

    target: Target
    documents: tuple[Document, ...] = field(repr=False)
    repo_paths: frozenset[str] = field(repr=False)
    ref: str | None
    commit: str | None
    tree: str | None
    root: Path | None
    problems: tuple[str, ...] = ()

    def read_file(self, path: str) -> str | None:
        """The text of a repository file (a list read in this run, or one in the local
        checkout), or None when it cannot be read; for ``#fragment`` checks."""
        for document in self.documents:
            if document.path == path:
                return document.text
        if self.root is None:
            return None
        try:
            return (self.root / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None


def read_local(target: Target) -> ListSource:
    """Read a target from its local checkout (``path`` in the config)."""
    assert target.path is not None
    root = target.path
    all_paths = repository_files(root)
    documents: list[Document] = []
    problems: list[str] = []
    for rel in matching(all_paths, target.files):
        if leaves(root, root / rel):
            problems.append(f"{rel}: {OUTSIDE}")
            continue
        try:
            documents.append(read_document(root / rel, rel))
        except ListwatchError as exc:
            problems.append(str(exc))
    problems.extend(f"{target.repo}: no file under {root} matches {glob}"
                    for glob in unmatched(all_paths, target.files))
    _refuse(problems)
    return ListSource(target=target, documents=tuple(documents), repo_paths=all_paths,
                      ref=target.branch, commit=None, tree=None, root=root)


def _refuse(problems: Sequence[str]) -> None:
    """A list file that cannot be read, or a glob that reads nothing, stops the run:
    checking the rest and reporting success would hide it."""
    if problems:
        raise InputError("; ".join(problems))


def read_paths(arguments: Sequence[str]) -> tuple[list[ListSource], list[str]]:
    """List sources for files named on the command line, one per repository root.

    Raises ``InputError`` naming every path that cannot be read (missing, not a
    list, a link out of the repository); the second value is kept empty.
    """
    files, problems = expand_arguments(arguments)
    by_root: dict[Path, list[Document]] = {}
    messages = [str(problem) for problem in problems]
    for file in files:
        try:
            by_root.setdefault(file.root, []).append(read_document(file.fs_path, file.display))
        except ListwatchError as exc:
            messages.append(str(exc))
    _refuse(messages)
    sources = [
        ListSource(target=Target(repo=f"local/{root.name}", path=root),
                   documents=tuple(documents), repo_paths=repository_files(root), ref=None,
                   commit=None, tree=None, root=root)
        for root, documents in by_root.items()
    ]
    return sources, messages


class _GitHubReader:
    """The few REST calls needed to read a list from GitHub."""

    def __init__(self, network: net.Network, api_url: str, token: str | None) -> None:
        self.network = network
        self.api_url = api_url.rstrip("/")
        self.headers = {"Accept": "application/vnd.github+json",
                        "X-GitHub-Api-Version": "2022-11-28"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    async def get_json(self, path: str) -> object:
        url = f"{self.api_url}{path}"
        try:
            response = await net.send(self.network, GITHUB_LIST, "GET", url,
                                      headers=self.headers, ok_statuses=_API_ANSWERS,
                                      follow_redirects=True)
        except GitHubError as exc:
            raise type(exc)(f"cannot read the list: {exc}", status=exc.status) from None
        if response.status_code == 404:
            raise GitHubError(f"GitHub: {path} not found (is the repository public, "
                              "or does the token have access?)", status=404)
        if response.headers.get("x-ratelimit-remaining") == "0":
            raise GitHubRateLimited(
                "GitHub API rate limit exhausted while reading the list; "
                "set GITHUB_TOKEN or wait until "
                f"{response.headers.get('x-ratelimit-reset', 'the reset')}",
                status=response.status_code)
        if response.status_code != 200:
            raise GitHubError(f"GitHub: {path} answered HTTP {response.status_code}",
                              status=response.status_code)
        try:
            return response.json()
        except ValueError:
            raise GitHubError(f"GitHub: {path} answered malformed JSON") from None

    async def read(self, target: Target) -> ListSource:
        owner, name = target.repo.split("/", 1)
        repo_path = f"/repos/{quote(owner)}/{quote(name)}"
        ref = target.branch
        if ref is None:
            info = await self.get_json(repo_path)
            ref = info.get("default_branch") if isinstance(info, dict) else None
            if not isinstance(ref, str):
                raise GitHubError(f"GitHub: {target.repo} has no default branch")
        # The branch names the head commit and that commit's root tree. (The top-level
        # `sha` of `git/trees/{branch}` is the TREE's id, which raw.githubusercontent.com
        # does not serve files by.)
        branch = await self.get_json(f"{repo_path}/branches/{quote(ref, safe='')}")
        commit, tree_sha = _branch_head(branch)
        if commit is None or tree_sha is None:
            raise GitHubError(f"GitHub: malformed branch {target.repo}@{ref}")
        tree = await self.get_json(f"{repo_path}/git/trees/{tree_sha}?recursive=1")
        if not isinstance(tree, dict) or not isinstance(tree.get("tree"), list):
            raise GitHubError(f"GitHub: malformed tree for {target.repo}@{ref}")
        blobs = {item["path"]: item.get("sha") for item in tree["tree"]
                 if isinstance(item, dict) and item.get("type") == "blob"
                 and isinstance(item.get("path"), str)}
        wanted = matching(blobs, target.files)
        texts = await asyncio.gather(
            *(self._content(target.repo, commit, path, blobs[path]) for path in wanted)
        )
        documents: list[Document] = []
        problems: list[str] = []
        for path, data in zip(wanted, texts, strict=True):
            if isinstance(data, _Problem):
                problems.append(f"{target.repo}: {path}: {data.message}")
                continue
            try:
                documents.append(decode_document(data, path))
            except InputError as exc:
                problems.append(f"{target.repo}: {exc}")
        problems.extend(f"{target.repo}@{ref}: no file matches {glob}"
                        for glob in unmatched(blobs, target.files))
        _refuse(problems)
        notes: tuple[str, ...] = ()
        if tree.get("truncated"):
            notes = (f"{target.repo}: the repository tree is too large for one request; "
                     "some files may be missing (use a local `path`)",)
        return ListSource(target=target, documents=tuple(documents),
                          repo_paths=frozenset(blobs), ref=ref, commit=commit,
                          tree=tree_sha, root=None, problems=notes)

    async def _content(self, repo: str, ref: str, path: str, sha: str | None
                       ) -> bytes | _Problem:
        if self.api_url == PUBLIC_API_URL:
            url = f"{RAW_HOST}/{repo}/{quote(ref, safe='')}/{quote(path)}"
            try:
                response = await net.send(self.network, GITHUB_LIST, "GET", url,
                                          label=RAW_HOST, ok_statuses=frozenset({200, 404}),
                                          follow_redirects=True)
            except GitHubError as exc:
                return _Problem(f"cannot download ({exc})")
            if response.status_code != 200:
                return _Problem(f"download answered HTTP {response.status_code}")
            raw = response.content
        else:
            blob = await self.get_json(f"/repos/{repo}/git/blobs/{sha}")
            if not isinstance(blob, dict) or not isinstance(blob.get("content"), str):
                return _Problem("malformed blob")
            raw = base64.b64decode(blob["content"])
        return raw


def _branch_head(branch: object) -> tuple[str | None, str | None]:
    """``(commit SHA, root tree SHA)`` from a ``GET /branches/{branch}`` answer."""
    if not isinstance(branch, dict) or not isinstance(branch.get("commit"), dict):
        return None, None
    head = branch["commit"]
    commit = head.get("sha")
    inner = head.get("commit")
    tree = inner.get("tree") if isinstance(inner, dict) else None
    tree_sha = tree.get("sha") if isinstance(tree, dict) else None
    return (commit if isinstance(commit, str) else None,
            tree_sha if isinstance(tree_sha, str) else None)


@dataclass(frozen=True)
class _Problem:
    message: str


async def read_targets(targets: tuple[Target, ...], *, network: net.Network,
                       environ: Mapping[str, str]) -> tuple[ListSource, ...]:
    """Read every target: local checkouts from disk, the others from GitHub."""
    reader = _GitHubReader(network, github_api_url(environ), github_token(environ))
    results: list[ListSource] = []
    for target in targets:
        if target.path is not None:
            results.append(await asyncio.to_thread(read_local, target))
        else:
            results.append(await reader.read(target))
    return tuple(results)
