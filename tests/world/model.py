"""The scenario builder: what exists on the simulated internet for one test.

Pure Python (no mitmproxy import). A :class:`World` holds a JSON-serialisable scenario;
every change is pushed to the running proxy through the ``push`` callable the fixture
installs (or nowhere, when the model is used offline). Use ``with world.batch():`` to
push many changes at once.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .wire import sha1_hex

if TYPE_CHECKING:
    from .proxy import WorldProxy

DEFAULT_TOKEN = "ghp_worldTestToken000000000000000000000"
"""The GitHub token the fake GitHub accepts unless a test sets another."""

SERVICE_HOSTS: dict[str, tuple[str, ...]] = {
    "github_api": ("api.github.com",),
    "github_web": ("github.com", "www.github.com", "raw.githubusercontent.com"),
    "arxiv_api": ("export.arxiv.org",),
    "arxiv_web": ("arxiv.org", "www.arxiv.org", "browse.arxiv.org"),
    "dblp": ("dblp.org", "dblp.uni-trier.de"),
    "s2": ("api.semanticscholar.org",),
    "doi": ("doi.org", "dx.doi.org"),
    "crossref": ("api.crossref.org",),
    "wayback": ("archive.org", "web.archive.org"),
}
"""Hosts the built-in fakes answer for (all resolvable)."""

CONTROL_HOST = "world.control"


def _norm_repo(full_name: str) -> str:
    full_name = full_name.strip().strip("/")
    if full_name.count("/") != 1:
        raise ValueError(f"repository must be 'owner/name', got {full_name!r}")
    return full_name.lower()


def _wrap(text: str, width: int, indent: str) -> str:
    """Wrap like arXiv's API does: newline plus ``indent`` between lines."""
    lines = textwrap.wrap(" ".join(text.split()), width=width) or [""]
    return ("\n" + indent).join(lines)


# --------------------------------------------------------------------------- GitHub


class RepoBuilder:
    """One repository in the fake GitHub; returned by :meth:`GitHubWorld.repo`."""

    def __init__(self, world: World, key: str) -> None:
        self._world = world
        self._key = key

    @property
    def data(self) -> dict[str, Any]:
        """The scenario record (read-only use; mutate through the methods)."""
        return self._world._scenario["github"]["repos"][self._key]

    @property
    def id(self) -> int:
        """GitHub's numeric id (``databaseId``)."""
        return int(self.data["id"])

    @property
    def full_name(self) -> str:
        """The current ``owner/name``."""
        return str(self.data["full_name"])

    def files(self, files: Mapping[str, str | bytes], branch: str | None = None) -> RepoBuilder:
        """Set the file tree of ``branch`` (default branch when None): ``{path: content}``."""
        branch = branch or self.data["default_branch"]
        tree = {}
        for path, content in files.items():
            raw = content.encode("utf-8") if isinstance(content, str) else content
            tree[path.strip("/")] = raw.decode("latin-1")
        self.data.setdefault("trees", {})[branch] = tree
        self._world._changed()
        return self

    def update(self, **fields: Any) -> RepoBuilder:
        """Change attributes later (same keywords as :meth:`GitHubWorld.repo`)."""
        self.data.update(_repo_fields(fields))
        self._world._changed()
        return self


def _repo_fields(kw: Mapping[str, Any]) -> dict[str, Any]:
    mapping = {
        "stars": "stars",
        "forks": "forks",
        "archived": "archived",
        "disabled": "disabled",
        "fork": "fork",
        "private": "private",
        "description": "description",
        "homepage": "homepage",
        "default_branch": "default_branch",
        "pushed_at": "pushed_at",
        "created_at": "created_at",
        "updated_at": "updated_at",
        "language": "language",
        "topics": "topics",
        "owner_type": "owner_type",
        "archived_at": "archived_at",
        "push": "push",
    }
    out: dict[str, Any] = {}
    for key, value in kw.items():
        if key not in mapping:
            raise TypeError(f"unknown repository attribute {key!r}")
        out[mapping[key]] = list(value) if key == "topics" else value
    return out


