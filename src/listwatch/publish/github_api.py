"""The REST calls publishing makes: PyGithub's requester inside the shared network layer.

PyGithub brings authentication and GitHub's error shapes; each request runs in a
worker thread inside ``net.call``, so publishing obeys the run's host limits, the
one retry policy (5xx, secondary rate limits with ``Retry-After``) and request
accounting. A refusal becomes a ``GitHubError`` whose one line names the operation
and, for a refused write, the token permission it needs. The token never appears
in a message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from listwatch import net
from listwatch.errors import GitHubError, GitHubRateLimited
from listwatch.net.services import GITHUB_PUBLISH

Permission = Literal["contents", "pull-requests", "issues", "metadata"]
PER_PAGE = 100
MAX_PAGES = 20


def path(*parts: str) -> str:
    """A REST path from parts, each quoted (a branch ``a/b`` stays one segment)."""
    return "/" + "/".join(quote(part, safe="") for part in parts)


class GitHubAPI:
    """One authenticated REST session for publishing."""

    def __init__(self, network: net.Network, *, token: str, api_url: str, user_agent: str,
                 timeout: float, write_interval: float) -> None:
        from github import Auth, Github

        self._github = Github(auth=Auth.Token(token), base_url=api_url, user_agent=user_agent,
                              timeout=max(1, int(timeout)), verify=net.requests_verify(),
                              retry=0, seconds_between_requests=None,
                              seconds_between_writes=write_interval or None, per_page=PER_PAGE)
        self._requester = self._github.requester
        self._network = network
        self._host = urlsplit(api_url).hostname or GITHUB_PUBLISH.host
        self._login: str | None = None

    def close(self) -> None:
        self._github.close()

    async def login(self) -> str:
        """The login of the token's owner."""
        if self._login is None:
            user = await self.request("GET", "/user", what="read the token's user",
                                      need="metadata")
            self._login = str(user["login"])
        return self._login

    async def request(self, verb: str, route: str, *, what: str, need: Permission,
                      params: Mapping[str, Any] | None = None, body: Any = None,
                      missing_ok: bool = False,
                      recheck: Callable[[], Awaitable[Any]] | None = None) -> Any:
        """One request; ``missing_ok`` turns a 404 into None (a branch that is not there).

        ``recheck``, for a write that is not idempotent (an issue, a comment, a review):
        before each retry, look for what the failed attempt may have made after all (a
        5xx can come after GitHub did the work); if it returns something, that is the
        answer and the write is not repeated.
        """
        from github import GithubException

        policy = self._network.policy
        attempts = 0

        async def once() -> Any:
            nonlocal attempts
            attempts += 1
            if attempts > 1 and recheck is not None:
                made = await recheck()
                if made is not None:
                    return made
            try:
                _, data = await asyncio.to_thread(
                    self._requester.requestJsonAndCheck, verb, route,
                    parameters=dict(params) if params else None, input=body)
            except GithubException as exc:
                headers = exc.headers or {}
                if policy.retryable(exc.status, headers, api=True):
                    raise net.Failed(f"HTTP {exc.status}", exc.status, headers) from None
                raise
            except OSError as exc:
                raise net.Failed(f"connection failed ({type(exc).__name__})") from None
            return data

        try:
            return await net.call(self._network, GITHUB_PUBLISH, once, host=self._host,
                                  label=f"GitHub: cannot {what}")
        except GithubException as exc:
            if missing_ok and exc.status == 404:
                return None
            raise _refusal(exc, verb, what, need) from None

    async def pages(self, route: str, *, what: str, need: Permission,
                    params: Mapping[str, Any] | None = None) -> list[Any]:
        """Every item of a paginated list (up to ``MAX_PAGES`` pages)."""
        items: list[Any] = []
        for page in range(1, MAX_PAGES + 1):
            found = await self.request("GET", route, what=what, need=need,
                                       params={**(params or {}), "per_page": PER_PAGE,
                                               "page": page})
            if not isinstance(found, list):
                raise GitHubError(f"GitHub: cannot {what}: the answer is not a list")
            items.extend(found)
            if len(found) < PER_PAGE:
                break
        return items


def _refusal(exc: Any, verb: str, what: str, need: Permission) -> GitHubError:
    status = getattr(exc, "status", None)
    data = getattr(exc, "data", None)
    message = data.get("message") if isinstance(data, dict) else None
    said = f": {str(message)[:200]}" if message else ""
    headers = {str(k).lower(): str(v) for k, v in (getattr(exc, "headers", None) or {}).items()}
    if status in (403, 429) and (headers.get("x-ratelimit-remaining") == "0"
                                 or "rate limit" in str(message or "").lower()):
        # A rate limit, not a missing permission (GitHub answers both with 403).
        return GitHubRateLimited(f"GitHub: cannot {what}: the API rate limit is exhausted "
                                 f"(HTTP {status}){_reset(headers)}; run again later",
                                 status=status)
    if status == 401:
        return GitHubError("GitHub refused the token (401): set GITHUB_TOKEN or GH_TOKEN "
                           "to a valid token", status=status)
    if status == 403 or (status == 404 and verb != "GET"):
        level = "read" if verb == "GET" else "write"
        return GitHubError(
            f"GitHub refused to {what} (HTTP {status}{said}): the token needs "
            f"'{need}: {level}' permission on the repository", status=status)
    return GitHubError(f"GitHub: cannot {what} (HTTP {status}{said})", status=status)


def _reset(headers: Mapping[str, str]) -> str:
    """When the primary rate limit resets, from ``X-RateLimit-Reset`` (epoch seconds)."""
    try:
        when = datetime.fromtimestamp(int(headers["x-ratelimit-reset"]), UTC)
    except (KeyError, ValueError, OverflowError, OSError):
        return ""
    return f", until {when:%H:%M} UTC"
