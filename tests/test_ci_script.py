"""`.ci/run` runs exactly the README's test command (the second of its two commands)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme.split("## Commands", 1)[0], re.S)
    assert len(blocks) == 2, "the README opens with two commands"
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line for line in script if line and not line.startswith(("#", " "))
                and not line.startswith(("set ", "cd ", "if ", "fi"))]
    assert commands[-1] == blocks[1]
    assert "pytest" in blocks[1] and "listwatch run --dry-run" in blocks[0]
