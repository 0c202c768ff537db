"""venue, title, stars, archived, duplicate: changes to entries, in the list's style."""

from __future__ import annotations

from proposals_helpers import applied, config, kinds, paper, published, repo, run

from listwatch.config import ArchivedConfig, NormaliseConfig, StarsConfig, TitleConfig
from listwatch.proposals.rules.stars import display
from listwatch.proposals.rules.venue import APPLY_AT, REPORT_AT

LINKED = r"* Seen ([SOSP 2023](../../reading-notes/conference/sosp-2023/))" + "\n"
PRE = (r"* PowerInfer: Fast LLM Serving (arXiv 2312.12456)"
       r" \[[arXiv](https://arxiv.org/abs/2312.12456)]" + "\n  * SJTU\n")
ACM = "https://dl.acm.org/doi/10.1145/3694715.3695964"


# -- venue ---------------------------------------------------------------------


def test_preprint_becomes_linked_venue_with_paper_link_before_arxiv() -> None:
    doc, proposals = run(LINKED + PRE,
                         publications=[published("2312.12456", "SOSP", 2024, url=ACM)])
    assert kinds(proposals) == ["venue", "venue"]
    assert all(p.apply for p in proposals)
    assert applied(doc, proposals) == LINKED + (
        r"* PowerInfer: Fast LLM Serving ([SOSP 2024](../../reading-notes/conference/sosp-2024/))"
        rf" \[[Paper]({ACM})] \[[arXiv](https://arxiv.org/abs/2312.12456)]" + "\n  * SJTU\n"
    )
    tag = proposals[0]
    assert tag.old == "(arXiv 2312.12456)" and "SOSP 2024" in tag.reason
    assert tag.evidence and tag.confidence == 0.9


def test_venue_without_page_stays_plain_and_uses_list_spelling() -> None:
    _doc, proposals = run(
        "* Old (ATC 2022) \\[[Paper](https://a.org)]\n" + PRE,
        publications=[published("2312.12456", "USENIX Annual Technical Conference", 2024)],
    )
    (tag,) = proposals
    assert tag.new == "(ATC 2024)"


def test_canonical_venue_fact_is_written_in_the_list_spelling() -> None:
    # Sources report the canonical short name ("ATC"); the list writes "USENIX ATC".
    _doc, proposals = run(
        "* Old (USENIX ATC 2022) \\[[Paper](https://a.org)]\n" + PRE,
        publications=[published("2312.12456", "ATC", 2024, url=ACM)],
    )
    tag, paper_link = proposals
    assert tag.new == "(USENIX ATC 2024)"
    assert "published at USENIX ATC 2024" in tag.reason
    assert paper_link.reason.startswith("The published paper has a page at USENIX ATC ")


def test_colon_form_and_other_brackets() -> None:
    text = r"* Online Speculative Decoding (arXiv: 2310.07177) \[[Paper](https://arxiv.org/abs/2310.07177)]"
    _doc, proposals = run(text, publications=[published("2310.07177", "ICML", 2024,
                                                       url="https://proceedings.mlr.press/x")])
    # The entry already has a [Paper] link (to arXiv): the tag changes, no second Paper link.
    (tag,) = proposals
    assert (tag.old, tag.new) == ("(arXiv: 2310.07177)", "(ICML 2024)")


def test_corr_only_and_unknown_publications_stay_arxiv() -> None:
    for pub in (published("2312.12456", "CoRR", 2023), published("2312.12456", "arXiv", 2023)):
        assert run(PRE, publications=[pub])[1] == ()


def test_low_confidence_venue_is_for_review_only() -> None:
    middling = published("2312.12456", "SOSP", 2024, url=ACM, confidence=APPLY_AT - 0.1)
    doc, proposals = run(PRE, publications=[middling])
    assert kinds(proposals) == ["venue", "venue"] and not any(p.apply for p in proposals)
    assert applied(doc, proposals) == doc.text
    weak = published("2312.12456", "SOSP", 2024, confidence=REPORT_AT - 0.1)
    assert run(PRE, publications=[weak])[1] == ()


def test_venue_text_from_outside_is_escaped() -> None:
    pub = published("2312.12456", "Weird [Venue] *X*", 2024)
    (tag,) = run(PRE, publications=[pub])[1]
    assert tag.new == r"(Weird \[Venue\] \*X\* 2024)"


def test_awesome_style_list_gets_awesome_paper_link() -> None:
    text = "- A (arXiv 2312.12456) [[GitHub]](https://github.com/a/b)\n"
    doc, proposals = run(text, path="README.md", repo_paths=frozenset(),
                         publications=[published("2312.12456", "OSDI", 2024, url="https://u.org")])
    assert applied(doc, proposals) == (
        "- A (OSDI 2024) [[Paper]](https://u.org) [[GitHub]](https://github.com/a/b)\n")


