"""GitHub repository facts, with the fewest requests GitHub allows.

With a token (``GITHUB_TOKEN`` or ``GH_TOKEN``): one GraphQL query per up to 100
repositories, one alias each; an alias that comes back ``null`` with a
``NOT_FOUND`` error is a repository that is gone, the rest of the batch stands.
``rateLimit { cost remaining resetAt }`` is read after each batch and the run stops
before the budget is spent.

Without a token GraphQL refuses (401), so REST through PyGithub is used, in a
worker thread, one request per repository within the anonymous budget (60 an
hour): the remaining budget is read from ``X-RateLimit-*`` headers and asking
stops when it is spent, with one warning. Renames are followed (REST answers
301 to ``/repositories/{id}``, which PyGithub follows); conditional requests
(``If-None-Match``) refresh stale cache entries, and a ``304`` costs nothing.

``GITHUB_API_URL`` is honoured; GitHub Enterprise serves GraphQL at
``{host}/api/graphql`` beside REST at ``{host}/api/v3``. The token never appears
in messages.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

import httpx
from urllib3.util.retry import Retry

from listwatch import net
from listwatch.config import DEFAULT_USER_AGENT
from listwatch.credentials import PUBLIC_API_URL
from listwatch.identifiers import is_full_name
from listwatch.model import CacheEntry, FactCache, RepoFacts
from listwatch.sources import cache
from listwatch.sources.http import ServiceDown, send

NAMESPACE = "github.repo"
BATCH = 100

_FIELDS = """fragment RepoFields on Repository {
  nameWithOwner stargazerCount isArchived isDisabled isFork
  defaultBranchRef { name }
  pushedAt description homepageUrl url
}"""


@dataclass(frozen=True)
class RepoReport:
    """Facts by lowercase ``owner/name`` as linked; warnings; requests sent."""

    facts: Mapping[str, RepoFacts]
    warnings: tuple[str, ...]
    requests: int


def graphql_url(api_url: str) -> str:
    """``https://api.github.com/graphql``, or ``{host}/api/graphql`` for Enterprise."""
    base = api_url.rstrip("/")
    if base.endswith("/api/v3"):
        return base[: -len("/v3")] + "/graphql"
    return base + "/graphql"


def rest_url(api_url: str, full_name: str) -> str:
    """The REST URL of repository ``full_name`` under the API base ``api_url``."""
    return f"{api_url.rstrip('/')}/repos/{full_name}"


def build_query(names: list[str]) -> tuple[str, dict[str, str]]:
    """A GraphQL query with one ``repository`` alias per name, and its variables."""
    params: list[str] = []
    fields: list[str] = []
    variables: dict[str, str] = {}
    for index, name in enumerate(names):
        owner, repo = name.split("/", 1)
        params += [f"$o{index}: String!", f"$n{index}: String!"]
        fields.append(f"  r{index}: repository(owner: $o{index}, name: $n{index}) "
                      "{ ...RepoFields }")
        variables[f"o{index}"] = owner
        variables[f"n{index}"] = repo
    body = "\n".join(fields)
    query = (f"query({', '.join(params)}) {{\n{body}\n"
             "  rateLimit { cost remaining resetAt }\n}\n" + _FIELDS)
    return query, variables


