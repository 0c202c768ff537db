"""End to end on a copy of the real llm.md: all proposals applied, exact lines, bytes kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from proposals_helpers import applied, inputs, ok, paper, published, redirect, repo

from listwatch.markdown import read_document
from listwatch.model import Verdict
from listwatch.proposals import propose

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "awesome-papers"
LLM = "paper-list/systems-for-ml/llm.md"
BLOG = ("https://www.microsoft.com/en-us/research/blog/"
        "splitwise-improves-gpu-usage-by-splitting-llm-inference-phases/")
SNAPSHOT = "https://web.archive.org/web/20240101000000/" + BLOG
BAMBOO = "https://www.usenix.org/conference/nsdi23/presentation/thorpe"
ALPA_DOCS = "https://alpa.ai/"


@pytest.fixture()
def run(tmp_path: Path):
    if not CORPUS.is_dir():
        pytest.skip("corpus not present")
    copy = tmp_path / "llm.md"
    shutil.copyfile(CORPUS / LLM, copy)
    doc = read_document(copy, LLM)
    files = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file()}
    files.add("reading-notes/conference/sosp-2024/README.md")
    facts = inputs(
        doc,
        repo_paths=frozenset(files),
        publications=[
            published("2312.12456", "SOSP", 2024,
                      url="https://dl.acm.org/doi/10.1145/3694715.3695964"),
            published("2312.11514", "Annual Meeting of the Association for Computational "
                      "Linguistics", 2024, url="https://aclanthology.org/2024.acl-long.678/"),
            published("2312.07104", "NeurIPS", 2024, url="https://proceedings.neurips.cc/sglang"),
            published("2311.18677", "ISCA", 2024, url="https://ieeexplore.ieee.org/x",
                      confidence=0.6),
            published("2311.03285", "CoRR", 2023),
            published("2310.07177", "ICML", 2024, url="https://proceedings.mlr.press/osd"),
        ],
        papers=[
            paper("2310.18547", "Punica: Multi-Tenant LoRA Serving"),
            paper("2311.11514", "HexGen: Generative Inference of Large Language Model over "
                  "Heterogeneous Environment"),
        ],
        repos=[
            repo("flexflow/FlexFlow", "flexflow/flexflow-train"),
            repo("FMInference/FlexGen", archived=True),
            repo("Hsword/SpotServe", "hsword/spotserve"),
        ],
        verdicts=[
            redirect(BAMBOO, (BAMBOO, 301), final=BAMBOO.replace("thorpe", "thorpe-bamboo")),
            redirect(ALPA_DOCS, (ALPA_DOCS, 302), final="https://alpa.ai/index.html"),
            Verdict(url=BLOG, status="broken", http_status=404),
            ok("https://github.com/sgl-project/sglang"),
        ],
        snapshots={BLOG: SNAPSHOT},
    )
    return doc, propose(facts)


EXPECTED = {
    9: r"* Oobleck: Resilient Distributed Training of Large Models Using Pipeline Templates"
       r" ([SOSP 2023](../../reading-notes/conference/sosp-2023/))"
       r" \[[Paper](https://dl.acm.org/doi/abs/10.1145/3600006.3613152)]"
       r" \[[arXiv](https://arxiv.org/abs/2309.08125)]"
       r" \[[Code](https://github.com/SymbioticLab/Oobleck)]",
    13: r"* Bamboo: Making Preemptible Instances Resilient for Affordable Training of Large DNNs"
        r" ([NSDI 2023](../../reading-notes/conference/nsdi-2023/))"
        r" \[[Paper](https://www.usenix.org/conference/nsdi23/presentation/thorpe-bamboo)]"
        r" \[[Code](https://github.com/uclasystem/bamboo)]",
    22: r"* Efficiently Programming Large Language Models using SGLang (NeurIPS 2024)"
        r" \[[Personal Notes](../../reading-notes/miscellaneous/arxiv/2024/sglang.md)]"
        r" \[[Paper](https://proceedings.neurips.cc/sglang)]"
        r" \[[arXiv](https://arxiv.org/abs/2312.07104)]"
        r" \[[Code](https://github.com/sgl-project/sglang)]",
    27: r"* PowerInfer: Fast Large Language Model Serving with a Consumer-grade GPU"
        r" ([SOSP 2024](../../reading-notes/conference/sosp-2024/))"
        r" \[[Paper](https://dl.acm.org/doi/10.1145/3694715.3695964)]"
        r" \[[arXiv](https://arxiv.org/abs/2312.12456)]",
    31: r"* LLM in a flash: Efficient Large Language Model Inference with Limited Memory"
        r" (ACL 2024) \[[Paper](https://aclanthology.org/2024.acl-long.678/)]"
        r" \[[arXiv](https://arxiv.org/abs/2312.11514)]",
    64: r"* Efficient Memory Management for Large Language Model Serving with PagedAttention"
        r" ([SOSP 2023](../../reading-notes/conference/sosp-2023/))"
        r" \[[Paper](https://dl.acm.org/doi/10.1145/3600006.3613165)]"
        r" \[[arXiv](https://arxiv.org/abs/2309.06180)]"
        r" \[[Code](https://github.com/vllm-project/vllm)] \[[Homepage](https://vllm.ai/)]",
    71: r"* FlexGen: High-Throughput Generative Inference of Large Language Models with a Single"
        r" GPU ([ICML 2023](../../reading-notes/conference/icml-2023.md))"
        r" \[[Personal Notes](../../reading-notes/miscellaneous/arxiv/2023/flexgen.md)]"
        r" \[[Paper](https://proceedings.mlr.press/v202/sheng23a.html)]"
        r" \[[Code](https://github.com/FMInference/FlexGen)] (archived)",
    95: r"* Online Speculative Decoding (ICML 2024) \[[Paper](https://arxiv.org/abs/2310.07177)]",
    97: r"* SpecInfer: Accelerating Generative LLM Serving with Speculative Inference and Token"
        r" Tree Verification (arXiv: 2305.09781) \[[Paper](https://arxiv.org/abs/2305.09781)]"
        r" \[[Code](https://github.com/flexflow/flexflow-train/tree/inference)]",
}


def test_all_proposals_applied_to_llm_md(run) -> None:
    doc, proposals = run
    result = applied(doc, proposals)
    before = doc.text.splitlines(keepends=True)
    after = result.splitlines(keepends=True)
    assert len(before) == len(after)
    changed = {n: new for n, (old, new) in enumerate(zip(before, after, strict=True), 1)
               if old != new}
    assert {n: line.rstrip("\n") for n, line in changed.items()} == EXPECTED
    # Changed lines keep their line endings; every other line is byte for byte the same.
    assert all(changed[n].endswith("\n") == before[n - 1].endswith("\n") for n in changed)
    unchanged = [line for n, line in enumerate(before, 1) if n not in EXPECTED]
    assert unchanged == [line for n, line in enumerate(after, 1) if n not in EXPECTED]


def test_review_only_and_report_only_proposals_on_llm_md(run) -> None:
    _, proposals = run
    held = {(p.kind, p.line, p.old): p for p in proposals if not p.apply}
    # Splitwise: ISCA at confidence 0.6 is shown, not applied; its Blog link is dead.
    assert held["venue", 33, "(arXiv 2311.18677)"].new == "(ISCA 2024)"
    dead = held["dead", 33, BLOG]
    assert dead.span is None and dead.new == SNAPSHOT and SNAPSHOT in dead.evidence
    title = held["title", 43, "HexGen: Generative Inference of Foundation Model over "
                 "Heterogeneous Decentralized Environment"]
    assert title.confidence < 0.5
    assert {p.kind for p in proposals if not p.apply} == {"venue", "dead", "title"}
    # CoRR-only S-LoRA, the temporary Alpa docs redirect, the case-only SpotServe rename:
    # nothing for any of them.
    assert not [p for p in proposals if p.line in (16, 36, 44)]


def test_every_proposal_has_an_id_a_reason_and_evidence(run) -> None:
    _, proposals = run
    assert len({p.id for p in proposals}) == len(proposals)
    assert all(p.reason.endswith(".") and p.evidence for p in proposals)
