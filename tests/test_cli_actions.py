"""`check` in a terminal and in GitHub Actions: verbosity, annotations, outputs, summary.

Local lists with relative links only, so no network is involved."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

LIST = "# L\n\n* [A](./missing.md) [B](./present.md)\n* [C](./present.md#x)\n"


def _repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    (tmp_path / "present.md").write_text("# X\n", encoding="utf-8")
    return tmp_path


def _check(repo: Path, *args: str, env: dict[str, str] | None = None
           ) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("GITHUB_") and k not in ("CI", "NO_COLOR")}
    return subprocess.run([sys.executable, "-m", "listwatch", "check", *args, "list.md"],
                          capture_output=True, text=True, timeout=120, cwd=repo,
                          env={**clean, **(env or {})})


def test_quiet_normal_and_verbose_text(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    quiet, normal, verbose = (_check(repo, *flag).stdout.splitlines()
                              for flag in (["-q"], [], ["--verbose"]))
    broken = "  broken  list.md:3  missing.md (no such file in the repository: missing.md)"
    assert quiet == [broken, quiet[-1]] and quiet[-1].startswith("checked 3 URLs")
    assert broken in normal and "status      URLs" in normal
    assert not any("present.md" in line for line in normal)
    assert sum("present.md" in line for line in verbose) == 2
    assert verbose[-1].startswith("requests:") or verbose[-1].startswith("checked")


def test_in_actions_annotations_outputs_and_summary(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    outputs, summary = tmp_path / "out", tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(outputs),
           "GITHUB_STEP_SUMMARY": str(summary)}
    result = _check(repo, "-q", env=env)
    assert result.returncode == 1
    assert ("::error file=list.md,line=3,title=broken link::missing.md: no such file in the "
            "repository: missing.md") in result.stdout.splitlines()
    assert outputs.read_text().splitlines() == [
        "pull-request-url=", "pull-request-number=", "broken=1", "proposals=0"]
    assert summary.read_text().startswith("## listwatch report")


def test_json_on_stdout_is_not_mixed_with_annotations(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    env = {"GITHUB_ACTIONS": "true"}
    result = _check(repo, "--format", "json", env=env)
    assert json.loads(result.stdout)["summary"]["statuses"]["broken"] == 1
    report = tmp_path / "report.json"
    result = _check(repo, "--format", "json", "-o", str(report), env=env)
    assert result.stdout.startswith("::error file=list.md,line=3")
    assert json.loads(report.read_text())["summary"]["urls"] == 3
