"""`listwatch run --dry-run` on a copy of the real awesome-papers list.

The simulated internet is populated with facts about the LLM list; the test asserts
the exact lines the run would change, that every other byte stays identical, that
the diff applies with `git apply`, and that nothing was written anywhere.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from listwatch.markdown import extract_entries, extract_links, read_document
from listwatch.markdown.entries import arxiv_id_of, repo_of
from listwatch.probe.verifiers.doi import extract as doi_of

from .helpers import FAST_HTTP, load

pytestmark = pytest.mark.e2e

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "awesome-papers"
LLM = "paper-list/systems-for-ml/llm.md"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    if not CORPUS.exists():
        pytest.skip("shared corpus not beside the repository")
    root = tmp_path / "awesome-papers"
    shutil.copytree(CORPUS, root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    # The maintainer has a notes page for SOSP 2024, so the new tag links to it.
    page = root / "reading-notes/conference/sosp-2024/README.md"
    page.parent.mkdir(parents=True)
    page.write_text("# SOSP 2024\n")
    return root


def populate(world, root: Path) -> None:
    """Every link of the LLM list answers; then the facts this test is about."""
    document = read_document(root / LLM, LLM)
    links = extract_links(document)
    entries = extract_entries(document, links)
    titles = {entry.arxiv_id: entry.title for entry in entries if entry.arxiv_id}
    with world.batch():
        for link in links:
            url = link.resolved
            if not url.startswith("http"):
                continue
            host = url.split("/")[2].lower()
            if repo := repo_of(url):
                if repo.lower() not in ("fminference/flexgen", "flexflow/flexflow"):
                    world.github.repo(repo, stars=100)
            elif arxiv_id := arxiv_id_of(url):
                world.arxiv.paper(arxiv_id, title=titles.get(arxiv_id, "A paper"),
                                  authors=["Ada Lovelace"])
            elif doi := doi_of(url):
                world.doi.register(doi, url)
            elif host not in ("github.com", "dl.acm.org"):
                world.host(host).default(status=200)
        world.host("dl.acm.org", challenge="non-browser")
        # Renamed and archived repositories.
        world.github.repo("flexflow/FlexFlow", renamed_to="flexflow/flexflow-train", stars=1700)
        world.github.repo("FMInference/FlexGen", archived=True, stars=9100)
        # PowerInfer was published at SOSP 2024 (DBLP and Semantic Scholar agree).
        title = "PowerInfer: Fast Large Language Model Serving with a Consumer-grade GPU"
        authors = ["Yixin Song", "Zeyu Mi", "Haotong Xie", "Haibo Chen"]
        world.arxiv.paper("2312.12456", title=title, authors=authors, version=2)
        world.dblp.record("conf/sosp/SongMXC24", title=title, authors=authors, venue="SOSP",
                          year=2024, doi="10.1145/3694715.3695964")
        world.s2.paper(title=title, arxiv="2312.12456", venue="Symposium on Operating "
                       "Systems Principles", year=2024, authors=authors,
                       doi="10.1145/3694715.3695964")
        # LLM in a flash stayed a preprint: DBLP has only its CoRR record.
        flash = titles["2312.11514"]
        world.arxiv.paper("2312.11514", title=flash, authors=["Keivan Alizadeh"])
        world.dblp.corr("2312.11514", title=flash, authors=["Keivan Alizadeh"], year=2023)
        # A page that moved for good, one that redirects for now, one that died.
        world.host("www.usenix.org").default(status=200).route(
            "/conference/osdi22/presentation/zheng-lianmin", status=301,
            redirect="https://www.usenix.org/conference/osdi22/presentation/zheng")
        world.host("alpa.ai").route("/", status=302, redirect="https://alpa.ai/index.html")
        world.host("alpa.ai").route("/index.html", status=200)
        blog = ("https://www.microsoft.com/en-us/research/blog/splitwise-improves-gpu-usage-"
                "by-splitting-llm-inference-phases/")
        world.host("www.microsoft.com").route(
            "/en-us/research/blog/splitwise-improves-gpu-usage-by-splitting-llm-inference-"
            "phases/", status=404)
        world.wayback.snapshot(blog, "20240101000000")


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.parts}


def test_dry_run_proposes_the_maintainers_edits(world, checkout: Path, tmp_path: Path) -> None:
    populate(world, checkout)
    config = tmp_path / "config.toml"
    config.write_text(
        f'[[targets]]\nrepo = "mental2008/awesome-papers"\nfiles = ["{LLM}"]\n'
        f'path = "{checkout}"\n{FAST_HTTP}fail_runs = 1\nfail_hours = 0\n'
        '[state]\npath = "state/state.db"\n', encoding="utf-8")
    before = tree_digest(checkout)
    result = world.run_cli("run", "--dry-run", "--config", str(config), "--format", "json",
                           extra_env={"GITHUB_TOKEN": world.github_token}, timeout=300)
    assert result.returncode == 0, result.stderr
    report = load(result.stdout)
    assert tree_digest(checkout) == before  # a dry run writes nothing into the list
    diff = report["diff"]
    (tmp_path / "out.diff").write_text(diff)
    proposals = report["proposals"]
    kinds = {p["kind"] for p in proposals}
    assert {"venue", "moved", "normalise", "archived", "dead"} <= kinds, kinds

    # The diff applies cleanly from the repository root and gives the expected file.
    applied = subprocess.run(["git", "apply", "--check", "-"], cwd=checkout, input=diff,
                             text=True, capture_output=True)
    assert applied.returncode == 0, applied.stderr
    subprocess.run(["git", "apply", "-"], cwd=checkout, input=diff, text=True, check=True)
    old_lines = (CORPUS / LLM).read_bytes().split(b"\n")
    new_lines = (checkout / LLM).read_bytes().split(b"\n")
    assert len(old_lines) == len(new_lines)
    changed = {n + 1: new.decode() for n, (old, new) in
               enumerate(zip(old_lines, new_lines, strict=True)) if old != new}
    def old(line: int) -> str:
        return old_lines[line - 1].decode()

    assert set(changed) == {9, 16, 27, 64, 71, 97}
    # browse.arxiv.org is the old mirror: the canonical abstract page replaces it.
    for line in (9, 64):
        assert changed[line] == old(line).replace("https://browse.arxiv.org/abs/",
                                                  "https://arxiv.org/abs/")
    # A permanent redirect is followed; the temporary one (alpa.ai) is left alone.
    assert changed[16] == old(16).replace("presentation/zheng-lianmin)",
                                          "presentation/zheng)")
    # The archived repository gets the marker after its code link.
    assert changed[71] == old(71) + " (archived)"
    # A renamed repository: the deep link follows the rename.
    assert changed[97] == old(97).replace("github.com/flexflow/FlexFlow/tree/inference",
                                          "github.com/flexflow/flexflow-train/tree/inference")
    # The preprint published at SOSP 2024 gets the list's linked tag and a [Paper] link
    # before its [arXiv] link, as the maintainer writes them.
    assert changed[27] == (
        "* PowerInfer: Fast Large Language Model Serving with a Consumer-grade GPU "
        "([SOSP 2024](../../reading-notes/conference/sosp-2024/)) "
        "\\[[Paper](https://doi.org/10.1145/3694715.3695964)] "
        "\\[[arXiv](https://arxiv.org/abs/2312.12456)]"
    )
    # LLM in a flash (CoRR only) keeps its arXiv tag: line 31 is not among the changes.
    assert "(arXiv 2312.11514)" in old(31)

    by_kind = {p["kind"]: p for p in proposals}
    dead = by_kind["dead"]
    assert dead["apply"] is False and "splitwise" in dead["old"]
    assert any("web.archive.org/web/20240101000000" in url for url in dead["evidence"])
    tag = next(p for p in proposals if p["kind"] == "venue" and p["old"] == "(arXiv 2312.12456)")
    assert tag["apply"] is True and tag["confidence"] >= 0.8
    assert "https://dblp.org/rec/conf/sosp/SongMXC24" in tag["evidence"]
    assert any(url.startswith("https://www.semanticscholar.org/paper/") for url in tag["evidence"])
    body = report["pull_request"]["body"]
    assert "Preprints published at a venue" in body
    assert ("`https://www.microsoft.com/en-us/research/blog/splitwise-improves-gpu-usage-by-"
            "splitting-llm-inference-phases/`, suggested `https://web.archive.org/web/"
            "20240101000000/") in body
    assert ": adds `(archived)`" in body
    assert "<!-- listwatch:proposals " in body
    assert not list((checkout).glob("**/*.orig"))