class GitHubWorld:
    """The fake api.github.com, github.com and raw.githubusercontent.com."""

    def __init__(self, world: World) -> None:
        self._world = world

    @property
    def _s(self) -> dict[str, Any]:
        return self._world._scenario["github"]

    @property
    def token(self) -> str:
        """The token the fake GitHub accepts (``Authorization: bearer|token <t>``)."""
        return str(self._s["token"])

    @token.setter
    def token(self, value: str) -> None:
        self._s["token"] = value
        self._world._changed()

    def repo(
        self,
        full_name: str,
        *,
        stars: int = 0,
        forks: int = 0,
        archived: bool = False,
        disabled: bool = False,
        fork: bool = False,
        private: bool = False,
        description: str | None = None,
        homepage: str | None = None,
        default_branch: str = "main",
        pushed_at: str = "2024-05-01T12:00:00Z",
        created_at: str = "2020-01-01T00:00:00Z",
        updated_at: str | None = None,
        language: str | None = "Python",
        topics: Sequence[str] = (),
        owner_type: str = "User",
        archived_at: str | None = None,
        renamed_to: str | None = None,
        deleted: bool = False,
        id: int | None = None,
        push: bool | None = None,
    ) -> RepoBuilder:
        """Declare a repository.

        ``renamed_to="new/name"``: the repository now lives at ``new/name`` (with the given
        attributes) and ``full_name`` is an old name that redirects there. ``deleted=True``:
        every API and page answers 404 for it. ``push``: whether the scenario's token may
        write (None: only when the viewer owns the repository).
        """
        canonical = renamed_to or full_name
        key = _norm_repo(canonical)
        repos = self._s["repos"]
        existing = repos.get(key)
        owner, name = canonical.strip("/").split("/")
        record = {
            "id": id or (existing["id"] if existing else self._world._next_id()),
            "owner": owner,
            "name": name,
            "full_name": f"{owner}/{name}",
            "stars": stars,
            "forks": forks,
            "archived": archived,
            "archived_at": archived_at or ("2024-06-01T00:00:00Z" if archived else None),
            "disabled": disabled,
            "fork": fork,
            "private": private,
            "description": description,
            "homepage": homepage,
            "default_branch": default_branch,
            "pushed_at": pushed_at,
            "created_at": created_at,
            "updated_at": updated_at or pushed_at,
            "language": language,
            "topics": list(topics),
            "owner_type": owner_type,
            "deleted": deleted,
            "push": push,
            "trees": existing.get("trees", {}) if existing else {},
        }
        repos[key] = record
        if renamed_to:
            old = _norm_repo(full_name)
            self._s["aliases"][old] = key
            repos.pop(old, None)
        self._world._changed()
        return RepoBuilder(self._world, key)

    def rename(self, old: str, new: str) -> RepoBuilder:
        """Rename an already declared repository; the old name then redirects."""
        old_key, new_key = _norm_repo(old), _norm_repo(new)
        record = self._s["repos"].pop(old_key)
        owner, name = new.strip("/").split("/")
        record.update(owner=owner, name=name, full_name=f"{owner}/{name}")
        self._s["repos"][new_key] = record
        self._s["aliases"][old_key] = new_key
        for alias, target in list(self._s["aliases"].items()):
            if target == old_key:
                self._s["aliases"][alias] = new_key
        self._world._changed()
        return RepoBuilder(self._world, new_key)

    def rate_limit(
        self,
        *,
        rest_remaining: int | None = None,
        rest_anonymous_remaining: int | None = None,
        graphql_remaining: int | None = None,
        rest_limit: int | None = None,
        rest_anonymous_limit: int | None = None,
        graphql_limit: int | None = None,
        graphql_exhausted_status: int | None = None,
    ) -> None:
        """Set rate-limit budgets. ``*_remaining`` is what is left before the test starts.

        ``graphql_exhausted_status``: 200 (default; ``errors[].type == "RATE_LIMITED"``) or
        403 (GitHub has answered both ways).
        """
        rl = self._s["rate_limits"]
        for name, value in (
            ("rest_limit", rest_limit),
            ("rest_anonymous_limit", rest_anonymous_limit),
            ("graphql_limit", graphql_limit),
            ("graphql_exhausted_status", graphql_exhausted_status),
        ):
            if value is not None:
                rl[name] = value
        if rest_remaining is not None:
            rl["rest_used"] = rl["rest_limit"] - rest_remaining
        if rest_anonymous_remaining is not None:
            rl["rest_anonymous_used"] = rl["rest_anonymous_limit"] - rest_anonymous_remaining
        if graphql_remaining is not None:
            rl["graphql_used"] = rl["graphql_limit"] - graphql_remaining
        self._world._changed()

    def secondary_rate_limit(
        self, *, times: int = 1, retry_after: int = 60, status: int = 403, api: str = "both"
    ) -> None:
        """The next ``times`` API requests (``rest``, ``graphql`` or ``both``) hit a secondary
        rate limit: ``status`` with ``Retry-After``."""
        self._world._add_fault(
            "api.github.com",
            status=status,
            times=times,
            retry_after=retry_after,
            kind="github_secondary",
            match_path={"rest": "rest", "graphql": "/graphql", "both": None}[api],
        )

    def graphql_error(
        self,
        full_name: str,
        *,
        type: str = "FORBIDDEN",
        message: str = "Resource not accessible by integration",
    ) -> None:
        """GraphQL answers for this repository are a partial error: its alias is ``null``
        with an ``errors[]`` entry of ``type`` (the other aliases still resolve)."""
        errors = self._world._scenario["github"].setdefault("graphql_errors", {})
        errors[full_name.lower()] = {"type": type, "message": message}
        self._world._changed()

    def fail_operation(
        self,
        operation: str,
        *,
        status: int = 502,
        times: int | None = 1,
        retry_after: int | None = None,
        body: str | None = None,
        after: bool = False,
    ) -> None:
        """The next ``times`` calls of one REST operation, named as in the OpenAPI
        description (``"POST /repos/{owner}/{repo}/pulls"``), answer ``status``.

        ``after``: the operation is carried out first, then answered with ``status``
        (a gateway that timed out while GitHub did the work, so a retry would repeat it).
        """
        method, _, template = operation.partition(" ")
        if template not in _openapi_paths() or method.lower() not in _openapi_paths()[template]:
            raise ValueError(f"{operation!r} is not an operation of GitHub's REST API")
        self._world._add_fault(
            "api.github.com",
            status=status,
            times=times,
            retry_after=retry_after,
            body=body,
            kind="github_operation",
            operation=f"{method.upper()} {template}",
            after=after,
        )

    def fork_latency(self, *, requests: int = 0, seconds: float = 0.0) -> None:
        """A fork's git data appears only after ``requests`` API calls touching the fork
        and ``seconds`` (GitHub forks asynchronously; default: at once)."""
        self._s["fork_latency"] = {"requests": requests, "seconds": seconds}
        self._world._changed()

    def write_denied_status(self, status: int) -> None:
        """How writes without push access are refused: 403 ("Resource not accessible by
        integration", the default, as for an app or Actions token) or 404 (a PAT)."""
        self._s["write_denied_status"] = status
        self._world._changed()

    # -- inspection and people's actions (run inside the proxy) --------------------

    def _call(self, action: str, **args: Any) -> Any:
        if self._world.github_call is None:
            raise RuntimeError("no proxy: git state lives in the running world")
        if self._world._dirty:
            self._world.sync()
        return self._world.github_call(action, args)

    def branch_files(self, repo: str, branch: str | None = None) -> dict[str, str]:
        """Files at the head of ``branch`` (default branch), decoded as UTF-8."""
        raw = self._call("branch_files", repo=repo, branch=branch)
        return {p: c.encode("latin-1").decode("utf-8", "replace") for p, c in raw.items()}

    def branch_head(self, repo: str, branch: str | None = None) -> dict[str, str] | None:
        """``{"commit": sha, "tree": sha}`` of the branch head (None: no such branch)."""
        return self._call("branch_head", repo=repo, branch=branch)

    def refs(self, repo: str) -> dict[str, str]:
        """Every ref (``refs/heads/...``, ``refs/tags/...``) and its commit."""
        return self._call("refs", repo=repo)

    def commits(self, repo: str, branch: str | None = None) -> list[dict[str, Any]]:
        """Commits of a branch, newest first: sha, tree, parents, message, author
        (name, email, login, date), committer."""
        return self._call("commits", repo=repo, branch=branch)

    def push(
        self,
        repo: str,
        branch: str,
        files: Mapping[str, str | bytes | None],
        *,
        message: str = "Edit files",
        author: str = "maintainer",
        email: str | None = None,
        base: str | None = None,
    ) -> str:
        """A person (``author`` login) commits ``{path: content or None (delete)}`` on
        ``branch`` (created from ``base`` / the default branch); returns the commit id."""
        encoded = {
            p: None if c is None else (c.encode() if isinstance(c, str) else c).decode("latin-1")
            for p, c in files.items()
        }
        who = {"login": author, "email": email}
        return self._call(
            "push",
            repo=repo,
            branch=branch,
            files=encoded,
            message=message,
            author=who,
            base=base,
        )

    def delete_branch(self, repo: str, branch: str) -> None:
        """Delete a branch as a person would."""
        self._call("delete_branch", repo=repo, branch=branch)

    def pulls(self, repo: str) -> list[dict[str, Any]]:
        """Pull requests, oldest first (number, title, body, user, state, labels,
        head_repo/head_ref/head_sha, base_ref/base_sha, draft, merged, files, commits...)."""
        return self._call("pulls", repo=repo)

    def issues(self, repo: str) -> list[dict[str, Any]]:
        """Issues that are not pull requests, oldest first."""
        return self._call("issues", repo=repo)

    def comments(self, repo: str, number: int | None = None) -> list[dict[str, Any]]:
        """Conversation comments (id, issue, body, user)."""
        return self._call("comments", repo=repo, number=number)

    def review_comments(self, repo: str, number: int | None = None) -> list[dict[str, Any]]:
        """Line comments on pull requests (path, line, side, body, review...)."""
        return self._call("review_comments", repo=repo, number=number)

    def reviews(self, repo: str, number: int | None = None) -> list[dict[str, Any]]:
        """Reviews (state APPROVED / CHANGES_REQUESTED / COMMENTED / PENDING, body...)."""
        return self._call("reviews", repo=repo, number=number)

    def labels(self, repo: str) -> list[dict[str, Any]]:
        """Repository labels."""
        return self._call("labels", repo=repo)

    def add_label(
        self, repo: str, name: str, color: str = "ededed", description: str | None = None
    ) -> None:
        """Declare a repository label."""
        self._call("add_label", repo=repo, name=name, color=color, description=description)

    def merge_pull(
        self,
        repo: str,
        number: int,
        *,
        method: str = "merge",
        by: str = "maintainer",
        delete_branch: bool = False,
    ) -> str:
        """A maintainer merges a pull request (``merge`` or ``squash``); the new base head."""
        return self._call(
            "merge_pull",
            repo=repo,
            number=number,
            method=method,
            by=by,
            delete_branch=delete_branch,
        )

    def close_pull(self, repo: str, number: int, *, by: str = "maintainer") -> None:
        """A maintainer closes a pull request (or issue) without merging."""
        self._call("close_pull", repo=repo, number=number, by=by)

    def open_issue(
        self,
        repo: str,
        title: str,
        body: str | None = None,
        *,
        by: str = "maintainer",
        labels: Sequence[str] = (),
    ) -> int:
        """A person opens an issue with ``labels``; its number."""
        return self._call(
            "open_issue", repo=repo, title=title, body=body, by=by, labels=list(labels)
        )

    def comment(self, repo: str, number: int, body: str, *, by: str = "maintainer") -> int:
        """A person comments on an issue or pull request; the comment id."""
        return self._call("comment", repo=repo, number=number, body=body, by=by)


