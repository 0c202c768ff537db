"""`listwatch init`: a starter config.toml that validates as written.

The template is written from the one source of defaults, the config
dataclasses (``config.section_defaults``): every section with its purpose (the
first paragraph of its docstring) and every key with its default, so a changed
default changes the template. Keys marked ``commented`` in the schema are
written as comments (their default follows the installed listwatch).
"""

from __future__ import annotations

import dataclasses
import inspect
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from listwatch.config import Target, glob_problem, parse_config, section_defaults
from listwatch.errors import ConfigError
from listwatch.publish.files import write_atomic

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
                   defaults: Mapping[str, Any] | None = None) -> str:
    """The starter config's text: one target, then every section at its defaults."""
    path_line = f"path = {toml_value(local_path)}" if local_path else \
        '# path = "/local/checkout"   # read the files from a local checkout instead'
    lines = [HEADER, "", *_purpose(Target), "[[targets]]", f"repo = {toml_value(repo)}",
             f"files = {toml_value(list(patterns))}", path_line]
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
