"""A redirect to a front page (seed list): the same site's is skipped as a possible soft
404, another site's (a product's new home) is offered for review, and the report says
why each moved link got no edit."""

from __future__ import annotations

import pytest

from .helpers import by_url, load, make_list

pytestmark = pytest.mark.e2e

LLAMA = "https://ai.meta.com/llama/"
SOFT = "https://lab.example/projects/old-tool"
LIST = ("# Models\n\n"
        f"* Llama \\[[Site]({LLAMA})]\n"
        f"* Old tool \\[[Site]({SOFT})]\n")


def test_front_page_redirects_are_explained_and_only_cross_site_ones_offered(
        world, tmp_path) -> None:
    with world.batch():
        world.host("ai.meta.com").route("/llama/", redirect="https://www.llama.com/")
        world.host("www.llama.com").route("/", status=200)
        world.host("lab.example").route("/projects/old-tool", redirect="https://lab.example/")
        world.host("lab.example").route("/", status=200)
    config = make_list(tmp_path, {"list.md": LIST})
    result = world.run_cli("run", "--dry-run", "--config", str(config), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = load(result.stdout)
    [moved] = [p for p in report["proposals"] if p["kind"] == "moved"]
    assert (moved["old"], moved["new"], moved["apply"]) == (LLAMA, "https://www.llama.com/",
                                                            False)
    assert report["diff"] == ""  # offered for review, not applied
    assert "another site's front page (llama.com)" in report["pull_request"]["body"]
    rows = by_url(report)
    assert rows[SOFT]["no_edit"] == "it lands on the site's front page (a possible soft 404)"
    assert "for a person to judge" in rows[LLAMA]["no_edit"]

    text = world.run_cli("run", "--dry-run", "--config", str(config)).stdout
    [line] = [line for line in text.splitlines() if f"list.md:4  {SOFT}" in line]
    assert line.endswith("; no edit: it lands on the site's front page (a possible soft 404))")
    assert "(llama.com): a new home or a soft 404, for a person to judge.  (for review, " \
           "not applied)" in text
