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
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from listwatch import net
from listwatch.config import DEFAULT_USER_AGENT
from listwatch.credentials import PUBLIC_API_URL
from listwatch.errors import GitHubError
from listwatch.identifiers import is_full_name
from listwatch.model import CacheEntry, FactCache, RepoFacts
from listwatch.net import clock
from listwatch.net.services import GITHUB
from listwatch.sources import cache
from listwatch.sources.interface import Source, SourceContext, SourceResult

NAMESPACE = "github.repo"
BATCH = 100
IN_FLIGHT = 4  # GraphQL queries at once (GitHub's secondary limit allows 100)
CPU_BUDGET = 50.0  # seconds of GraphQL response time per minute (GitHub allows 60)

_FIELDS = """fragment RepoFields on Repository {
  nameWithOwner stargazerCount isArchived isDisabled isFork
  defaultBranchRef { name }
  pushedAt description homepageUrl url
}"""


# Facts by lowercase ``owner/name`` as linked; warnings; requests sent.
RepoReport = SourceResult[RepoFacts]


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


def _same(requested: str, name: Any) -> Any:
    """``name``, as the ``requested`` string itself when equal (one string, not two)."""
    return requested if name == requested else name


def facts_from_graphql(requested: str, node: Mapping[str, Any], now: datetime,
                       api_url: str) -> RepoFacts:
    branch = node.get("defaultBranchRef")
    return RepoFacts(
        requested=requested, exists=True,
        name_with_owner=_same(requested, node.get("nameWithOwner")),
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
        name_with_owner=_same(requested, data.get("full_name")),
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


_FACT_FIELDS = tuple(f.name for f in fields(RepoFacts))


def _to_json(facts: RepoFacts) -> dict[str, Any]:
    data = {name: getattr(facts, name) for name in _FACT_FIELDS}  # flat: asdict's deep copy
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
    """Mutable state of one fetch: results and warnings."""

    facts: dict[str, RepoFacts]
    warnings: list[str]


def _elapsed(response: Any) -> float:
    """How long GitHub took to answer (httpx's ``elapsed``; 0 when unknown)."""
    try:
        return float(response.elapsed.total_seconds())
    except (AttributeError, RuntimeError):
        return 0.0


class _Pacer:
    """GitHub's GraphQL limits as one fetch sees them.

    Primary: ``rateLimit { cost remaining resetAt }`` of each answer; a query is sent
    only while the points left cover it and the queries in flight (plus one point of
    margin). When they do not, the fetch waits for ``resetAt`` if that is at most
    ``retry_after_max`` away, else stops. Secondary: at most ``IN_FLIGHT`` queries at
    once (GitHub allows 100) and at most ``CPU_BUDGET`` seconds of response time per
    minute (GitHub allows 60 s of GraphQL CPU time, estimated from response times).
    """

    def __init__(self, retry_after_max: float) -> None:
        self.retry_after_max = retry_after_max
        self.remaining: int | None = None
        self.cost = 1
        self.reset_at: datetime | None = None
        self.in_flight = 0
        self.busy: deque[tuple[float, float]] = deque()  # (ended, seconds) per answer
        self.stopped = ""
        self.skipped = 0

    def learn(self, limit: Mapping[str, Any]) -> None:
        remaining, cost, reset_at = limit.get("remaining"), limit.get("cost"), _when(
            limit.get("resetAt"))
        if isinstance(cost, int) and cost > 0:
            self.cost = cost
        if isinstance(remaining, int):
            new_window = reset_at is not None and reset_at != self.reset_at
            if self.remaining is None or new_window:
                self.remaining = remaining
            else:  # answers arrive out of order: the lowest count is the latest
                self.remaining = min(self.remaining, remaining)
        if reset_at is not None:
            self.reset_at = reset_at

    async def reserve(self) -> bool:
        """Wait until a query may go out; False when the budget says to stop."""
        while not self.stopped:
            if self.remaining is not None and \
                    self.remaining - self.cost * self.in_flight < self.cost + 1:
                wait = self._until_reset()
                if wait is None:
                    self.stopped = (f"GraphQL rate limit nearly spent (remaining "
                                    f"{self.remaining})")
                    return False
                await clock.sleep(wait)
                self.remaining = None  # a new window: the next answer tells
                continue
            now = time.monotonic()
            while self.busy and self.busy[0][0] < now - 60.0:
                self.busy.popleft()
            spent = sum(seconds for _, seconds in self.busy)
            if spent > CPU_BUDGET:
                await asyncio.sleep(self.busy[0][0] + 60.0 - now)
                continue
            self.in_flight += 1
            return True
        return False

    def release(self, seconds: float) -> None:
        self.in_flight -= 1
        self.busy.append((time.monotonic(), seconds))

    def _until_reset(self) -> float | None:
        if self.reset_at is None:
            return None
        wait = (self.reset_at - datetime.now(UTC)).total_seconds() + 1.0
        return wait if 0 < wait <= self.retry_after_max else None

    def skip(self, batch: list[str], batches: deque[list[str]]) -> None:
        self.skipped += len(batch)
        while batches:
            self.skipped += len(batches.popleft())

    def stop(self, reason: str, batch: list[str], batches: deque[list[str]], *,
             warn: bool = True) -> None:
        """Ask no more: ``batch`` and every batch not sent are not checked."""
        if not self.stopped:
            self.stopped = reason if warn else "stopped"
        if warn:
            self.skip(batch, batches)
        else:
            batches.clear()


class GitHubRepos(Source[RepoFacts]):
    """Repository facts by ``owner/name`` (GraphQL with a token, anonymous REST without)."""

    service = GITHUB

    def __init__(self, context: SourceContext, *, token: str | None,
                 api_url: str = PUBLIC_API_URL, user_agent: str = DEFAULT_USER_AGENT,
                 timeout: float = 20.0) -> None:
        super().__init__(context)
        self.token = token
        self.api_url = api_url
        self.user_agent = user_agent
        self.timeout = timeout

    async def _fetch(self, keys: Iterable[str]) -> RepoReport:
        """Cached facts younger than the context's max age are not asked again."""
        context = self.context
        wanted: dict[str, str] = {}
        run = _Run(facts={}, warnings=[])
        for name in keys:
            name = name.strip().strip("/").removesuffix(".git")
            if not is_full_name(name):
                run.warnings.append(f"github: not a repository name: {name!r}")
                continue
            key = name.lower()
            wanted.setdefault(name if key == name else key, name)  # one string if lowercase
        entries = cache.get_many(context.cache, NAMESPACE, wanted)
        stale: dict[str, CacheEntry] = {}
        todo: list[str] = []
        for key in wanted:
            entry = entries.get(key)
            cached = _from_cache(entry, self.api_url) if entry else None
            if entry and cached and cache.is_fresh(entry, context.now, context.max_age_s):
                run.facts[key] = replace(cached, requested=wanted[key])
            else:
                if entry and cached:
                    stale[key] = entry
                todo.append(key)
        if todo and self.token:
            todo = await self._graphql(todo, wanted, run, token=self.token)
        if todo:
            await self._rest(todo, wanted, stale, run)
        for key, entry in stale.items():  # what is known, even if old
            if key not in run.facts:
                cached = _from_cache(entry, self.api_url)
                if cached:
                    run.facts[key] = replace(cached, requested=wanted[key])
        return RepoReport(facts=dict(run.facts), warnings=tuple(run.warnings))

    async def _graphql(self, todo: list[str], wanted: Mapping[str, str], run: _Run, *,
                       token: str) -> list[str]:
        """Ask GraphQL in batches, ``IN_FLIGHT`` at a time after the first has told the
        budget; returns the keys left for the REST fallback (after a 401)."""
        pacer = _Pacer(self.network.policy.retry_after_max)
        batches = deque(todo[start:start + BATCH] for start in range(0, len(todo), BATCH))
        rest: list[str] = []
        first = batches.popleft()
        await self._graphql_batch(first, wanted, run, token, pacer, batches, rest)
        if batches and not pacer.stopped:
            workers = min(IN_FLIGHT, len(batches))
            await asyncio.gather(*(
                self._graphql_worker(wanted, run, token, pacer, batches, rest)
                for _ in range(workers)))
        if pacer.stopped and pacer.skipped:
            left = pacer.skipped
            run.warnings.append(
                f"github: {pacer.stopped}; {left} repositor{'y' if left == 1 else 'ies'} "
                "not checked this run")
        return rest

    async def _graphql_worker(self, wanted: Mapping[str, str], run: _Run, token: str,
                              pacer: _Pacer, batches: deque[list[str]],
                              rest: list[str]) -> None:
        while batches and not pacer.stopped:
            batch = batches.popleft()
            await self._graphql_batch(batch, wanted, run, token, pacer, batches, rest)

    async def _graphql_batch(self, batch: list[str], wanted: Mapping[str, str], run: _Run,
                             token: str, pacer: _Pacer, batches: deque[list[str]],
                             rest: list[str]) -> None:
        """One query: wait for the budget, send, read facts and ``rateLimit``."""
        if not await pacer.reserve():
            pacer.skip(batch, batches)
            return
        query, variables = build_query([wanted[k] for k in batch])
        url = graphql_url(self.api_url)
        try:
            response = await net.send(
                self.network, GITHUB, "POST", url, label="api.github.com (GraphQL)",
                json={"query": query, "variables": variables},
                headers={"Authorization": f"bearer {token}"},
                ok_statuses=frozenset({200, 401, 403}),
                host=f"{urlsplit(url).hostname}/graphql")
        except GitHubError as exc:
            pacer.release(0.0)
            run.warnings.append(f"github: {exc}")
            pacer.stop("", batch, batches, warn=False)
            return
        pacer.release(_elapsed(response))
        if response.status_code == 401:
            run.warnings.append("github: the token was refused by GraphQL (401); "
                                "falling back to anonymous REST")
            rest.extend(batch)
            while batches:
                rest.extend(batches.popleft())
            pacer.stopped = "401"
            return
        if response.status_code == 403:
            run.warnings.append("github: GraphQL refused the query (403, rate limited or "
                                "forbidden); stopped asking")
            pacer.stop("", batch, batches, warn=False)
            return
        try:
            payload = response.json()
        except ValueError:
            run.warnings.append("github: GraphQL answer is not JSON; batch skipped")
            return
        if not _read_batch(payload, batch, wanted, run, fact_cache=self.context.cache,
                           now=self.context.now, api_url=self.api_url):
            pacer.stop("GraphQL rate limit reached", batch, batches)
            return
        data = payload.get("data") if isinstance(payload, dict) else None
        limit = data.get("rateLimit") if isinstance(data, dict) else None
        if isinstance(limit, dict):
            pacer.learn(limit)

    async def _rest(self, todo: list[str], wanted: Mapping[str, str],
                    stale: Mapping[str, CacheEntry], run: _Run) -> None:
        """Anonymous REST through PyGithub, one request at a time in a worker thread.

        PyGithub retries nothing itself: each request goes through ``net.call`` (the
        shared limiter, the run's retry policy and request accounting).
        """
        from github import Github, GithubException, UnknownObjectException

        fact_cache, now = self.context.cache, self.context.now
        policy = self.network.policy
        gh = Github(base_url=self.api_url, user_agent=self.user_agent,
                    timeout=max(1, int(self.timeout)), retry=0, verify=net.requests_verify(),
                    seconds_between_requests=None, lazy=True)
        requester = gh.requester
        host = urlsplit(self.api_url).hostname or GITHUB.host
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

                async def once(path: str = f"/repos/{owner}/{name}",
                               headers: dict[str, str] | None = headers) -> Any:
                    try:
                        return await asyncio.to_thread(requester.requestJsonAndCheck, "GET",
                                                       path, headers=headers)
                    except UnknownObjectException:
                        raise
                    except GithubException as exc:
                        answer = exc.headers or {}
                        if policy.retryable(exc.status, answer, api=True):
                            raise net.Failed(f"HTTP {exc.status}", exc.status, answer) from None
                        raise
                    except (OSError, RuntimeError) as exc:
                        raise net.Failed(f"request failed ({type(exc).__name__})") from None

                try:
                    response_headers, data = await net.call(self.network, GITHUB, once,
                                                            host=host, label="REST")
                except UnknownObjectException:
                    facts = facts_not_found(wanted[key], now, self.api_url)
                    run.facts[key] = facts
                    cache.put(fact_cache, NAMESPACE, key, _to_json(facts), now=now)
                    continue
                except (GithubException, GitHubError) as exc:
                    if exc.status in (403, 429):
                        run.warnings.append(
                            f"github: REST refused (HTTP {exc.status}, rate limited); "
                            f"{len(todo) - index} repositories not checked this run")
                        return
                    if exc.status is None:
                        run.warnings.append(f"github: {exc}; stopped asking")
                        return
                    run.warnings.append(f"github: {wanted[key]}: REST HTTP {exc.status}")
                    continue
                etag = response_headers.get("etag")
                if data is None and entry is not None:  # 304 Not Modified
                    cached = _from_cache(entry, self.api_url)
                    if cached:
                        run.facts[key] = replace(cached, requested=wanted[key], fetched_at=now)
                        if fact_cache is not None:
                            fact_cache.cache_put_many(
                                NAMESPACE, [(key, entry.value, etag or entry.etag)], now=now)
                    continue
                if not isinstance(data, dict) or "full_name" not in data:
                    run.warnings.append(f"github: {wanted[key]}: malformed REST answer")
                    continue
                facts = facts_from_rest(wanted[key], data, now, self.api_url)
                run.facts[key] = facts
                cache.put(fact_cache, NAMESPACE, key, _to_json(facts), now=now, etag=etag)
        finally:
            gh.close()


def _read_batch(payload: Any, batch: list[str], wanted: Mapping[str, str], run: _Run, *,
                fact_cache: FactCache | None, now: datetime, api_url: str) -> bool:
    """Record the facts of one answer; False when GitHub says the rate limit is reached."""
    if not isinstance(payload, dict):
        run.warnings.append("github: GraphQL answer is not an object; batch skipped")
        return True
    found = payload.get("data")
    data: dict[str, Any] = found if isinstance(found, dict) else {}
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
    found_now: list[tuple[str, RepoFacts]] = []
    for index, key in enumerate(batch):
        alias = f"r{index}"
        node = data.get(alias)
        if isinstance(node, dict):
            found_now.append((key, facts_from_graphql(wanted[key], node, now, api_url)))
        elif alias in errors and errors[alias].get("type") == "NOT_FOUND":
            found_now.append((key, facts_not_found(wanted[key], now, api_url)))
        elif alias in errors:
            kind = errors[alias].get("type") or "error"
            run.warnings.append(f"github: {wanted[key]}: GraphQL {kind}")
        elif alias not in data:
            run.warnings.append(f"github: {wanted[key]}: missing from the GraphQL answer")
    run.facts.update(found_now)
    if found_now:  # one transaction for the batch
        cache.put_many(fact_cache, NAMESPACE,
                       ((key, _to_json(facts)) for key, facts in found_now), now=now)
    return True
