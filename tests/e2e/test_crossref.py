"""DOI links through Crossref in one batch, the doi.org handle API for the rest."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote

import pytest

from .helpers import FAST_HTTP, by_url, load, make_list

pytestmark = pytest.mark.e2e

SGLANG = "10.1145/3694715.3695964"
SLORA = "10.1145/3620666.3651335"
VLLM = "10.1145/3600006.3613165"
DEAD = "10.1145/9999999.9999999"
DATACITE = "10.48550/arXiv.2312.07104"

LIST = f"""# Papers

* SGLang (SOSP 2024) \\[[Paper](https://dl.acm.org/doi/{SGLANG})]
* S-LoRA (ASPLOS 2024) \\[[Paper](https://dl.acm.org/doi/abs/{SLORA})]
* vLLM (SOSP 2023) \\[[Paper](https://doi.org/{VLLM})]
* Typo in the DOI \\[[Paper](https://dl.acm.org/doi/{DEAD})]
* A preprint's DOI \\[[DOI](https://doi.org/{DATACITE})]
"""

CHECK = FAST_HTTP + "fail_runs = 1\nfail_hours = 0\n"

EXPECTED = {
    f"https://dl.acm.org/doi/{SGLANG}": "ok",
    f"https://dl.acm.org/doi/abs/{SLORA}": "ok",
    f"https://doi.org/{VLLM}": "ok",
    f"https://dl.acm.org/doi/{DEAD}": "broken",
    f"https://doi.org/{DATACITE}": "ok",
}


def scenario(world) -> None:
    with world.batch():
        for doi in (SGLANG, SLORA, VLLM):
            world.doi.register(doi, f"https://dl.acm.org/doi/{doi}")
        world.doi.register(DATACITE, "https://arxiv.org/abs/2312.07104")  # DataCite's


def _handles(world) -> list[str]:
    return sorted(unquote(r.path).removeprefix("/api/handles/")
                  for r in world.requests("doi.org", path_prefix="/api/handles/"))


def test_acm_links_are_judged_from_one_crossref_batch(world, tmp_path: Path) -> None:
    scenario(world)
    config = make_list(tmp_path, {"README.md": LIST}, extra=CHECK)
    result = world.run_cli("check", "--config", str(config), "--format", "json")
    assert result.returncode == 1, result.stderr
    report = load(result.stdout)
    rows = by_url(report)
    assert {url: row["status"] for url, row in rows.items()} == EXPECTED
    via = {url: row["via"] for url, row in rows.items()}
    assert via == {
        f"https://dl.acm.org/doi/{SGLANG}": "crossref",
        f"https://dl.acm.org/doi/abs/{SLORA}": "crossref",
        f"https://doi.org/{VLLM}": "crossref",
        f"https://dl.acm.org/doi/{DEAD}": "doi",
        f"https://doi.org/{DATACITE}": "doi",
    }
    assert rows[f"https://dl.acm.org/doi/{SGLANG}"]["detail"] == (
        f"DOI {SGLANG} is registered; resolves to https://dl.acm.org/doi/{SGLANG}")
    # One Crossref request for every DOI; the handle API only for what Crossref did not list.
    asked = world.requests("api.crossref.org")
    assert len(asked) == 1 and asked[0].path == "/works" and asked[0].status == 200
    query = parse_qs(asked[0].query)
    assert sorted(query["filter"][0].split(",")) == sorted(
        f"doi:{d.lower()}" for d in (SGLANG, SLORA, VLLM, DEAD, DATACITE))
    assert _handles(world) == sorted([DEAD, DATACITE])
    assert dict(report["summary"]["requests"]).get("crossref") == 1
    assert not world.requests("dl.acm.org")
    # A second run asks Crossref only about the dead DOI: the OK links are in the cache.
    again = world.run_cli("check", "--config", str(config), "--format", "json")
    assert {url: row["status"] for url, row in by_url(load(again.stdout)).items()} == EXPECTED
    second = world.requests("api.crossref.org")[1:]
    assert [parse_qs(r.query)["filter"] for r in second] == [[f"doi:{DEAD}"]]


def test_crossref_down_every_doi_goes_to_doi_org(world, tmp_path: Path) -> None:
    scenario(world)
    world.crossref.down()
    config = make_list(tmp_path, {"README.md": LIST}, extra=CHECK)
    result = world.run_cli("check", "--config", str(config), "--format", "json")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    report = load(result.stdout)
    rows = by_url(report)
    assert {url: row["status"] for url, row in rows.items()} == EXPECTED
    assert {row["via"] for row in rows.values()} == {"doi"}
    assert world.requests("api.crossref.org")  # asked, and it failed
    assert _handles(world) == sorted([SGLANG, SLORA, VLLM, DEAD, DATACITE])
    warnings = [w for w in report["warnings"] if w.startswith("api.crossref.org")]
    assert warnings == ["api.crossref.org: HTTP 503 (after 2 attempts); 5 DOI(s) checked with "
                        "doi.org instead"]


def test_crossref_off_in_config(world, tmp_path: Path) -> None:
    scenario(world)
    config = make_list(tmp_path, {"README.md": LIST},
                       extra=CHECK + "\n[sources]\ncrossref = false\n")
    result = world.run_cli("check", "--config", str(config), "--format", "json")
    rows = by_url(load(result.stdout))
    assert {url: row["status"] for url, row in rows.items()} == EXPECTED
    assert {row["via"] for row in rows.values()} == {"doi"}
    assert not world.requests("api.crossref.org")