def _openapi_paths() -> dict[str, Any]:
    """The OpenAPI subset's ``paths`` (for checking operation names early)."""
    global _OPENAPI_PATHS
    if _OPENAPI_PATHS is None:
        spec = (
            Path(__file__).resolve().parents[3] / "shared" / "github" / "rest-openapi-subset.json"
        )
        _OPENAPI_PATHS = json.loads(spec.read_text(encoding="utf-8"))["paths"]
    return _OPENAPI_PATHS


_OPENAPI_PATHS: dict[str, Any] | None = None


# --------------------------------------------------------------------------- other services


class _Service:
    """Failure knobs shared by the built-in services."""

    api_host: str = ""

    def __init__(self, world: World) -> None:
        self._world = world

    def fail(
        self,
        status: int = 503,
        *,
        times: int | None = None,
        retry_after: int | str | None = None,
        body: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer ``status`` (with ``Retry-After`` when given) ``times`` times (None: always)."""
        self._world._add_fault(
            self.api_host,
            status=status,
            times=times,
            retry_after=retry_after,
            body=body,
            headers=dict(headers or {}),
        )

    def down(self, status: int = 503) -> None:
        """The service is down: every request answers ``status``."""
        self.fail(status)

    def malformed(self, *, times: int | None = None) -> None:
        """Answer 200 with a truncated, unparseable body."""
        self._world._add_fault(self.api_host, status=200, times=times, kind="malformed")

    def reset(self, *, times: int | None = None) -> None:
        """Kill the connection instead of answering."""
        self._world._add_fault(self.api_host, status=0, times=times, kind="reset")

    def throttle(
        self, min_interval: float = 3.0, *, status: int = 503, retry_after: int | None = None
    ) -> None:
        """Refuse with ``status`` any request starting sooner than ``min_interval`` seconds
        after the previous request to this service."""
        self._world.throttle(self.api_host, min_interval, status=status, retry_after=retry_after)


class ArxivWorld(_Service):
    """The fake export.arxiv.org API and arxiv.org abs/pdf pages."""

    api_host = "export.arxiv.org"

    def empty(self, times: int | None = None) -> None:
        """The next ``times`` API queries answer 200 with a valid feed holding no entries
        (``totalResults`` 0), as the real API intermittently does."""
        self._world._add_fault(self.api_host, kind="arxiv_empty", times=times)

    def paper(
        self,
        arxiv_id: str,
        *,
        title: str,
        authors: Sequence[str] = ("Ada Lovelace",),
        summary: str = "We study a problem and propose a method that works well.",
        published: str = "2023-12-12T18:59:59Z",
        updated: str | None = None,
        version: int = 1,
        comment: str | None = None,
        journal_ref: str | None = None,
        doi: str | None = None,
        primary_category: str = "cs.LG",
        categories: Sequence[str] | None = None,
        withdrawn: bool = False,
    ) -> None:
        """Declare a paper (``arxiv_id`` without version; ``version`` is the latest)."""
        base = arxiv_id.split("v")[0] if "v" in arxiv_id.split("/")[-1] else arxiv_id
        if withdrawn and comment is None:
            comment = "This paper has been withdrawn by the author"
        self._world._scenario["arxiv"]["papers"][base] = {
            "id": base,
            "title": _wrap(title, 70, "  "),
            "authors": list(authors),
            "summary": "  " + _wrap(summary, 78, "") + "\n",
            "published": published,
            "updated": updated or published,
            "version": version,
            "comment": comment,
            "journal_ref": journal_ref,
            "doi": doi,
            "primary_category": primary_category,
            "categories": list(categories or [primary_category]),
            "withdrawn": withdrawn,
        }
        self._world._changed()


class DblpWorld(_Service):
    """The fake dblp.org publication search API."""

    api_host = "dblp.org"

    def record(
        self,
        key: str,
        *,
        title: str,
        authors: Sequence[str],
        venue: str | Sequence[str],
        year: int | str,
        type: str = "Conference and Workshop Papers",
        doi: str | None = None,
        ee: str | Sequence[str] | None = None,
        pages: str | None = None,
        volume: str | None = None,
        number: str | None = None,
        access: str = "closed",
    ) -> None:
        """Declare a DBLP record. A title without a final period gets one (as DBLP)."""
        if not title.endswith((".", "?", "!")):
            title = title + "."
        if ee is None and doi:
            ee = f"https://doi.org/{doi}"
        recs = self._world._scenario["dblp"]["records"]
        recs[:] = [r for r in recs if r["key"] != key]
        recs.append(
            {
                "key": key,
                "title": title,
                "authors": list(authors),
                "venue": venue if isinstance(venue, str) else list(venue),
                "year": str(year),
                "type": type,
                "doi": doi,
                "ee": ee if ee is None or isinstance(ee, str) else list(ee),
                "pages": pages,
                "volume": volume,
                "number": number,
                "access": access,
            }
        )
        self._world._changed()

    def corr(self, arxiv_id: str, *, title: str, authors: Sequence[str], year: int | str) -> None:
        """Declare the CoRR (arXiv) record DBLP keeps for a preprint."""
        compact = arxiv_id.replace(".", "-").replace("/", "-")
        self.record(
            f"journals/corr/abs-{compact}",
            title=title,
            authors=authors,
            venue="CoRR",
            year=year,
            type="Informal and Other Publications",
            volume=f"abs/{arxiv_id}",
            doi=f"10.48550/ARXIV.{arxiv_id.upper()}",
            ee=f"https://doi.org/10.48550/arXiv.{arxiv_id}",
            access="open",
        )


class SemanticScholarWorld(_Service):
    """The fake api.semanticscholar.org graph API."""

    api_host = "api.semanticscholar.org"

    def paper(
        self,
        *,
        title: str,
        arxiv: str | None = None,
        doi: str | None = None,
        dblp: str | None = None,
        corpus_id: int | None = None,
        paper_id: str | None = None,
        venue: str = "",
        year: int | None = None,
        publication_venue: Mapping[str, Any] | None = None,
        journal: Mapping[str, Any] | None = None,
        publication_date: str | None = None,
        authors: Sequence[str] = (),
        citation_count: int = 0,
    ) -> str:
        """Declare a paper; returns its ``paperId``."""
        paper_id = paper_id or sha1_hex(f"s2:{title}:{arxiv}:{doi}")
        corpus_id = corpus_id or self._world._next_id()
        ext: dict[str, Any] = {"CorpusId": corpus_id}
        if arxiv:
            ext["ArXiv"] = arxiv
        if doi:
            ext["DOI"] = doi
        if dblp:
            ext["DBLP"] = dblp
        papers = self._world._scenario["s2"]["papers"]
        papers[:] = [p for p in papers if p["paperId"] != paper_id]
        papers.append(
            {
                "paperId": paper_id,
                "title": title,
                "venue": venue,
                "year": year,
                "externalIds": ext,
                "publicationVenue": dict(publication_venue) if publication_venue else None,
                "journal": dict(journal) if journal else None,
                "publicationDate": publication_date,
                "citationCount": citation_count,
                "authors": [
                    {"authorId": str(1000 + i + self._world._next_id()), "name": a}
                    for i, a in enumerate(authors)
                ],
            }
        )
        self._world._changed()
        return paper_id

    @property
    def api_key(self) -> str | None:
        """The only accepted ``x-api-key`` (None: any key is accepted)."""
        return self._world._scenario["s2"]["api_key"]

    @api_key.setter
    def api_key(self, value: str | None) -> None:
        self._world._scenario["s2"]["api_key"] = value
        self._world._changed()

    def rate_limit_anonymous(self, *, times: int | None = None) -> None:
        """Requests without ``x-api-key`` answer 429 ``times`` times (None: always)."""
        self._world._add_fault(self.api_host, status=429, times=times, kind="s2_anonymous")


# DOI prefixes of DataCite members: arXiv, Zenodo, figshare, Dryad, OSF.
DATACITE_PREFIXES = frozenset({"10.48550", "10.5281", "10.6084", "10.5061", "10.17605"})


class DoiWorld(_Service):
    """The fake doi.org resolver and handle API."""

    api_host = "doi.org"

    def register(self, doi: str, url: str, *, agency: str | None = None) -> None:
        """``https://doi.org/<doi>`` redirects (302) to ``url``. ``agency`` registered it:
        ``crossref`` (then api.crossref.org lists it too) or ``datacite``; by default
        DataCite for its well-known prefixes (arXiv's ``10.48550``, Zenodo's…), else
        Crossref."""
        if agency is None:
            agency = "datacite" if doi.split("/", 1)[0] in DATACITE_PREFIXES else "crossref"
        self._world._scenario["doi"]["dois"][doi.lower()] = {"doi": doi, "url": url,
                                                             "agency": agency}
        self._world._changed()


class CrossrefWorld(_Service):
    """The fake Crossref REST API: the Crossref DOIs of ``world.doi`` (``crossref.py``)."""

    api_host = "api.crossref.org"


class WaybackWorld(_Service):
    """The fake Wayback Machine (archive.org availability API, web.archive.org)."""

    api_host = "archive.org"

    def snapshot(self, url: str, timestamp: str = "20200101000000", status: str = "200") -> None:
        """Declare a capture of ``url`` at ``timestamp`` (YYYYMMDDhhmmss)."""
        self._world._scenario["wayback"]["snapshots"].append(
            {"url": url, "timestamp": timestamp, "status": str(status)}
        )
        self._world._changed()


# --------------------------------------------------------------------------- scenario hosts


_ROUTE_KEYS = {
    "status",
    "body",
    "headers",
    "content_type",
    "redirect",
    "retry_after",
    "fail_first",
    "fail_status",
    "hang",
    "reset",
    "refuse_head",
    "delay_ms",
    "challenge",
    "body_size",
    "methods",
    "trickle",
    "endless",
    "reset_after",
    "gzip_bomb",
    "header_flood",
}


class HostBuilder:
    """Per-path behaviours of one scenario host; returned by :meth:`World.host`."""

    def __init__(self, world: World, name: str) -> None:
        self._world = world
        self.name = name

    @property
    def _h(self) -> dict[str, Any]:
        return self._world._scenario["hosts"][self.name]

    def route(
        self,
        path: str,
        *,
        status: int | None = None,
        body: str | bytes | None = None,
        headers: Mapping[str, str] | None = None,
        content_type: str | None = None,
        redirect: str | None = None,
        retry_after: int | str | None = None,
        fail_first: int = 0,
        fail_status: int = 503,
        hang: bool = False,
        reset: bool = False,
        refuse_head: bool = False,
        delay_ms: int = 0,
        challenge: bool = False,
        body_size: int | None = None,
        methods: Sequence[str] | None = None,
        trickle: float | None = None,
        endless: bool = False,
        reset_after: int | None = None,
        gzip_bomb: int | None = None,
        header_flood: int | None = None,
    ) -> HostBuilder:
        """Declare how ``path`` answers. Returns the builder for chaining.

        ``path`` is exact (``/a/b``), exact with query (``/a?x=1``) or a glob (``/docs/*``).
        ``redirect`` (absolute or relative URL) answers ``status`` (default 301) with
        ``Location``. ``fail_first=N`` answers ``fail_status`` (with ``retry_after`` when
        given) for the first N requests, then the route's normal answer. A bare
        ``retry_after`` with a 429/503 ``status`` answers that status forever.
        ``hang`` sleeps past any client timeout; ``reset`` kills the connection;
        ``refuse_head`` answers 405 to HEAD; ``challenge`` answers Cloudflare's 403
        challenge; ``body_size`` sends that many generated bytes.

        Hostile servers: ``trickle=s`` sends the body one byte every ``s`` seconds
        (``body_size`` bytes, default 10 MB; a slowloris); ``endless`` sends a body that
        never ends; ``reset_after=n`` sends n body bytes of a longer promised body, then
        resets the connection; ``gzip_bomb=n`` sends n zero bytes gzip-compressed
        (``content-encoding: gzip``); ``header_flood=n`` adds n headers of 100 bytes.
        """
        spec = self._spec(locals())
        spec["path"] = path
        spec["rid"] = self._world._next_id()
        routes = self._h["routes"]
        routes[:] = [r for r in routes if r["path"] != path]
        routes.append(spec)
        self._world._changed()
        return self

    def default(self, **kw: Any) -> HostBuilder:
        """How paths without a route answer (default: 404 page). Same keywords as route."""
        unknown = set(kw) - _ROUTE_KEYS
        if unknown:
            raise TypeError(f"unknown route options {sorted(unknown)}")
        spec = self._spec(kw)
        spec["rid"] = self._world._next_id()
        self._h["default"] = spec
        self._world._changed()
        return self

    def redirect_loop(self, path: str, status: int = 302) -> HostBuilder:
        """``path`` redirects to itself forever."""
        return self.route(path, redirect=path, status=status)

    def _spec(self, kw: Mapping[str, Any]) -> dict[str, Any]:
        spec: dict[str, Any] = {}
        for key in _ROUTE_KEYS:
            value = kw.get(key)
            if value in (None, False, 0, ()) and key != "status":
                continue
            if key == "body" and isinstance(value, bytes):
                spec["body_b"] = value.decode("latin-1")
                continue
            if key == "headers":
                value = dict(value)
            if key == "methods":
                value = [m.upper() for m in value]
            spec[key] = value
        if spec.get("status") is None:
            spec["status"] = 301 if spec.get("redirect") else 200
        return spec


# --------------------------------------------------------------------------- request log


@dataclass(frozen=True)
class CliUsage:
    """What one CLI run cost: wall time and the child's peak resident set (KiB)."""

    wall_seconds: float
    max_rss_kib: int


@dataclass(frozen=True)
class RequestRecord:
    """One request the proxy saw."""

    seq: int
    start: float
    """``time.monotonic()`` when the request arrived (same clock as the test process)."""
    end: float | None
    """When the answer was produced (None while in flight, e.g. a hang)."""
    scheme: str
    host: str
    method: str
    path: str
    query: str
    headers: dict[str, str]
    """Selected headers. ``authorization`` / ``x-api-key`` hold only ``"present"``."""
    status: int | None
    error: str | None = None
    body: str | None = None
    """Request body (POST/PUT/PATCH, truncated to 64 KiB) — GraphQL queries, S2 id lists."""
    note: str | None = None
    violation: str | None = None

    @property
    def authorized(self) -> bool:
        """Whether an ``Authorization`` header was sent."""
        return "authorization" in self.headers

    @property
    def duration(self) -> float | None:
        """Seconds from arrival to answer."""
        return None if self.end is None else self.end - self.start

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RequestRecord:
        """Build from the proxy's JSON log entry."""
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})


def peak_concurrency(records: Sequence[RequestRecord]) -> int:
    """The most requests in flight at once among ``records``."""
    events: list[tuple[float, int]] = []
    for r in records:
        events.append((r.start, 1))
        events.append((r.end if r.end is not None else float("inf"), -1))
    events.sort(key=lambda e: (e[0], e[1]))
    peak = current = 0
    for _, delta in events:
        current += delta
        peak = max(peak, current)
    return peak


def start_gaps(records: Sequence[RequestRecord]) -> list[float]:
    """Seconds between consecutive request starts (sorted by start)."""
    starts = sorted(r.start for r in records)
    return [b - a for a, b in itertools.pairwise(starts)]


# --------------------------------------------------------------------------- the world


def _empty_scenario() -> dict[str, Any]:
    return {
        "github": {
            "token": DEFAULT_TOKEN,
            "viewer": "listwatch-bot",
            "repos": {},
            "aliases": {},
            "rate_limits": {
                "rest_limit": 5000,
                "rest_used": 0,
                "rest_anonymous_limit": 60,
                "rest_anonymous_used": 0,
                "graphql_limit": 5000,
                "graphql_used": 0,
                "graphql_exhausted_status": 200,
            },
        },
        "arxiv": {"papers": {}},
        "dblp": {"records": []},
        "s2": {"papers": [], "api_key": None},
        "doi": {"dois": {}},
        "wayback": {"snapshots": []},
        "hosts": {
            "dl.acm.org": {"routes": [], "default": None, "challenge": "non-browser"},
        },
        "unresolvable": [],
        "faults": {},
        "throttles": {},
    }


@dataclass
class World:
    """A scenario for the simulated internet, plus access to what the proxy saw.

    Build it with the service objects (``github``, ``arxiv``, ``dblp``, ``s2``, ``doi``,
    ``crossref``, ``wayback``) and :meth:`host`; run the CLI with :attr:`env` (or
    :meth:`run_cli`); read the log with :meth:`requests`.
    """

    push: Callable[[dict[str, Any]], None] | None = None
    fetch_log: Callable[[], list[dict[str, Any]]] | None = None
    fetch_violations: Callable[[], list[str]] | None = None
    github_call: Callable[[str, dict[str, Any]], Any] | None = None
    """Runs a fake-GitHub action/inspection in the proxy (``github_admin.py``)."""
    env: dict[str, str] = field(default_factory=dict)
    """Environment for a CLI subprocess: proxy, CA bundle, no real GitHub token."""
    ca_path: str | None = None
    proxy_url: str | None = None

    def __post_init__(self) -> None:
        self._scenario = _empty_scenario()
        self._ids = 100000
        self._batch = 0
        self._dirty = False
        self.github = GitHubWorld(self)
        self.arxiv = ArxivWorld(self)
        self.dblp = DblpWorld(self)
        self.s2 = SemanticScholarWorld(self)
        self.doi = DoiWorld(self)
        self.crossref = CrossrefWorld(self)
        self.wayback = WaybackWorld(self)

    @classmethod
    def on(cls, proxy: WorldProxy) -> World:
        """An empty world driving ``proxy`` (which is reset first)."""
        proxy.reset()
        return cls(push=proxy.put_scenario, fetch_log=proxy.log,
                   fetch_violations=proxy.violations, github_call=proxy.github_call,
                   env=proxy.env(), ca_path=proxy.ca_path, proxy_url=proxy.url)

    # -- building

    @property
    def github_token(self) -> str:
        """A token the fake GitHub accepts."""
        return self.github.token

    def host(
        self, name: str, *, challenge: str | bool | None = None, tls: str | None = None
    ) -> HostBuilder:
        """A scenario host (http and https). ``challenge``: ``"non-browser"`` (Cloudflare
        403 unless the User-Agent looks like a browser), ``"always"``, or None/False.
        ``tls``: its https certificate is ``"self-signed"``, ``"expired"`` or issued for
        another name (``"wrong-host"``)."""
        name = name.lower()
        hosts = self._scenario["hosts"]
        if name not in hosts:
            hosts[name] = {"routes": [], "default": None, "challenge": None}
        if challenge is not None:
            hosts[name]["challenge"] = "always" if challenge is True else (challenge or None)
        if tls is not None:
            if tls not in ("self-signed", "expired", "wrong-host"):
                raise ValueError(f"unknown tls fault {tls!r}")
            hosts[name]["tls"] = tls
        if name in self._scenario["unresolvable"]:
            self._scenario["unresolvable"].remove(name)
        self._changed()
        return HostBuilder(self, name)

    def unresolvable(self, *names: str) -> None:
        """These names do not resolve (unknown hosts never resolve either)."""
        for name in names:
            name = name.lower()
            self._scenario["hosts"].pop(name, None)
            if name not in self._scenario["unresolvable"]:
                self._scenario["unresolvable"].append(name)
        self._changed()

    def throttle(
        self,
        host: str,
        min_interval: float,
        *,
        status: int = 503,
        retry_after: int | None = None,
    ) -> None:
        """Answer ``status`` to requests to ``host`` that start sooner than
        ``min_interval`` seconds after the previous one."""
        self._scenario["throttles"][host.lower()] = {
            "min_interval": min_interval,
            "status": status,
            "retry_after": retry_after,
        }
        self._changed()

    def fail(
        self,
        host: str,
        status: int = 503,
        *,
        times: int | None = None,
        retry_after: int | str | None = None,
    ) -> None:
        """Any host (built-in or scenario): answer ``status`` ``times`` times first."""
        self._add_fault(host.lower(), status=status, times=times, retry_after=retry_after)

    def malformed(self, host: str, *, times: int | None = None) -> None:
        """Any host: answer 200 with a truncated, unparseable JSON body."""
        self._add_fault(host.lower(), status=200, times=times, kind="malformed")

    def trickle(self, host: str, interval: float, *, times: int | None = None) -> None:
        """Any host: answer 200 and send the body one byte every ``interval`` seconds."""
        self._add_fault(host.lower(), status=200, times=times, kind="trickle",
                        interval=interval)

    def endless(self, host: str, *, times: int | None = None) -> None:
        """Any host: answer 200 with a body that never ends."""
        self._add_fault(host.lower(), status=200, times=times, kind="endless")

    @contextlib.contextmanager
    def batch(self) -> Iterator[World]:
        """Push all changes made inside the block at once, at its end."""
        self._batch += 1
        try:
            yield self
        finally:
            self._batch -= 1
            if self._batch == 0 and self._dirty:
                self.sync()

    def to_dict(self) -> dict[str, Any]:
        """The scenario as JSON-ready data (what the proxy receives)."""
        return self._scenario

    def sync(self) -> None:
        """Push the scenario to the proxy now."""
        self._dirty = False
        if self.push is not None:
            self.push(self._scenario)

    # -- reading the log

    def requests(
        self,
        host: str | None = None,
        *,
        method: str | None = None,
        path: str | None = None,
        path_prefix: str | None = None,
    ) -> list[RequestRecord]:
        """Requests the proxy saw in this test, oldest first, optionally filtered."""
        raw = self.fetch_log() if self.fetch_log else []
        out = []
        for entry in raw:
            rec = RequestRecord.from_json(entry)
            if host is not None and rec.host != host.lower():
                continue
            if method is not None and rec.method != method.upper():
                continue
            if path is not None and rec.path != path:
                continue
            if path_prefix is not None and not rec.path.startswith(path_prefix):
                continue
            out.append(rec)
        return out

    def peak_concurrency(self, host: str | None = None) -> int:
        """Most requests in flight at once (to ``host``, or overall)."""
        return peak_concurrency(self.requests(host))

    def start_gaps(self, host: str) -> list[float]:
        """Seconds between consecutive request starts to ``host``."""
        return start_gaps(self.requests(host))

    def violations(self) -> list[str]:
        """Contract violations so far (unknown REST operations, unimplemented fakes...)."""
        return self.fetch_violations() if self.fetch_violations else []

    # -- running the CLI

    def run_cli(
        self,
        *args: str,
        cwd: str | os.PathLike[str] | None = None,
        timeout: float = 120,
        input: str | None = None,
        extra_env: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run ``python -m listwatch *args`` against this world; never raises on exit code."""
        env = dict(self.env)
        env.update(extra_env or {})
        return subprocess.run(
            [sys.executable, "-m", "listwatch", *args],
            cwd=cwd,
            env=env,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def run_cli_measured(
        self,
        *args: str,
        cwd: str | os.PathLike[str] | None = None,
        timeout: float = 120,
        extra_env: Mapping[str, str] | None = None,
    ) -> tuple[subprocess.CompletedProcess[str], CliUsage]:
        """``run_cli``, plus the child's wall time and peak RSS.

        The peak comes from GNU ``time`` when installed: a process started straight from
        pytest inherits pytest's own high-water mark (Linux copies it at fork), so
        ``wait4`` alone (the fallback) cannot report less than pytest's RSS.
        """
        env = dict(self.env)
        env.update(extra_env or {})
        cmd = [sys.executable, "-m", "listwatch", *args]
        gnu_time = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists()
                                            else None)
        with tempfile.TemporaryDirectory() as scratch:
            peak_file = Path(scratch) / "peak"
            wrapped = [gnu_time, "-q", "-f", "%M", "-o", str(peak_file), *cmd] if gnu_time \
                else cmd
            with open(Path(scratch) / "out", "w+b") as out, \
                    open(Path(scratch) / "err", "w+b") as err:
                started = time.monotonic()
                proc = subprocess.Popen(wrapped, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                        stdout=out, stderr=err, start_new_session=True)
                deadline = started + timeout
                while True:
                    pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                    if pid:
                        break
                    if time.monotonic() > deadline:
                        os.killpg(proc.pid, signal.SIGKILL)
                        pid, status, usage = os.wait4(proc.pid, 0)
                        break
                    time.sleep(0.02)
                wall = time.monotonic() - started
                proc.returncode = code = os.waitstatus_to_exitcode(status)
                if gnu_time and code == 128 + signal.SIGKILL:
                    code = -signal.SIGKILL  # as run_cli reports a killed child
                out.seek(0)
                err.seek(0)
                result = subprocess.CompletedProcess(
                    cmd, code, out.read().decode("utf-8", "replace"),
                    err.read().decode("utf-8", "replace"))
            peak = usage.ru_maxrss
            if gnu_time and peak_file.exists():
                lines = peak_file.read_text().split()
                peak = int(lines[-1]) if lines and lines[-1].isdigit() else peak
        return result, CliUsage(wall_seconds=wall, max_rss_kib=peak)

    # -- internals

    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    def _add_fault(self, host: str, **spec: Any) -> None:
        spec.setdefault("kind", "status")
        spec["fid"] = self._next_id()
        self._scenario["faults"].setdefault(host, []).append(spec)
        self._changed()

    def _changed(self) -> None:
        self._dirty = True
        if self._batch == 0:
            self.sync()
