"""Whether the environment the benchmark runs in installs what ``pyproject.toml`` asks.

A venv made before a dependency was added measures a different program: when sniffio
was added (httpcore asks for it on every lock), a stale venv ran without it and spent
a tenth of its CPU on failed imports. The harness refuses to measure such a venv.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement


def unmet(pyproject: Path, extras: tuple[str, ...] = ()) -> list[str]:
    """The project's requirements (and those of ``extras``) this environment does not
    meet, each as ``name: why``."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    wanted = list(project.get("dependencies", []))
    for extra in extras:
        wanted += project.get("optional-dependencies", {}).get(extra, [])
    out = []
    for text in wanted:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        try:
            version = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            out.append(f"{requirement.name}: not installed")
            continue
        if not requirement.specifier.contains(version, prereleases=True):
            out.append(f"{requirement.name}: {version} installed, {requirement.specifier} asked")
    return out
