"""`listwatch init` writes a config that validates and a workflow that runs it, and
never clobbers either."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from listwatch import __version__
from listwatch.config import load_config
from listwatch.initconfig import ACTION, ACTION_COMMIT, repo_from_remote

WORKFLOW = Path(".github/workflows/listwatch.yml")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "listwatch", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=30)


def test_init_writes_a_valid_config_and_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "checkout").mkdir()
    made = run("init", "--repo", "me/my-list", "--files", "lists/*.md", "--path", "checkout",
               cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    config = load_config(tmp_path / "config.toml")
    assert config.targets[0].repo == "me/my-list"
    assert config.targets[0].files == ("lists/*.md",)
    assert config.targets[0].path == (tmp_path / "checkout").resolve()
    again = run("init", cwd=tmp_path)
    assert again.returncode == 2
    assert again.stderr.strip() == (
        "listwatch: error: config.toml and .github/workflows/listwatch.yml: already exist "
        "(use --force to overwrite)")


def test_init_rejects_a_bad_repo_name(tmp_path: Path) -> None:
    result = run("init", "--repo", "nope", cwd=tmp_path)
    assert result.returncode == 2
    assert "repo: expected 'owner/name', got 'nope'" in result.stderr
    assert not (tmp_path / "config.toml").exists()
    assert not (tmp_path / WORKFLOW).exists()


def test_init_writes_a_workflow_that_runs_the_action_on_the_config(tmp_path: Path) -> None:
    made = run("init", "--repo", "me/my-list", "--config", "lists/config.toml", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines()[:3] == [
        "wrote lists/config.toml", f"wrote {WORKFLOW}", "next steps:"]
    workflow = YAML(typ="safe", pure=True).load((tmp_path / WORKFLOW).read_text())
    steps = workflow["jobs"]["listwatch"]["steps"]
    assert steps[-1]["uses"] == f"{ACTION}@{ACTION_COMMIT}"
    assert f"{ACTION}@{ACTION_COMMIT} # v{__version__}\n" in (tmp_path / WORKFLOW).read_text()
    assert steps[-1]["with"]["config"] == "lists/config.toml"
    assert workflow["on"]["schedule"] == [{"cron": "0 4 * * 1"}]
    assert workflow["permissions"] == {}


@pytest.mark.parametrize("existing", ["config.toml", str(WORKFLOW)])
def test_init_writes_nothing_when_either_file_exists(tmp_path: Path, existing: str) -> None:
    (tmp_path / existing).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / existing).write_text("mine\n")
    refused = run("init", "--repo", "me/my-list", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.strip() == (f"listwatch: error: {existing}: already exists "
                                      "(use --force to overwrite)")
    assert (tmp_path / existing).read_text() == "mine\n"
    other = WORKFLOW if existing == "config.toml" else Path("config.toml")
    assert not (tmp_path / other).exists()
    forced = run("init", "--repo", "me/my-list", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert (tmp_path / existing).read_text() != "mine\n"
    assert (tmp_path / other).exists()


def test_init_takes_the_repo_from_the_origin_remote(tmp_path: Path) -> None:
    git("init", "-q", cwd=tmp_path)
    git("remote", "add", "origin", "https://github.com/me/my-list.git", cwd=tmp_path)
    made = run("init", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert load_config(tmp_path / "config.toml").targets[0].repo == "me/my-list"
    assert "Allow GitHub Actions to create and approve pull requests" in made.stdout
    assert "LISTWATCH_TOKEN" not in made.stdout


def test_init_for_a_list_elsewhere_asks_for_a_token(tmp_path: Path) -> None:
    git("init", "-q", cwd=tmp_path)
    git("remote", "add", "origin", "git@github.com:me/list-bot.git", cwd=tmp_path)
    made = run("init", "--repo", "someone/awesome-papers", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "LISTWATCH_TOKEN" in made.stdout and "someone/awesome-papers" in made.stdout
    assert "Allow GitHub Actions" not in made.stdout


def test_init_without_a_remote_writes_the_placeholder_and_says_both(tmp_path: Path) -> None:
    made = run("init", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert load_config(tmp_path / "config.toml").targets[0].repo == "owner/name"
    assert "set [[targets]] repo" in made.stdout
    assert "LISTWATCH_TOKEN" in made.stdout and "Allow GitHub Actions" in made.stdout


@pytest.mark.parametrize(("url", "repo"), [
    ("https://github.com/me/my-list.git", "me/my-list"),
    ("https://github.com/me/my-list", "me/my-list"),
    ("https://token@github.com/me/my.list/", "me/my.list"),
    ("git@github.com:me/my-list.git", "me/my-list"),
    ("ssh://git@github.com/me/my-list.git", "me/my-list"),
    ("ssh://git@ghe.example.com:2222/org/list.git", "org/list"),
    ("/srv/git/list.git", None),
    ("", None),
])
def test_repo_from_remote(url: str, repo: str | None) -> None:
    assert repo_from_remote(url) == repo


def test_init_takes_the_default_branch_of_a_cloned_origin(tmp_path: Path) -> None:
    upstream, clone = tmp_path / "upstream", tmp_path / "clone"
    upstream.mkdir()
    git("init", "-q", "-b", "trunk", cwd=upstream)
    (upstream / "README.md").write_text("# L\n", encoding="utf-8")
    git("add", "README.md", cwd=upstream)
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "one",
        cwd=upstream)
    git("clone", "-q", str(upstream), str(clone), cwd=tmp_path)
    git("checkout", "-q", "-b", "feature", cwd=clone)  # the branch checked out is not it
    git("remote", "set-url", "origin", "git@github.com:me/my-list.git", cwd=clone)
    made = run("init", cwd=clone)
    assert made.returncode == 0, made.stderr
    target = load_config(clone / "config.toml").targets[0]
    assert (target.repo, target.branch) == ("me/my-list", "trunk")
    # Another repository's list: this clone's branch says nothing about it.
    again = run("init", "--force", "--repo", "someone/else", cwd=clone)
    assert again.returncode == 0, again.stderr
    target = load_config(clone / "config.toml").targets[0]
    assert (target.repo, target.branch) == ("someone/else", None)


def test_init_without_a_known_default_branch_leaves_it_to_github(tmp_path: Path) -> None:
    git("init", "-q", cwd=tmp_path)
    git("remote", "add", "origin", "https://github.com/me/my-list.git", cwd=tmp_path)
    assert run("init", cwd=tmp_path).returncode == 0
    assert load_config(tmp_path / "config.toml").targets[0].branch is None
    assert "# branch = " in (tmp_path / "config.toml").read_text(encoding="utf-8")
