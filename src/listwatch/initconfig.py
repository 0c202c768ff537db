"""`listwatch init`: a starter config.toml that validates as written, and a
GitHub Actions workflow that runs listwatch's action on it.

The template is written from the one source of defaults, the config
dataclasses (``config.section_defaults``): every section with its purpose (the
first paragraph of its docstring) and every key with its default, so a changed
default changes the template. Keys marked ``commented`` in the schema are
written as comments (their default follows the installed listwatch).

The workflow is ``templates/listwatch.yml`` (package data) with the config path,
the schedule's default cron and the action's pinned commit filled in. Both files
are written, or neither: an existing file is kept unless ``force``.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from listwatch import __version__
from listwatch.config import Target, glob_problem, parse_config, section_defaults
from listwatch.errors import ConfigError
from listwatch.identifiers import is_full_name
from listwatch.publish.files import write_atomic

PLACEHOLDER_REPO = "owner/name"
WORKFLOW_PATH = Path(".github/workflows/listwatch.yml")
# The action the written workflow runs, pinned to a full commit (as zizmor and
# GitHub's hardening guide ask): for now the commit that added action.yml; the
# release process moves it to the commit of the release's tag (README.md's examples
# name the same commit). The comment written beside it names the version.
ACTION = "listwatch/listwatch"
ACTION_COMMIT = "da59d1476e4483deb76bbf72a5753cd7f4272f40"

HEADER = '# listwatch configuration: every key is described in README.md ("Configuration").'


def toml_value(value: Any) -> str:
    """``value`` (a bool, number, string, path or sequence of them) as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Path):
        return json.dumps(value.as_posix(), ensure_ascii=False)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def _purpose(cls: type) -> list[str]:
    """The first paragraph of ``cls``'s docstring, as comment lines."""
    first = inspect.cleandoc(cls.__doc__ or "").split("\n\n")[0]
    return [f"# {line}" for line in first.splitlines()]


def _section(name: str, defaults: Any) -> list[str]:
    lines = ["", *_purpose(type(defaults)), f"[{name}]"]
    for spec in dataclasses.fields(defaults):
        value = getattr(defaults, spec.name)
        if value is None:
            continue
        line = f"{spec.name} = {toml_value(value)}"
        lines.append(f"# {line}" if spec.metadata.get("commented") else line)
    return lines


def starter_config(repo: str, patterns: Sequence[str], local_path: str | None,
                   defaults: Mapping[str, Any] | None = None,
                   branch: str | None = None) -> str:
    """The starter config's text: one target, then every section at its defaults."""
    path_line = f"path = {toml_value(local_path)}" if local_path else \
        '# path = "/local/checkout"   # read the files from a local checkout instead'
    branch_line = f"branch = {toml_value(branch)}" if branch else \
        '# branch = "main"            # default: the repository\'s default branch'
    lines = [HEADER, "", *_purpose(Target), "[[targets]]", f"repo = {toml_value(repo)}",
             branch_line, f"files = {toml_value(list(patterns))}", path_line]
    for name, section in (section_defaults() if defaults is None else defaults).items():
        lines.extend(_section(name, section))
    return "\n".join(lines) + "\n"


def write_starter_config(path: Path, *, repo: str, patterns: Sequence[str],
                         local_path: str | None, force: bool) -> None:
    """Write the starter config to ``path``; refuse to overwrite unless ``force``."""
    if path.exists() and not force:
        raise ConfigError(f"{path}: already exists (use --force to overwrite)")
    for pattern in patterns:
        problem = glob_problem(pattern)
        if problem:
            raise ConfigError(f"--files: {problem}")
    text = starter_config(repo, patterns, local_path)
    parse_config(text, path)
    write_atomic(path, text.encode("utf-8"))