def _when(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def facts_from_graphql(requested: str, node: Mapping[str, Any], now: datetime,
                       api_url: str) -> RepoFacts:
    branch = node.get("defaultBranchRef")
    return RepoFacts(
        requested=requested, exists=True,
        name_with_owner=node.get("nameWithOwner"),
        stars=node.get("stargazerCount"),
        archived=bool(node.get("isArchived")),
        disabled=bool(node.get("isDisabled")),
        fork=bool(node.get("isFork")),
        default_branch=branch.get("name") if isinstance(branch, dict) else None,
        pushed_at=_when(node.get("pushedAt")),
        description=node.get("description"),
        homepage=node.get("homepageUrl") or None,
        url=node.get("url"),
        fetched_at=now,
        api_url=rest_url(api_url, requested),
    )


def facts_from_rest(requested: str, data: Mapping[str, Any], now: datetime,
                    api_url: str) -> RepoFacts:
    return RepoFacts(
        requested=requested, exists=True,
        name_with_owner=data.get("full_name"),
        stars=data.get("stargazers_count"),
        archived=bool(data.get("archived")),
        disabled=bool(data.get("disabled")),
        fork=bool(data.get("fork")),
        default_branch=data.get("default_branch"),
        pushed_at=_when(data.get("pushed_at")),
        description=data.get("description"),
        homepage=data.get("homepage") or None,
        url=data.get("html_url"),
        fetched_at=now,
        api_url=rest_url(api_url, requested),
    )


def facts_not_found(requested: str, now: datetime, api_url: str) -> RepoFacts:
    """GitHub says there is no repository ``requested`` (NOT_FOUND, or REST 404)."""
    return RepoFacts(requested=requested, exists=False, fetched_at=now,
                     api_url=rest_url(api_url, requested))


def _to_json(facts: RepoFacts) -> dict[str, Any]:
    data = asdict(facts)
    for name in ("pushed_at", "fetched_at"):
        data[name] = data[name].isoformat() if data[name] else None
    return data


def _from_cache(entry: CacheEntry, api_url: str) -> RepoFacts | None:
    """Cached facts; entries from before ``api_url`` was kept get it from the API base."""
    data = cache.decode(entry)
    if not isinstance(data, dict):
        return None
    try:
        if data.get("api_url") is None and isinstance(data.get("requested"), str):
            data["api_url"] = rest_url(api_url, data["requested"])
        data["pushed_at"] = _when(data.get("pushed_at"))
        data["fetched_at"] = entry.fetched_at
        return RepoFacts(**data)
    except TypeError:
        return None


@dataclass
class _Run:
    """Mutable state of one fetch: results, warnings, request count."""

    facts: dict[str, RepoFacts]
    warnings: list[str]
    requests: int = 0


async def fetch_repos(
    names: Iterable[str],
    *,
    client: httpx.AsyncClient,
    token: str | None,
    api_url: str = PUBLIC_API_URL,
    store: FactCache | None = None,
    now: datetime,
    max_age_s: float,
    user_agent: str = DEFAULT_USER_AGENT,
    timeout: float = 20.0,
) -> RepoReport:
    """Facts for every ``owner/name`` in ``names`` (cached facts younger than ``max_age_s``
    are not asked again)."""
    wanted: dict[str, str] = {}
    run = _Run(facts={}, warnings=[])
    for name in names:
        name = name.strip().strip("/").removesuffix(".git")
        if not is_full_name(name):
            run.warnings.append(f"github: not a repository name: {name!r}")
            continue
        wanted.setdefault(name.lower(), name)
    entries = cache.get_many(store, NAMESPACE, wanted)
    stale: dict[str, CacheEntry] = {}
    todo: list[str] = []
    for key in wanted:
        entry = entries.get(key)
        cached = _from_cache(entry, api_url) if entry else None
        if entry and cached and cache.is_fresh(entry, now, max_age_s):
            run.facts[key] = replace(cached, requested=wanted[key])
        else:
            if entry and cached:
                stale[key] = entry
            todo.append(key)
    if todo and token:
        todo = await _graphql(todo, wanted, run, client=client, token=token, api_url=api_url,
                              store=store, now=now)
    if todo:
        await asyncio.to_thread(_rest, todo, wanted, stale, run, api_url=api_url,
                                store=store, now=now, user_agent=user_agent, timeout=timeout)
    for key, entry in stale.items():  # what is known, even if old
        if key not in run.facts:
            cached = _from_cache(entry, api_url)
            if cached:
                run.facts[key] = replace(cached, requested=wanted[key])
    return RepoReport(facts=dict(run.facts), warnings=tuple(run.warnings),
                      requests=run.requests)


async def _graphql(
    todo: list[str], wanted: Mapping[str, str], run: _Run, *, client: httpx.AsyncClient,
    token: str, api_url: str, store: FactCache | None, now: datetime,
) -> list[str]:
    """Ask GraphQL in batches; returns the keys still unknown (for the REST fallback)."""
    url = graphql_url(api_url)
    headers = {"Authorization": f"bearer {token}"}
    remaining: int | None = None
    cost = 1
    for start in range(0, len(todo), BATCH):
        batch = todo[start:start + BATCH]
        if remaining is not None and remaining < cost + 1:
            left = len(todo) - start
            run.warnings.append(
                f"github: GraphQL rate limit nearly spent (remaining {remaining}); "
                f"{left} repositor{'y' if left == 1 else 'ies'} not checked this run")
            return []
        query, variables = build_query([wanted[k] for k in batch])
        try:
            counter = _CountInto(run)
            response = await send(client, "POST", url, service="api.github.com (GraphQL)",
                                  json={"query": query, "variables": variables},
                                  headers=headers, counter=counter,
                                  ok_statuses=frozenset({200, 401, 403}),
                                  retry_403_with_retry_after=True)
        except ServiceDown as exc:
            run.warnings.append(f"github: {exc}")
            return []
        if response.status_code == 401:
            run.warnings.append("github: the token was refused by GraphQL (401); "
                                "falling back to anonymous REST")
            return todo[start:]
        if response.status_code == 403:
            run.warnings.append("github: GraphQL refused the query (403, rate limited or "
                                "forbidden); stopped asking")
            return []
        try:
            payload = response.json()
        except ValueError:
            run.warnings.append("github: GraphQL answer is not JSON; batch skipped")
            continue
        if not _read_batch(payload, batch, wanted, run, store=store, now=now, api_url=api_url):
            left = len(todo) - start
            run.warnings.append(f"github: GraphQL rate limit reached; {left} "
                                f"repositor{'y' if left == 1 else 'ies'} not checked this run")
            return []
        limit = (payload.get("data") or {}).get("rateLimit") if isinstance(payload, dict) else None
        if isinstance(limit, dict):
            remaining = limit.get("remaining") if isinstance(limit.get("remaining"), int) else None
            cost = limit.get("cost") if isinstance(limit.get("cost"), int) else cost
    return []


class _CountInto:
    """Adapter: ``send`` increments ``sent``; the run keeps the total."""

    def __init__(self, run: _Run) -> None:
        self._run = run

    @property
    def sent(self) -> int:
        return self._run.requests

    @sent.setter
    def sent(self, value: int) -> None:
        self._run.requests = value


def _read_batch(payload: Any, batch: list[str], wanted: Mapping[str, str], run: _Run, *,
                store: FactCache | None, now: datetime, api_url: str) -> bool:
    """Record the facts of one answer; False when GitHub says the rate limit is reached."""
    if not isinstance(payload, dict):
        run.warnings.append("github: GraphQL answer is not an object; batch skipped")
        return True
    data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
    errors: dict[str, dict[str, Any]] = {}
    general: list[str] = []
    for error in payload.get("errors") or []:
        if not isinstance(error, dict):
            continue
        if error.get("type") == "RATE_LIMITED":
            return False
        path = error.get("path") or []
        if path and isinstance(path[0], str):
            errors[path[0]] = error
        else:
            general.append(str(error.get("message", "unknown error"))[:200])
    if general and not data:
        run.warnings.append(f"github: GraphQL error: {general[0]}")
        return True
    for index, key in enumerate(batch):
        alias = f"r{index}"
        node = data.get(alias)
        if isinstance(node, dict):
            facts = facts_from_graphql(wanted[key], node, now, api_url)
            run.facts[key] = facts
            cache.put(store, NAMESPACE, key, _to_json(facts), now=now)
        elif alias in errors and errors[alias].get("type") == "NOT_FOUND":
            facts = facts_not_found(wanted[key], now, api_url)
            run.facts[key] = facts
            cache.put(store, NAMESPACE, key, _to_json(facts), now=now)
        elif alias in errors:
            kind = errors[alias].get("type") or "error"
            run.warnings.append(f"github: {wanted[key]}: GraphQL {kind}")
        elif alias not in data:
            run.warnings.append(f"github: {wanted[key]}: missing from the GraphQL answer")
    return True


def _rest(todo: list[str], wanted: Mapping[str, str], stale: Mapping[str, CacheEntry],
          run: _Run, *, api_url: str, store: FactCache | None, now: datetime, user_agent: str,
          timeout: float) -> None:
    """Anonymous REST through PyGithub (in a worker thread), within the budget."""
    from github import Github, GithubException, UnknownObjectException

    retry = Retry(total=2, backoff_factor=1.0, status_forcelist=(500, 502, 503, 504),
                  allowed_methods=frozenset({"GET"}), respect_retry_after_header=True,
                  raise_on_status=False)
    gh = Github(base_url=api_url, user_agent=user_agent, timeout=max(1, int(timeout)),
                retry=retry, verify=net.requests_verify(), seconds_between_requests=None,
                lazy=True)
    requester = gh.requester
    try:
        for index, key in enumerate(todo):
            remaining = requester.rate_limiting[0]
            if 0 <= remaining < 1:
                left = len(todo) - index
                run.warnings.append(
                    f"github: anonymous REST budget spent ({requester.rate_limiting[1]} "
                    f"requests an hour; set GITHUB_TOKEN for more); {left} "
                    f"repositor{'y' if left == 1 else 'ies'} not checked this run")
                return
            owner, name = wanted[key].split("/", 1)
            entry = stale.get(key)
            headers = {"If-None-Match": entry.etag} if entry and entry.etag else None
            run.requests += 1
            try:
                response_headers, data = requester.requestJsonAndCheck(
                    "GET", f"/repos/{owner}/{name}", headers=headers)
            except UnknownObjectException:
                facts = facts_not_found(wanted[key], now, api_url)
                run.facts[key] = facts
                cache.put(store, NAMESPACE, key, _to_json(facts), now=now)
                continue
            except GithubException as exc:
                if exc.status in (403, 429):
                    run.warnings.append(
                        f"github: REST refused (HTTP {exc.status}, rate limited); "
                        f"{len(todo) - index} repositories not checked this run")
                    return
                run.warnings.append(f"github: {wanted[key]}: REST HTTP {exc.status}")
                continue
            except (OSError, RuntimeError) as exc:
                run.warnings.append(f"github: REST request failed ({type(exc).__name__}); "
                                    "stopped asking")
                return
            etag = response_headers.get("etag")
            if data is None and entry is not None:  # 304 Not Modified
                cached = _from_cache(entry, api_url)
                if cached:
                    run.facts[key] = replace(cached, requested=wanted[key], fetched_at=now)
                    if store is not None:
                        store.cache_put_many(NAMESPACE, [(key, entry.value, etag or entry.etag)],
                                             now=now)
                continue
            if not isinstance(data, dict) or "full_name" not in data:
                run.warnings.append(f"github: {wanted[key]}: malformed REST answer")
                continue
            facts = facts_from_rest(wanted[key], data, now, api_url)
            run.facts[key] = facts
            cache.put(store, NAMESPACE, key, _to_json(facts), now=now, etag=etag)
    finally:
        gh.close()
