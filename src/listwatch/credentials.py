"""Where GitHub credentials and the API address come from (the environment only).

Tokens are never stored in config files, never logged, never put in messages.
"""

from __future__ import annotations

from collections.abc import Mapping

PUBLIC_API_URL = "https://api.github.com"


def github_token(environ: Mapping[str, str]) -> str | None:
    """``GITHUB_TOKEN``, else ``GH_TOKEN`` (as the gh CLI and Actions use), else None."""
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        value = environ.get(name, "").strip()
        if value:
            return value
    return None


def github_api_url(environ: Mapping[str, str]) -> str:
    """``GITHUB_API_URL`` as set in Actions and for GitHub Enterprise, else api.github.com."""
    return (environ.get("GITHUB_API_URL") or PUBLIC_API_URL).rstrip("/")
