"""The benchmark harness refuses a venv that does not install what pyproject.toml asks."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest
from benchmarks.installed import unmet
from benchmarks.tools import byte_compiled

ROOT = Path(__file__).resolve().parents[1]


def test_the_suites_own_environment_meets_the_projects_requirements() -> None:
    assert unmet(ROOT / "pyproject.toml", ("test",)) == []


def test_a_missing_package_and_a_version_out_of_range_are_named(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "x"\n'
        'dependencies = ["surely-not-an-installed-package>=1", "httpx<0.1", "click>=1",\n'
        '                "pytest>=1; python_version < \'3\'"]\n'
        '[project.optional-dependencies]\nbench = ["another-missing-one"]\n',
        encoding="utf-8")

    assert unmet(pyproject) == ["surely-not-an-installed-package: not installed",
                                f"httpx: {metadata.version('httpx')} installed, <0.1 asked"]
    assert unmet(pyproject, ("bench",))[-1] == "another-missing-one: not installed"



def test_byte_compiling_writes_each_modules_cache(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "pkg").mkdir(parents=True)
    (src / "pkg" / "mod.py").write_text("VALUE = 1\n", encoding="utf-8")

    assert byte_compiled(src) == src
    assert list((src / "pkg" / "__pycache__").glob("mod.*.pyc"))

    (src / "pkg" / "bad.py").write_text("def (:\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="does not compile"):
        byte_compiled(src)
