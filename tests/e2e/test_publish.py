"""`listwatch run` publishing through the simulated GitHub, each scenario asserting the
repository state afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import FAST_HTTP, load

pytestmark = pytest.mark.e2e

REPO = "owner/list"
LIST = ("# Papers\n\n"
        "* Tool paper (SOSP 2023) \\[[Paper](https://papers.example/tool)] "
        "\\[[Code](https://github.com/old/tool)]\n"
        "* Other paper (OSDI 2024) \\[[Paper](https://papers.example/other)]\n")
PUBLISH = FAST_HTTP + "\n[pr]\nwrite_interval = 0\n[sources]\narxiv = false\ndblp = false\n" \
    "semantic_scholar = false\n"


def _setup(world, tmp_path: Path, *, push: bool = True, files: dict[str, str] | None = None):
    world.github.repo(REPO, push=push).files(files or {"list.md": LIST})
    world.github.repo("old/tool", renamed_to="new/tool", stars=10)
    world.host("papers.example").default(status=200)
    config = tmp_path / "config.toml"
    config.write_text(f'[[targets]]\nrepo = "{REPO}"\nfiles = ["*.md"]\n{PUBLISH}',
                      encoding="utf-8")
    return config


def _run(world, config: Path, *args: str):
    result = world.run_cli("run", "--config", str(config), "--format", "json", *args,
                           extra_env={"GITHUB_TOKEN": world.github_token})
    assert result.returncode == 0, result.stderr
    return load(result.stdout)


def test_first_run_opens_one_pull_request_with_only_the_edited_line(world, tmp_path) -> None:
    config = _setup(world, tmp_path)
    report = _run(world, config)
    [published] = report["published"]
    assert published["pull_request"]["action"] == "created", report
    files = world.github.branch_files(REPO, "listwatch/updates")
    assert files["list.md"] == LIST.replace("github.com/old/tool", "github.com/new/tool")
    [pull] = world.github.pulls(REPO)
    assert pull["state"] == "open" and pull["head_ref"] == "listwatch/updates"
    assert pull["head_repo"] == REPO and pull["files"] == ["list.md"]