# -- title ---------------------------------------------------------------------


def test_title_change_is_low_confidence_and_not_applied_by_default() -> None:
    pub = published("2312.12456", "SOSP", 2024, title="PowerInfer: Fast Large Language Model "
                    "Serving with a Consumer-grade GPU")
    doc, proposals = run(PRE, publications=[pub])
    title = next(p for p in proposals if p.kind == "title")
    assert not title.apply and title.confidence < 0.5
    assert title.old == "PowerInfer: Fast LLM Serving"
    cfg = config(title=TitleConfig(apply=True))
    doc, proposals = run(PRE + LINKED, publications=[pub], cfg=cfg)
    assert applied(doc, proposals).startswith(
        "* PowerInfer: Fast Large Language Model Serving with a Consumer-grade GPU ([SOSP 2024]")


def test_title_uses_latest_arxiv_version_and_ignores_case_and_punctuation() -> None:
    same = paper("2312.12456", "PowerInfer - fast LLM serving.")
    assert run(PRE, papers=[same])[1] == ()
    other = paper("2312.12456", "PowerInfer: Serving with `code` *stars*", version=3)
    (title,) = run(PRE, papers=[other])[1]
    assert title.new == r"PowerInfer: Serving with \`code\` \*stars\*"
    assert title.evidence == ("https://arxiv.org/abs/2312.12456v3",)
    assert "arXiv v3" in title.reason


# -- stars and archived --------------------------------------------------------

CODE = r"* Tool (OSDI 2022) \[[Paper](https://p.org)] \[[Code](https://github.com/o/r)]" + "\n"


def test_star_display_rounding() -> None:
    assert [display(n) for n in (7, 999, 1000, 1249, 1250, 12_345, 999_949, 999_950,
                                 1_500_000)] == [
        "7", "999", "1k", "1.2k", "1.2k", "12.3k", "999.9k", "1M", "1.5M"]


def test_stars_off_by_default_then_text_then_only_on_display_change() -> None:
    facts = [repo("o/r", stars=1230)]
    assert run(CODE, repos=facts)[1] == ()
    cfg = config(stars=StarsConfig(mode="text"))
    doc, proposals = run(CODE, repos=facts, cfg=cfg)
    written = applied(doc, proposals)
    assert written == CODE.replace("/o/r)]", "/o/r)] ★ 1.2k")
    # Next run: 1230 → 1244 shows the same "1.2k": nothing to do.
    assert run(written, repos=[repo("o/r", stars=1244)], cfg=cfg)[1] == ()
    # 1.2k → 1.3k rewrites only the number.
    doc, proposals = run(written, repos=[repo("o/r", stars=1301)], cfg=cfg)
    (update,) = proposals
    assert (update.old, update.new) == (" ★ 1.2k", " ★ 1.3k")
    assert applied(doc, proposals) == CODE.replace("/o/r)]", "/o/r)] ★ 1.3k")


def test_stars_badge_is_added_once() -> None:
    cfg = config(stars=StarsConfig(mode="badge"))
    doc, proposals = run(CODE, repos=[repo("o/r", stars=5)], cfg=cfg)
    written = applied(doc, proposals)
    assert "![GitHub stars](https://img.shields.io/github/stars/o/r?style=social)" in written
    assert run(written, repos=[repo("o/r", stars=50)], cfg=cfg)[1] == ()


def test_archived_marker_once_and_configurable() -> None:
    facts = [repo("o/r", archived=True)]
    doc, proposals = run(CODE, repos=facts)
    written = applied(doc, proposals)
    assert written == CODE.replace("/o/r)]", "/o/r)] (archived)")
    assert run(written, repos=facts)[1] == ()
    cfg = config(archived=ArchivedConfig(marker="⚠️ archived"))
    doc, proposals = run(CODE, repos=[repo("o/r", disabled=True)], cfg=cfg)
    assert applied(doc, proposals) == CODE.replace("/o/r)]", "/o/r)] ⚠️ archived")
    cfg = config(archived=ArchivedConfig(enabled=False))
    assert run(CODE, repos=facts, cfg=cfg)[1] == ()


def test_archived_goes_after_an_existing_star_count() -> None:
    cfg = config(stars=StarsConfig(mode="text"))
    text = CODE.replace("/o/r)]", "/o/r)] ★ 1.2k")
    doc, proposals = run(text, repos=[repo("o/r", stars=1300, archived=True)], cfg=cfg)
    assert applied(doc, proposals) == CODE.replace("/o/r)]", "/o/r)] ★ 1.3k (archived)")



