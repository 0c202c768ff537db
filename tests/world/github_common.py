"""What the fake GitHub's REST API, GraphQL API and web pages share: repository lookup
(following renames), authentication and rate-limit accounting."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .wire import sha1_hex

if TYPE_CHECKING:
    from .engine import Engine

API = "https://api.github.com"
WEB = "https://github.com"


def lookup(engine: Engine, owner: str, name: str) -> tuple[dict[str, Any] | None, bool]:
    """The repository record for ``owner/name`` and whether that was an old (renamed) name.

    Deleted repositories and unknown names give ``(None, False)``.
    """
    gh = engine.scenario["github"]
    key = f"{owner}/{name}".lower()
    redirected = False
    for _ in range(20):
        if key in gh["repos"]:
            break
        if key not in gh["aliases"]:
            return None, False
        key = gh["aliases"][key]
        redirected = True
    record = gh["repos"].get(key)
    if record is None or record.get("deleted"):
        return None, False
    return record, redirected


def lookup_id(engine: Engine, repo_id: int) -> dict[str, Any] | None:
    """The repository with numeric id ``repo_id`` (None when unknown or deleted)."""
    for record in engine.scenario["github"]["repos"].values():
        if int(record["id"]) == repo_id and not record.get("deleted"):
            return record
    return None


def visible(record: dict[str, Any], auth: str) -> bool:
    """Private repositories are invisible without a token (GitHub then says 404)."""
    return not record.get("private") or auth == "token"


def authenticate(engine: Engine, authorization: str | None) -> str:
    """``anonymous``, ``token`` (the scenario's token) or ``bad``."""
    if not authorization:
        return "anonymous"
    parts = authorization.split(None, 1)
    if len(parts) != 2 or parts[0].lower() not in ("bearer", "token"):
        return "bad"
    return "token" if parts[1].strip() == engine.scenario["github"]["token"] else "bad"


@dataclass
class Quota:
    """One rate-limit bucket's state."""

    limit: int
    used: int
    reset: int
    resource: str

    @property
    def remaining(self) -> int:
        """Requests left (never negative)."""
        return max(0, self.limit - self.used)

    def headers(self) -> dict[str, str]:
        """GitHub's ``X-RateLimit-*`` headers."""
        return {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(self.remaining),
            "x-ratelimit-reset": str(self.reset),
            "x-ratelimit-used": str(min(self.used, self.limit)),
            "x-ratelimit-resource": self.resource,
        }


def quota(engine: Engine, resource: str, auth: str) -> Quota:
    """Current state of the ``core`` (REST) or ``graphql`` bucket for ``auth``."""
    rl = engine.scenario["github"]["rate_limits"]
    if resource == "graphql":
        return Quota(
            rl["graphql_limit"],
            rl["graphql_used"] + engine.counters.get("gh:graphql", 0),
            engine.epoch_reset,
            "graphql",
        )
    if auth == "token":
        return Quota(
            rl["rest_limit"],
            rl["rest_used"] + engine.counters.get("gh:rest:token", 0),
            engine.epoch_reset,
            "core",
        )
    return Quota(
        rl["rest_anonymous_limit"],
        rl["rest_anonymous_used"] + engine.counters.get("gh:rest:anonymous", 0),
        engine.epoch_reset,
        "core",
    )


def spend(engine: Engine, resource: str, auth: str, points: int = 1) -> None:
    """Count ``points`` against a bucket."""
    key = "gh:graphql" if resource == "graphql" else f"gh:rest:{auth}"
    engine.bump(key, points)


def node_id(kind: str, number: int) -> str:
    """A plausible global node id."""
    return kind + "_" + base64.b64encode(f"0:{number}".encode()).decode().rstrip("=")


# -- placeholders ----------------------------------------------------------------------


def commit_sha(record: dict[str, Any], branch: str) -> str:
    """A stable stand-in commit id for a declared repository that has no files (the git
    host in :mod:`.github_state` has real ids for everything else)."""
    return sha1_hex(f"commit:{record['id']}:{branch}")
