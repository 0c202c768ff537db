"""`listwatch links`: the real CLI on real lists and on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
LLM = CORPUS / "awesome-papers" / "paper-list" / "systems-for-ml" / "llm.md"

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not beside the repo")


def listwatch(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "listwatch", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd)


def test_links_json_on_the_llm_list() -> None:
    result = listwatch("links", str(LLM), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"links", "entries"}
    first = data["links"][0]
    assert {"file", "line", "column", "url", "resolved", "label"} <= set(first)
    # The first entry's venue tag links to a folder: GitBook means its README.md.
    assert first == {
        "file": "paper-list/systems-for-ml/llm.md", "line": 9, "column": 97,
        "url": "../../reading-notes/conference/sosp-2023/",
        "resolved": "reading-notes/conference/sosp-2023/README.md",
        "label": "SOSP 2023", "kind": "inline",
    }
    sglang = next(e for e in data["entries"] if e["title"].startswith("Efficiently Programming"))
    assert sglang["venue"] == "arXiv 2312.07104"
    assert sglang["arxiv_id"] == "2312.07104"
    assert sglang["repos"] == ["sgl-project/sglang"]
    assert [link["label"] for link in sglang["links"]] == ["Personal Notes", "arXiv", "Code"]
    # Every line with "](http" in the file yields at least one web link on that line.
    lines = LLM.read_text(encoding="utf-8").splitlines()
    expected = {n for n, line in enumerate(lines, 1) if "](http" in line}
    found = {link["line"] for link in data["links"] if link["resolved"].startswith("http")}
    assert expected <= found


def test_links_text_over_a_folder() -> None:
    result = listwatch("links", str(CORPUS / "awesome-sysml"))
    assert result.returncode == 0, result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    files = len(list((CORPUS / "awesome-sysml").rglob("*.md")))
    assert summary.startswith(f"{files} files, ")


def test_bad_paths_are_reported_and_the_rest_still_printed(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"* a\x00b\n")
    latin = tmp_path / "latin.md"
    latin.write_bytes("* caf\xe9\n".encode("latin-1"))
    huge = tmp_path / "huge.md"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = listwatch("links", str(tmp_path / "missing.md"), str(tmp_path / "empty"),
                       str(binary), str(latin), str(huge), str(LLM), "--format", "json")
    assert result.returncode == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 5, errors
    assert all(line.startswith("listwatch: error: ") for line in errors)
    assert "Traceback" not in result.stderr
    joined = "\n".join(errors)
    for name in ("missing.md", "empty", "binary.md", "latin.md", "huge.md"):
        assert name in joined
    data = json.loads(result.stdout)
    assert {link["file"] for link in data["links"]} == {"paper-list/systems-for-ml/llm.md"}


def test_links_requires_a_path() -> None:
    result = listwatch("links")
    assert result.returncode == 2
    assert "Missing argument" in result.stderr


def test_links_names_the_line_where_nesting_got_too_deep_and_keeps_its_links(
    tmp_path: Path,
) -> None:
    lines = [f"{'  ' * level}- [d{level}](https://x.org/d{level})" for level in range(60)]
    (tmp_path / "deep.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = listwatch("links", "deep.md", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["links"]) == 60
    assert result.stderr == ("listwatch: warning: deep.md:50: lists or quotes nested too deep "
                             "to read as Markdown; their links are read line by line\n")
