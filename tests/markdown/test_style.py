"""House style: learned from the real lists, then used to write new text."""

from __future__ import annotations

from pathlib import Path

import pytest

from listwatch.markdown import Document, extract_entries, read_document
from listwatch.markdown.style import (
    HouseStyle,
    classify_syntax,
    learn_style,
    venue_slug,
)

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
LLM = "paper-list/systems-for-ml/llm.md"


def _learn(name: str) -> HouseStyle:
    root = CORPUS / name
    if not root.is_dir():
        pytest.skip(f"corpus {name} not present")
    docs = [read_document(p, p.relative_to(root).as_posix()) for p in sorted(root.rglob("*.md"))]
    entries = {d.path: tuple(extract_entries(d)) for d in docs}
    files = frozenset(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return learn_style(docs, entries, files)


@pytest.fixture(scope="module")
def papers() -> HouseStyle:
    return _learn("awesome-papers")


@pytest.fixture(scope="module")
def sysml() -> HouseStyle:
    return _learn("awesome-sysml")


def test_label_order_of_awesome_papers(papers: HouseStyle) -> None:
    order = [name for name in papers.label_order
             if name in ("Personal Notes", "Paper", "arXiv", "Code", "Homepage")]
    assert order == ["Personal Notes", "Paper", "arXiv", "Code", "Homepage"]
    assert papers.goes_before("Paper", "arXiv") and papers.goes_before("Paper", "Code")
    assert not papers.goes_before("Paper", "Personal Notes")


def test_venue_tags_link_to_reading_notes(papers: HouseStyle) -> None:
    assert papers.links_tags
    assert papers.tag_templates[0][0] == "reading-notes/conference/{venue}-{year}"
    assert papers.venue_tag(LLM, "SOSP", 2023) == (
        "([SOSP 2023](../../reading-notes/conference/sosp-2023/))")
    # A page kept as a file is linked as the file, relative to each list file.
    assert papers.venue_tag(LLM, "ICML", 2023) == (
        "([ICML 2023](../../reading-notes/conference/icml-2023.md))")
    assert papers.venue_tag("paper-list/rdma.md", "CLUSTER", 2019) == (
        "([CLUSTER 2019](../reading-notes/conference/cluster-2019.md))")
    # Journal pages follow their own template.
    assert papers.venue_tag(LLM, "TCC", 2021) == (
        "([TCC 2021](../../reading-notes/journal/tcc/tcc-2021/))")
    # No page, no link.
    assert papers.venue_tag(LLM, "SOSP", 2031) == "(SOSP 2031)"


def test_vocabulary_and_spelling(papers: HouseStyle) -> None:
    vocabulary = papers.vocabulary
    assert vocabulary["OSDI"] > vocabulary["NSDI"] > 0
    assert "USENIX ATC" not in vocabulary
    assert papers.spell_venue("USENIX ATC") == "ATC"
    assert papers.spell_venue("USENIX Annual Technical Conference") == "ATC"
    assert papers.spell_venue("Neural Information Processing Systems") == "NeurIPS"
    assert papers.spell_venue("eurosys") == "EuroSys"


def test_gitbook_syntax_and_escaped_underscores(papers: HouseStyle) -> None:
    assert papers.file_style(LLM).syntax == "gitbook"
    assert papers.file_style(LLM).separator == " "
    assert papers.escape_url_underscores
    assert papers.render_label(LLM, "Paper", "https://x.org/a_b") == (
        r"\[[Paper](https://x.org/a\_b)]")


def test_awesome_sysml_style(sysml: HouseStyle) -> None:
    assert sysml.default_file.syntax == "awesome"
    assert not sysml.links_tags and not sysml.escape_url_underscores
    assert sysml.render_label("inference.md", "Paper", "https://x.org/a_b") == (
        "[[Paper]](https://x.org/a_b)")
    # llm_serving.md writes its label in lower case; the file's spelling wins.
    assert sysml.render_label("llm_serving.md", "Paper", "https://x.org") == (
        "[[paper]](https://x.org)")
    assert sysml.goes_before("Paper", "GitHub")


def test_insertion_follows_learned_order(papers: HouseStyle) -> None:
    text = (
        r"* A (arXiv 2312.07104) \[[Personal Notes](n.md)] \[[arXiv](https://arxiv.org/abs/1)]"
        r" \[[Code](https://github.com/o/r)]"
    )
    doc = Document.from_text(text, LLM)
    (entry,) = extract_entries(doc)
    offset, new = papers.insertion(entry, "Paper", "https://p.org/x", after=0)
    result = doc.text[:offset] + new + doc.text[offset:]
    assert result == (
        r"* A (arXiv 2312.07104) \[[Personal Notes](n.md)] \[[Paper](https://p.org/x)]"
        r" \[[arXiv](https://arxiv.org/abs/1)] \[[Code](https://github.com/o/r)]"
    )


def test_insertion_without_links_goes_after_the_tag(papers: HouseStyle) -> None:
    doc = Document.from_text("* A (arXiv 2312.07104)\n", LLM)
    (entry,) = extract_entries(doc)
    assert entry.venue_span is not None
    offset, new = papers.insertion(entry, "Paper", "https://p.org/x", entry.venue_span.end)
    assert (offset, new) == (entry.venue_span.end, r" \[[Paper](https://p.org/x)]")


def test_small_documents_learn_too() -> None:
    doc = Document.from_text(
        "- A (OSDI 2020) [[Paper]](https://a.org) [[GitHub]](https://github.com/a/b)\n"
        "- B (USENIX ATC 2021) [[Paper]](https://b.org)\n",
        "README.md",
    )
    style = learn_style([doc], extract_entries(doc))
    assert style.vocabulary == {"OSDI": 1, "USENIX ATC": 1}
    assert style.spell_venue("ATC") == "USENIX ATC"
    assert style.venue_tag("README.md", "SOSP", 2024) == "(SOSP 2024)"
    assert style.label_order == ("Paper", "GitHub")


def test_small_helpers() -> None:
    assert venue_slug("ISPA/IUCC/BDCloud") == "ispa-iucc-bdcloud"
    assert classify_syntax(r"\[[Paper](u)]") == "gitbook"
    assert classify_syntax("[[Paper]](u)") == "awesome"
    assert classify_syntax(r"[\[Paper\]](u)") == "escaped"
    assert classify_syntax("[Paper](u)") == "plain"
