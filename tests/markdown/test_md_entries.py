"""extract_entries: the venue-tag forms and label styles the real lists use."""

from __future__ import annotations

import pytest

from listwatch.markdown import Document, extract_entries
from listwatch.model import Entry

PATH = "paper-list/systems-for-ml/llm.md"


def one(text: str) -> tuple[Document, Entry]:
    doc = Document.from_text(text, PATH)
    (entry,) = extract_entries(doc)
    return doc, entry


def cut(doc: Document, span) -> str:
    return doc.text[span.start : span.end]


def test_gitbook_entry_with_linked_venue() -> None:
    doc, entry = one(
        "* Oobleck: Resilient Training ([SOSP 2023](../../reading-notes/conference/sosp-2023/))"
        r" \[[Paper](https://dl.acm.org/doi/10.1145/3600006.3613152)]"
        r" \[[arXiv](https://browse.arxiv.org/abs/2309.08125v2)]"
        r" \[[Code](https://github.com/SymbioticLab/Oobleck)]"
        "\n  * UMich SymbioticLab & AWS\n  * Resilient *training*\n"
    )
    assert entry.title == "Oobleck: Resilient Training"
    assert cut(doc, entry.title_span) == entry.title
    assert entry.venue == "SOSP 2023"
    assert (
        cut(doc, entry.venue_span).startswith("([SOSP") and cut(doc, entry.venue_span)[-2:] == "))"
    )
    assert entry.venue_link == "reading-notes/conference/sosp-2023/README.md"
    assert [link.label for link in entry.links] == ["Paper", "arXiv", "Code"]
    assert (
        cut(doc, entry.links[0].span)
        == r"\[[Paper](https://dl.acm.org/doi/10.1145/3600006.3613152)]"
    )
    assert entry.arxiv_id == "2309.08125"
    assert entry.repos == ("SymbioticLab/Oobleck",)
    assert entry.details == ("UMich SymbioticLab & AWS", "Resilient *training")
    assert entry.line == 1 and cut(doc, entry.span).endswith("Resilient *training*")
    assert not entry.is_preprint


@pytest.mark.parametrize(
    ("tag", "venue", "arxiv"),
    [
        ("(SOSP 2023)", "SOSP 2023", None),
        ("(arXiv 2312.07104)", "arXiv 2312.07104", "2312.07104"),
        ("(arXiv: 2310.07177)", "arXiv: 2310.07177", "2310.07177"),
        ("(arXiv:2502.00722)", "arXiv:2502.00722", "2502.00722"),
        ("(arXiv cs/0112017)", "arXiv cs/0112017", "cs/0112017"),
        ("(NIPS 2017 Workshop on ML Systems)", "NIPS 2017 Workshop on ML Systems", None),
        ("(Technical Report No. UCB/EECS-2019-99)", "Technical Report No. UCB/EECS-2019-99", None),
        ("(OpML 19)", "OpML 19", None),
        ("(*PLDI 2013*)", "PLDI 2013", None),
        ("([ATC 2023](../../reading-notes/conference/atc-2023.md))", "ATC 2023", None),
    ],
)
def test_venue_tag_forms(tag: str, venue: str, arxiv: str | None) -> None:
    doc, entry = one(f"* A Paper: On Things {tag} \\[[Paper](https://x.org/p)]\n")
    assert entry.title == "A Paper: On Things"
    assert entry.venue == venue
    assert cut(doc, entry.venue_span) == tag
    assert entry.arxiv_id == arxiv
    assert entry.is_preprint == venue.lower().startswith("arxiv")


@pytest.mark.parametrize("tail", ["(MPS)", "(e.g., 2 GPUs)", "(bottom-up)"])
def test_parentheses_that_are_not_venues_stay_in_title(tail: str) -> None:
    _, entry = one(f"* Sharing GPUs {tail} \\[[Paper](https://x.org/p)]\n")
    assert entry.venue is None
    assert entry.title == f"Sharing GPUs {tail}"


def test_awesome_style_labels_and_arxiv_from_link() -> None:
    doc, entry = one(
        "- Salus: Fine-Grained GPU Sharing [[Paper]](https://arxiv.org/pdf/1902.04610.pdf)"
        "[[GitHub]](https://github.com/SymbioticLab/Salus.git)\n"
    )
    assert entry.title == "Salus: Fine-Grained GPU Sharing"
    assert [link.label for link in entry.links] == ["Paper", "GitHub"]
    assert cut(doc, entry.links[1].span) == "[[GitHub]](https://github.com/SymbioticLab/Salus.git)"
    assert entry.arxiv_id == "1902.04610"
    assert entry.repos == ("SymbioticLab/Salus",)


def test_group_with_several_links() -> None:
    doc, entry = one(
        "* [REEF: Preemption](https://www.usenix.org/osdi22/han) "
        r"\[[Code](https://github.com/SJTU-IPADS/reef), [Benchmark](https://github.com/SJTU-IPADS/disb)]"
        "\n"
    )
    assert entry.title == "REEF: Preemption"
    assert entry.title_link is not None and entry.title_link.url.endswith("/han")
    assert [(link.label, cut(doc, link.span)) for link in entry.links] == [
        ("Code", "[Code](https://github.com/SJTU-IPADS/reef)"),
        ("Benchmark", "[Benchmark](https://github.com/SJTU-IPADS/disb)"),
    ]
    assert entry.repos == ("SJTU-IPADS/reef", "SJTU-IPADS/disb")


def test_plain_labels_after_title_and_reference_labels() -> None:
    doc = Document.from_text(
        "1. Title Here [Paper](https://p.org) [Code][c]\n\n[c]: https://github.com/o/n\n", PATH
    )
    (entry,) = extract_entries(doc)
    assert entry.title == "Title Here"
    assert [(link.label, link.link.resolved) for link in entry.links] == [
        ("Paper", "https://p.org"),
        ("Code", "https://github.com/o/n"),
    ]
    assert entry.repos == ("o/n",)


def test_toc_items_and_plain_sub_bullets() -> None:
    doc = Document.from_text(
        "* [Intro](README.md)\n  * [Part](part/)\n  * just words\n* Plain item\n", "SUMMARY.md"
    )
    entries = extract_entries(doc)
    assert [(e.title, e.venue) for e in entries] == [
        ("Intro", None),
        ("Part", None),
        ("Plain item", None),
    ]
    assert entries[0].details == ("Part", "just words")
    assert entries[1].title_link.resolved == "part/README.md"


def test_nested_links_only_item_lends_links_to_parent() -> None:
    _, entry = one(
        "- Stable-Baselines 2021\n"
        "  - [[Paper]](https://www.jmlr.org/x.pdf) [[GitHub]](https://github.com/hill-a/sb)\n"
    )
    assert [link.label for link in entry.links] == ["Paper", "GitHub"]
    assert entry.repos == ("hill-a/sb",)


def test_crlf_entry_spans() -> None:
    doc, entry = one("* T (OSDI 2022) \\[[P](https://p.org)]\r\n  * d\r\n")
    assert cut(doc, entry.span) == "* T (OSDI 2022) \\[[P](https://p.org)]\r\n  * d"
    assert entry.details == ("d",)