def workflow_text(config: str) -> str:
    """The workflow that runs the action on ``config`` (a path from the repository root)."""
    template = resources.files("listwatch").joinpath("templates", "listwatch.yml")
    text = template.read_text(encoding="utf-8")
    fills = {
        "__CONFIG__": json.dumps(config, ensure_ascii=False),
        "__CRON__": section_defaults()["schedule"].cron,
        "__ACTION__": ACTION,
        "__ACTION_COMMIT__": ACTION_COMMIT,
        "__ACTION_VERSION__": f"v{__version__}",
    }
    for marker, value in fills.items():
        text = text.replace(marker, value)
    return text


def _from_root(path: Path, workflow_path: Path) -> str:
    """``path`` as the workflow sees it: relative to the repository root that holds
    ``workflow_path`` (``.github/workflows/x.yml``), POSIX separators."""
    root = workflow_path.absolute().parent.parent.parent
    return Path(os.path.relpath(path.absolute(), root)).as_posix()


def write_starter_files(config_path: Path, workflow_path: Path, *, repo: str,
                        patterns: Sequence[str], local_path: str | None,
                        force: bool, branch: str | None = None) -> list[Path]:
    """Write the starter config and the workflow; refuse to overwrite either unless
    ``force`` (then nothing is written). Returns the paths written."""
    existing = [path for path in (config_path, workflow_path) if path.exists()]
    if existing and not force:
        names = " and ".join(str(path) for path in existing)
        verb = "exists" if len(existing) == 1 else "exist"
        raise ConfigError(f"{names}: already {verb} (use --force to overwrite)")
    for pattern in patterns:
        problem = glob_problem(pattern)
        if problem:
            raise ConfigError(f"--files: {problem}")
    config = starter_config(repo, patterns, local_path, branch=branch)
    parse_config(config, config_path)
    workflow = workflow_text(_from_root(config_path, workflow_path))
    workflow_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(config_path, config.encode("utf-8"))
    write_atomic(workflow_path, workflow.encode("utf-8"))
    return [config_path, workflow_path]


_REMOTE = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/]+@)?[^/:]+(?::\d+)?[:/]"
    r"(?P<owner>[^/]+)/(?P<name>[^/]+?)(?:\.git)?/?$")


def repo_from_remote(url: str) -> str | None:
    """``owner/name`` from a git remote URL (https or ssh form), or None."""
    match = _REMOTE.match(url.strip())
    if match is None:
        return None
    full_name = f"{match['owner']}/{match['name']}"
    return full_name if is_full_name(full_name) else None


def _git(*args: str, cwd: Path | None) -> str | None:
    """The output of a read-only git command, or None when git or the answer is missing."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def origin_repo(cwd: Path | None = None) -> str | None:
    """``owner/name`` of the git ``origin`` remote of ``cwd``, or None."""
    url = _git("config", "--get", "remote.origin.url", cwd=cwd)
    return repo_from_remote(url) if url else None


def origin_default_branch(cwd: Path | None = None) -> str | None:
    """The default branch of ``origin`` as the clone recorded it (``origin/HEAD``), or
    None (a repository that was not cloned: then GitHub is asked at run time)."""
    head = _git("symbolic-ref", "--quiet", "refs/remotes/origin/HEAD", cwd=cwd)
    prefix = "refs/remotes/origin/"
    if head is None or not head.startswith(prefix) or len(head) == len(prefix):
        return None
    return head[len(prefix):]


def next_steps(repo: str, origin: str | None) -> list[str]:
    """What is left to do after ``init``, as lines for the terminal."""
    same = ('in Settings > Actions > General, tick "Allow GitHub Actions to create and '
            'approve pull requests" (the workflow opens the pull request with GITHUB_TOKEN)')
    fork = (f"add a repository secret LISTWATCH_TOKEN: a token that may push to a fork "
            f"of {repo} and open pull requests there")
    steps = []
    if repo == PLACEHOLDER_REPO:
        steps.append("set [[targets]] repo in the config to the list's owner/name")
    steps.append("try it: listwatch run --dry-run")
    steps.append("commit both files and push")
    if origin is not None and origin == repo:
        steps.append(same)
    elif origin is not None:
        steps.append(fork)
    else:
        steps.append(f"if the list is this repository, {same}; otherwise {fork}")
    return [f"  {number}. {step}" for number, step in enumerate(steps, 1)]
