"""The REST calls publishing makes, through PyGithub's requester.

PyGithub brings authentication, pagination, GitHub's write spacing (one write a
second by default, as GitHub asks of integrations) and its retries of 5xx and
secondary rate limits. Every refusal becomes a ``GitHubError`` whose one line
names the operation and, for 401/403/404 on a write, the token permission it
needs. The token never appears in a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import quote

from listwatch.errors import ServiceError

Permission = Literal["contents", "pull-requests", "issues", "metadata"]
PER_PAGE = 100
MAX_PAGES = 20


class GitHubError(ServiceError):
    """GitHub refused or failed a publishing request (exit code 3)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def path(*parts: str) -> str:
    """A REST path from parts, each quoted (a branch ``a/b`` stays one segment)."""
    return "/" + "/".join(quote(part, safe="") for part in parts)


class GitHubAPI:
    """One authenticated REST session (synchronous: run it in a worker thread)."""

    def __init__(self, *, token: str, api_url: str, user_agent: str, timeout: float,
                 write_interval: float, verify: bool | str = True) -> None:
        from github import Auth, Github, GithubRetry

        self._github = Github(auth=Auth.Token(token), base_url=api_url, user_agent=user_agent,
                              timeout=max(1, int(timeout)), verify=verify,
                              retry=GithubRetry(total=4), seconds_between_requests=None,
                              seconds_between_writes=write_interval or None, per_page=PER_PAGE)
        self._requester = self._github.requester
        self.requests = 0
        self._login: str | None = None

    def close(self) -> None:
        self._github.close()

    @property
    def login(self) -> str:
        """The login of the token's owner."""
        if self._login is None:
            user = self.request("GET", "/user", what="read the token's user",
                                need="metadata")
            self._login = str(user["login"])
        return self._login

    def request(self, verb: str, route: str, *, what: str, need: Permission,
                params: Mapping[str, Any] | None = None, body: Any = None,
                missing_ok: bool = False) -> Any:
        """One request; ``missing_ok`` turns a 404 into None (a branch that is not there)."""
        from github import GithubException

        self.requests += 1
        try:
            _, data = self._requester.requestJsonAndCheck(
                verb, route, parameters=dict(params) if params else None, input=body)
        except GithubException as exc:
            if missing_ok and exc.status == 404:
                return None
            raise _refusal(exc, verb, what, need) from None
        except OSError as exc:
            raise GitHubError(f"GitHub: cannot {what}: connection failed "
                              f"({type(exc).__name__})") from None
        return data

    def pages(self, route: str, *, what: str, need: Permission,
              params: Mapping[str, Any] | None = None) -> list[Any]:
        """Every item of a paginated list (up to ``MAX_PAGES`` pages)."""
        items: list[Any] = []
        for page in range(1, MAX_PAGES + 1):
            found = self.request("GET", route, what=what, need=need,
                                 params={**(params or {}), "per_page": PER_PAGE, "page": page})
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
    if status == 401:
        return GitHubError("GitHub refused the token (401): set GITHUB_TOKEN or GH_TOKEN "
                           "to a valid token", status)
    if status == 403 or (status == 404 and verb != "GET"):
        level = "read" if verb == "GET" else "write"
        return GitHubError(
            f"GitHub refused to {what} (HTTP {status}{said}): the token needs "
            f"'{need}: {level}' permission on the repository", status)
    return GitHubError(f"GitHub: cannot {what} (HTTP {status}{said})", status)
