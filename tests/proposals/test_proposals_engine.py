"""The engine: stable ids, declined proposals, conflicts, applicability."""

from __future__ import annotations

import dataclasses

from proposals_helpers import applied, config, ok, published, redirect, repo, run

from listwatch.config import DeadConfig, StarsConfig
from listwatch.model import Proposal, Span, Verdict
from listwatch.proposals.engine import _resolve
from listwatch.proposals.ids import proposal_id

ENTRY = (r"* A (OSDI 2022) \[[Paper](http://site.org/p)] \[[arXiv](https://arxiv.org/pdf/2401.00001)]"
         r" \[[Code](https://github.com/o/r)]" + "\n")
FACTS = {"verdicts": [ok("https://site.org/p")], "repos": [repo("o/r", "o/r2", archived=True)]}


def test_ids_are_stable_across_runs_and_line_shifts() -> None:
    _, first = run(ENTRY, **FACTS)
    _, again = run(ENTRY, **FACTS)
    _, shifted = run("# Title\n\nSome prose.\n\n" + ENTRY, **FACTS)
    assert [p.id for p in first] == [p.id for p in again] == [p.id for p in shifted]
    assert [p.line for p in shifted] == [p.line + 4 for p in first]
    assert len({p.id for p in first}) == len(first) == 4
    assert first[0].id == proposal_id(first[0].kind, first[0].file, first[0].old, first[0].new)


def test_same_change_twice_in_a_file_gets_distinct_ids() -> None:
    _, proposals = run(ENTRY + ENTRY.replace("* A", "* B"), **FACTS)
    https = [p for p in proposals if p.new == "https://site.org/p"]
    assert len(https) == 2
    assert https[1].id == https[0].id + "-2"


def test_declined_proposals_are_not_proposed_again() -> None:
    _, proposals = run(ENTRY, **FACTS)
    declined = frozenset({proposals[0].id})
    _, again = run(ENTRY, declined=declined, **FACTS)
    assert [p.id for p in again] == [p.id for p in proposals[1:]]


def test_everything_applies_together() -> None:
    cfg = config(stars=StarsConfig(mode="text"))
    facts = {"verdicts": [ok("https://site.org/p")],
             "repos": [repo("o/r", "o/r2", archived=True, stars=20_100)]}
    doc, proposals = run(ENTRY, cfg=cfg, **facts)
    assert applied(doc, proposals) == (
        r"* A (OSDI 2022) \[[Paper](https://site.org/p)] \[[arXiv](https://arxiv.org/abs/2401.00001)]"
        r" \[[Code](https://github.com/o/r2)] ★ 20.1k (archived)" + "\n")
    merged = [p for p in proposals if p.kind == "archived"]
    assert len(merged) == 1 and "stars" in merged[0].reason and "archived" in merged[0].reason


def test_moved_wins_over_normalise_on_one_url() -> None:
    url = "https://browse.arxiv.org/abs/2401.00001"
    verdict = redirect(url, (url, 301), final="https://browse.arxiv.org/abs/2401.99999")
    _doc, proposals = run(rf"* A (OSDI 2022) \[[Paper]({url})]", verdicts=[verdict])
    (moved,) = proposals
    assert (moved.kind, moved.new) == ("moved", "https://arxiv.org/abs/2401.99999")


def test_dead_replacement_wins_over_normalise() -> None:
    url = "https://arxiv.org/pdf/2401.00001"
    snap = "https://web.archive.org/web/2024/https://arxiv.org/pdf/2401.00001"
    doc, proposals = run(
        rf"* A (OSDI 2022) \[[Paper]({url})]",
        verdicts=[Verdict(url=url, status="broken", http_status=404)], snapshots={url: snap},
        cfg=config(dead=DeadConfig(replace_with_archive=True)),
    )
    assert [p.kind for p in proposals] == ["dead"]
    assert applied(doc, proposals) == rf"* A (OSDI 2022) \[[Paper]({snap})]"


def _proposal(kind: str, start: int, end: int, new: str = "x") -> Proposal:
    return Proposal(id=f"{kind}-{start}", kind=kind, file="f.md", line=1, span=Span(start, end),
                    old="", new=new, reason="r.", evidence=(), confidence=1.0)


def test_overlapping_proposals_resolve_by_priority_deterministically() -> None:
    venue, title = _proposal("venue", 10, 30), _proposal("title", 2, 15)
    for order in ([venue, title], [title, venue]):
        assert list(_resolve(order)) == [venue]
    review = dataclasses.replace(title, apply=False)
    assert sorted(p.kind for p in _resolve([venue, review])) == ["title", "venue"]


def test_low_confidence_venue_does_not_block_anything() -> None:
    text = r"* PowerInfer (arXiv 2312.12456) \[[arXiv](https://arxiv.org/pdf/2312.12456)]"
    pub = published("2312.12456", "SOSP", 2024, url="https://acm.org/x", confidence=0.5)
    doc, proposals = run(text, publications=[pub])
    assert applied(doc, proposals) == text.replace("/pdf/", "/abs/")
