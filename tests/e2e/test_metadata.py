"""Facts per entry through `listwatch check --format json` (GitHub, arXiv, DBLP, S2)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from .helpers import load, make_list

pytestmark = pytest.mark.e2e

LIST = """# LLM

* S-LoRA: Serving Thousands of Concurrent LoRA Adapters (arXiv 2311.03285) \\[[arXiv](https://arxiv.org/abs/2311.03285)] \\[[Code](https://github.com/S-LoRA/S-LoRA)]
* LLM in a flash: Efficient Large Language Model Inference with Limited Memory (arXiv 2312.11514) \\[[arXiv](https://arxiv.org/abs/2312.11514)]
* Punica: Multi-Tenant LoRA Serving (arXiv: 2310.18547) \\[[arXiv](https://arxiv.org/abs/2310.18547)] \\[[Code](https://github.com/punica-ai/punica)]
* Old tool (OSDI 2022) \\[[Code](https://github.com/old/tool)] \\[[Other](https://github.com/gone/away)]
"""


def scenario(world) -> None:
    with world.batch():
        world.github.repo("S-LoRA/S-LoRA", stars=1500, archived=True)
        world.github.repo("punica-ai/punica", stars=900)
        world.github.repo("old/tool", renamed_to="new/tool", stars=42)
        world.github.repo("gone/away", deleted=True)
        # Published under another title, found by DBLP (title + authors) and S2.
        world.arxiv.paper("2311.03285", title="S-LoRA: Serving Thousands of Concurrent LoRA "
                          "Adapters", authors=["Ying Sheng", "Shiyi Cao", "Dacheng Li"],
                          version=3, comment="MLSys 2024")
        world.dblp.corr("2311.03285", title="S-LoRA: Serving Thousands of Concurrent LoRA "
                        "Adapters", authors=["Ying Sheng", "Shiyi Cao", "Dacheng Li"], year=2023)
        world.dblp.record("conf/mlsys/ShengCLHZZZMSGS24",
                          title="SLoRA: Scalable Serving of Thousands of LoRA Adapters",
                          authors=["Ying Sheng", "Shiyi Cao", "Dacheng Li"], venue="MLSys",
                          year=2024, ee="https://proceedings.mlsys.org/paper/2024/slora")
        world.s2.paper(title="S-LoRA: Serving Thousands of Concurrent LoRA Adapters",
                       arxiv="2311.03285", venue="Conference on Machine Learning and Systems",
                       year=2023, authors=["Ying Sheng", "Shiyi Cao"])
        # Only ever a preprint: DBLP has nothing but the CoRR record.
        world.arxiv.paper("2312.11514", title="LLM in a flash: Efficient Large Language Model "
                          "Inference with Limited Memory", authors=["Keivan Alizadeh"])
        world.dblp.corr("2312.11514", title="LLM in a flash: Efficient Large Language Model "
                        "Inference with Limited Memory", authors=["Keivan Alizadeh"], year=2023)
        world.s2.paper(title="LLM in a flash", arxiv="2312.11514", venue="arXiv.org", year=2023)
        # journal_ref says where it went.
        world.arxiv.paper("2310.18547", title="Punica: Multi-Tenant LoRA Serving",
                          authors=["Lequn Chen", "Zihao Ye"], journal_ref="MLSys 2024",
                          doi="10.5555/punica")


def entries_by_title(report: dict) -> dict[str, dict]:
    return {entry["title"].split(":")[0]: entry for entry in report["entries"]}


def test_entry_facts_with_a_token(world, tmp_path: Path) -> None:
    scenario(world)
    config = make_list(tmp_path, {"README.md": LIST})
    result = world.run_cli("check", "--config", str(config), "--format", "json",
                           extra_env={"GITHUB_TOKEN": world.github_token})
    assert result.returncode == 0, result.stderr  # gone/away is only "failing" on a first run
    report = load(result.stdout)
    entries = entries_by_title(report)

    slora = entries["S-LoRA"]
    assert slora["arxiv"]["version"] == 3
    assert slora["repos"][0]["stars"] == 1500 and slora["repos"][0]["archived"] is True
    publication = slora["publication"]
    assert publication["venue"] == "MLSys" and publication["year"] == 2024
    assert publication["url"] == "https://proceedings.mlsys.org/paper/2024/slora"
    assert "dblp" in publication["sources"]
    assert publication["confidence"] >= 0.7

    assert entries["LLM in a flash"]["publication"] is None  # CoRR only: stays arXiv

    punica = entries["Punica"]
    assert punica["publication"]["venue"] == "MLSys"
    assert punica["publication"]["url"] == "https://doi.org/10.5555/punica"

    old = entries["Old tool"]["repos"]
    by_name = {repo["requested"]: repo for repo in old}
    assert by_name["old/tool"]["renamed"] is True
    assert by_name["old/tool"]["name_with_owner"] == "new/tool"
    assert by_name["gone/away"]["exists"] is False

    # One GraphQL query for the five repositories, plus at most one more request.
    github_calls = world.requests("api.github.com")
    assert len(github_calls) <= math.ceil(5 / 100) + 1
    assert all(call.authorized for call in github_calls)


def test_entry_facts_without_a_token_use_rest(world, tmp_path: Path) -> None:
    scenario(world)
    config = make_list(tmp_path, {"README.md": LIST})
    result = world.run_cli("check", "--config", str(config), "--format", "json")
    report = load(result.stdout)
    old = {repo["requested"]: repo for repo in entries_by_title(report)["Old tool"]["repos"]}
    assert old["old/tool"]["name_with_owner"] == "new/tool"
    assert old["gone/away"]["exists"] is False
    assert not world.requests("api.github.com", path="/graphql")
    assert "token" not in result.stderr.lower() or "GITHUB_TOKEN" in result.stderr


def test_a_service_down_is_a_warning_not_a_crash(world, tmp_path: Path) -> None:
    scenario(world)
    world.dblp.down()
    world.s2.down()
    config = make_list(tmp_path, {"README.md": LIST})
    result = world.run_cli("check", "--config", str(config), "--format", "json")
    assert "Traceback" not in result.stderr
    report = load(result.stdout)
    warnings = " ".join(report["warnings"])
    assert "dblp.org" in warnings and "semanticscholar" in warnings
    entries = entries_by_title(report)
    # journal_ref still decides Punica; S-LoRA's comment alone is weaker but names MLSys.
    assert entries["Punica"]["publication"]["venue"] == "MLSys"
    assert entries["LLM in a flash"]["publication"] is None
