"""`listwatch init` writes a config that validates, and never clobbers one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from listwatch.config import load_config


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "listwatch", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=60)


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
    assert again.stderr.strip() == ("listwatch: error: config.toml: already exists "
                                    "(use --force to overwrite)")


def test_init_rejects_a_bad_repo_name(tmp_path: Path) -> None:
    result = run("init", "--repo", "nope", cwd=tmp_path)
    assert result.returncode == 2
    assert "repo: expected 'owner/name', got 'nope'" in result.stderr
    assert not (tmp_path / "config.toml").exists()