def test_stars_and_archived_evidence_is_the_facts_api_url() -> None:
    ghe = "https://ghe.example.com/api/v3/repos/o/r"
    (stars,) = run(CODE, repos=[repo("o/r", stars=5, api_url=ghe)],
                   cfg=config(stars=StarsConfig(mode="text")))[1]
    (archived,) = run(CODE, repos=[repo("o/r", archived=True, api_url=ghe)])[1]
    assert stars.evidence == archived.evidence == (ghe,)

# -- duplicate -----------------------------------------------------------------


def test_duplicates_by_arxiv_id_and_paper_url_are_reported() -> None:
    text = (
        "* A (arXiv 2312.12456) \\[[arXiv](https://arxiv.org/abs/2312.12456)]\n"
        "* B \\[[Paper](https://usenix.org/x)] \\[[Code](https://github.com/o/r)]\n"
        "* A again (SOSP 2024) \\[[Paper](https://arxiv.org/pdf/2312.12456v2.pdf)]\n"
        "* C \\[[Paper](https://usenix.org/x/)] \\[[Code](https://github.com/o/r)]\n"
    )
    _doc, proposals = run(text, cfg=config(normalise=NormaliseConfig(enabled=False)))
    dupes = [p for p in proposals if p.kind == "duplicate"]
    assert [(p.line, p.old) for p in dupes] == [
        (3, "arXiv 2312.12456"), (4, "https://usenix.org/x")]
    assert all(p.span is None and not p.apply for p in dupes)
    assert dupes[0].evidence == ("https://arxiv.org/abs/2312.12456",)
    assert "line 1" in dupes[0].reason and "line 3" in dupes[0].reason


def test_same_url_twice_in_one_entry_is_not_a_duplicate() -> None:
    text = r"* TVM (OSDI 2018) \[[Paper](https://u.org/chen)] \[[Homepage](https://u.org/chen)]"
    assert run(text)[1] == ()


def test_star_counts_are_available_for_the_report_in_any_mode() -> None:
    from proposals_helpers import inputs

    from listwatch.markdown import Document
    from listwatch.proposals.rules.stars import displayed_counts

    facts = inputs(Document.from_text(CODE, "README.md"),
                   repos=[repo("o/r", stars=1249), repo("o/gone", stars=None)])
    assert displayed_counts(facts) == {"o/r": (1249, "1.2k")}


def test_paper_link_after_the_tag_when_entry_has_no_links() -> None:
    seen = LINKED.replace("\n", r" \[[Code](https://github.com/x/y)]" + "\n")
    doc, proposals = run(seen + "* Bare (arXiv 2312.12456)\n",
                         publications=[published("2312.12456", "SOSP", 2024, url=ACM)])
    assert applied(doc, proposals) == seen + (
        rf"* Bare ([SOSP 2024](../../reading-notes/conference/sosp-2024/)) \[[Paper]({ACM})]"
        + "\n")


NIPS_HTTP = "http://papers.nips.cc/paper/2020/hash/abc-Abstract.html"
NIPS_SEEN = (r"* Seen (NeurIPS 2019) \[[Paper](https://papers.nips.cc/paper/2019/x.html)]"
             "\n")


def test_a_new_paper_link_takes_https_where_the_list_links_its_host_so() -> None:
    doc, proposals = run(NIPS_SEEN + "* Bare (arXiv 2312.12456)\n",
                         publications=[published("2312.12456", "NeurIPS", 2020, url=NIPS_HTTP)])
    added = applied(doc, proposals)
    assert "https://papers.nips.cc/paper/2020/hash/abc-Abstract.html" in added
    assert "http://papers.nips.cc" not in added


def test_a_new_paper_link_keeps_http_when_the_list_does_or_normalising_is_off() -> None:
    plain = NIPS_SEEN.replace("https://", "http://")
    doc, proposals = run(plain + "* Bare (arXiv 2312.12456)\n",
                         publications=[published("2312.12456", "NeurIPS", 2020, url=NIPS_HTTP)])
    assert f"[Paper]({NIPS_HTTP})" in applied(doc, proposals)
    doc, proposals = run(NIPS_SEEN + "* Bare (arXiv 2312.12456)\n",
                         publications=[published("2312.12456", "NeurIPS", 2020, url=NIPS_HTTP)],
                         cfg=config(normalise=NormaliseConfig(https=False)))
    assert f"[Paper]({NIPS_HTTP})" in applied(doc, proposals)
