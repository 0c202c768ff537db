"""Imports point down the pipeline only: no stage imports a later one or a sibling.

The layers are those of DESIGN.md: cli → pipeline → publish → proposals →
probe / sources → markdown → net, state → model. Every ``listwatch`` import in
``src/`` (lazy ones inside functions too) is checked against them.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "listwatch"

# Rank of each top-level unit of the package; a module may import only units of a
# lower rank, or modules of its own unit.
LAYERS: dict[str, int] = {
    # the bottom: shared values and helpers that know no stage
    "model": 0, "errors": 0, "text": 0, "identifiers": 0, "credentials": 0, "venues": 0,
    "redact": 0, "allocator": 0,
    "__init__": 0,
    "config": 1, "paths": 1, "state": 1, "gitdiff": 1,
    "net": 2,
    "markdown": 3,
    # the network stages, siblings that never import each other
    "probe": 4, "sources": 4, "targets": 4,
    "proposals": 5,
    "publish": 6,
    "gather": 6,  # the network stages side by side, for pipeline
    "pipeline": 7, "initconfig": 7,
    "scheduler": 8,
    "cli": 9, "__main__": 10,
}


def _unit(module: str) -> str:
    """``listwatch.probe.engine`` → ``probe``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path) -> str:
    relative = path.relative_to(SRC.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__" and len(parts) > 2:
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every ``listwatch`` module ``path`` imports, at any depth of the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("listwatch"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "listwatch":  # a submodule, or a name of the package itself
                found.update(f"listwatch.{a.name}" if _is_module(a.name) else "listwatch"
                             for a in node.names)
            elif node.module.startswith("listwatch."):
                found.add(node.module)
    return found


def _is_module(name: str) -> bool:
    return (SRC / f"{name}.py").exists() or (SRC / name / "__init__.py").exists()


def _edges() -> list[tuple[str, str]]:
    return [(_module_name(path), target) for path in sorted(SRC.rglob("*.py"))
            for target in sorted(_imports(path))]


def test_every_unit_has_a_layer() -> None:
    units = {_unit(_module_name(path)) for path in SRC.rglob("*.py")}
    assert units <= set(LAYERS), f"give these a layer: {sorted(units - set(LAYERS))}"


def _violations(edges: list[tuple[str, str]]) -> list[str]:
    wrong = []
    for source, target in edges:
        here, there = _unit(source), _unit(target)
        if here != there and LAYERS[there] >= LAYERS[here]:
            wrong.append(f"{source} imports {target}")
    return wrong


def test_imports_point_down_the_pipeline() -> None:
    wrong = _violations(_edges())
    assert not wrong, "\n".join(wrong)


def test_the_checker_sees_wrong_imports(tmp_path: Path) -> None:
    """The rule can fail: upward, sideways and lazy imports are all reported."""
    lazy = tmp_path / "lazy.py"
    lazy.write_text("def f():\n    from listwatch.probe.engine import probe_urls\n")
    assert _imports(lazy) == {"listwatch.probe.engine"}
    edges = [("listwatch.state", "listwatch.probe.engine"),        # up
             ("listwatch.probe.engine", "listwatch.sources.github"),  # sideways
             ("listwatch.probe.engine", "listwatch.probe.fetch"),     # own unit: fine
             ("listwatch.cli", "listwatch.pipeline")]                  # down: fine
    assert _violations(edges) == ["listwatch.state imports listwatch.probe.engine",
                                  "listwatch.probe.engine imports listwatch.sources.github"]


@pytest.mark.parametrize("module", ["listwatch.state", "listwatch.model"])
def test_bottom_modules_load_no_stage(module: str) -> None:
    code = (f"import sys, {module}; "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('listwatch'))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    stages = ("probe", "sources", "proposals", "publish", "pipeline", "markdown", "net")
    assert not [m for m in loaded if _unit(m) in stages], loaded
