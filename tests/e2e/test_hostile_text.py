"""Text from outside reaches the Markdown report and the dashboard as data: no @mention
pings, no raw HTML, no broken table (issue 12)."""

from __future__ import annotations

import re

import pytest

from listwatch.markdown.escape import ZWJ

from .helpers import FAST_HTTP, make_list

pytestmark = pytest.mark.e2e

HOSTILE = "/@octocat/x?q=<img src=x onerror=alert(1)>|</b>&#64;team"


def test_a_hostile_redirect_target_is_data_in_the_markdown_report(world, tmp_path) -> None:
    with world.batch():
        world.host("evil.example").route("/p", redirect=f"https://evil.example{HOSTILE}")
        world.host("evil.example").route("/@octocat/x", status=404)
    config = make_list(tmp_path, {"list.md": "* P \\[[P](https://evil.example/p)]\n"},
                       extra=FAST_HTTP)
    result = world.run_cli("check", "--config", str(config), "--format", "markdown")
    assert result.returncode == 0, result.stderr
    [row] = [line for line in result.stdout.splitlines() if "list.md:1" in line]
    assert "octocat" in row and f"@{ZWJ}octocat" in row
    assert not re.search(r"(?:^|\W)@[a-z0-9]", row, re.I), row  # GitHub's mention pattern
    assert not re.search(r"(?<!\\)[<&]", row), row  # no tag, no entity
    assert "\\<img" in row and "\\&#64;" in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 5  # four cells, none broken
