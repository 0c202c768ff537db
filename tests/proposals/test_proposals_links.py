"""moved, normalise and dead: what happens to a link, and when nothing should."""

from __future__ import annotations

from proposals_helpers import applied, config, kinds, ok, redirect, repo, run

from listwatch.config import DeadConfig, NormaliseConfig
from listwatch.model import Verdict

LINE = r"* Paper ([SOSP 2023](../../reading-notes/conference/sosp-2023/)) \[[Paper]({url})]" + "\n"


def one_link(url: str, **kw):
    doc, proposals = run(LINE.format(url=url), **kw)
    return doc, proposals, applied(doc, proposals)


# -- moved ---------------------------------------------------------------------


def test_permanent_redirect_chain_is_followed_keeping_the_fragment() -> None:
    old = "https://old.org/paper#sec-2"
    verdict = redirect("https://old.org/paper", ("https://old.org/paper", 301),
                       ("https://mid.org/paper", 308), final="https://new.org/p/paper?x=1")
    _doc, proposals, text = one_link(old, verdicts=[verdict])
    (moved,) = proposals
    assert moved.kind == "moved" and moved.apply
    assert moved.old == old and moved.new == "https://new.org/p/paper?x=1#sec-2"
    assert text == LINE.format(url="https://new.org/p/paper?x=1#sec-2")
    assert moved.evidence[0] == "https://old.org/paper"
    assert "moved permanently (301/308)" in moved.reason


def test_no_move_for_temporary_or_mixed_redirects() -> None:
    temporary = redirect("https://a.org/x", ("https://a.org/x", 302), final="https://b.org/x")
    mixed = redirect("https://a.org/x", ("https://a.org/x", 301), ("https://c.org/x", 307),
                     final="https://b.org/x")
    for verdict in (temporary, mixed):
        _, proposals, _ = one_link("https://a.org/x", verdicts=[verdict])
        assert proposals == ()


def test_no_move_for_trailing_slash_front_page_or_login() -> None:
    cases = [
        ("https://a.org/x", "https://a.org/x/"),
        ("https://a.org/deep/page", "https://a.org/"),
        ("https://a.org/deep/page", "https://sso.a.org/login?next=/deep"),
    ]
    for url, final in cases:
        verdict = redirect(url, (url, 301), final=final)
        _, proposals, _ = one_link(url, verdicts=[verdict])
        assert proposals == (), (url, final)


def test_another_sites_front_page_is_offered_for_review_not_applied() -> None:
    # ai.meta.com/llama/ -> www.llama.com/: a product's new home, or a soft 404.
    url = "https://ai.meta.com/llama/"
    verdict = redirect(url, (url, 301), final="https://www.llama.com/")
    _, proposals, text = one_link(url, verdicts=[verdict])
    (moved,) = proposals
    assert (moved.kind, moved.apply, moved.new) == ("moved", False, "https://www.llama.com/")
    assert moved.confidence < 0.9 and text == LINE.format(url=url)  # not applied
    assert "another site's front page (llama.com)" in moved.reason
    assert "for a person to judge" in moved.reason


def test_why_a_moved_link_got_no_edit() -> None:
    from listwatch.proposals.rules.moved import why_no_edit

    def why(url: str, final: str) -> str | None:
        return why_no_edit(url, redirect(url, (url, 301), final=final))

    assert why("https://a.org/deep/page", "https://a.org/") == (
        "it lands on the site's front page (a possible soft 404)")
    assert why("https://a.org/deep/page", "https://www.a.org/") == (
        "it lands on the site's front page (a possible soft 404)")
    assert why("https://a.org/x", "https://a.org/x/") == (
        "only a trailing slash, the host's case or http → https differs")
    assert "login page" in (why("https://a.org/p", "https://sso.a.org/login") or "")
    assert "for a person to judge" in (
        why("https://ai.meta.com/llama/", "https://www.llama.com/") or "")
    assert why("https://old.org/paper", "https://new.org/paper") is None


def test_renamed_repository_deep_link_follows() -> None:
    url = "https://github.com/flexflow/FlexFlow/tree/inference/src#readme"
    _, proposals, _ = one_link(url, repos=[repo("flexflow/FlexFlow", "flexflow/flexflow-train")])
    (moved,) = proposals
    assert moved.new == "https://github.com/flexflow/flexflow-train/tree/inference/src#readme"
    assert "https://api.github.com/repos/flexflow/FlexFlow" in moved.evidence


def test_rename_evidence_is_the_facts_api_url() -> None:
    url = "https://github.com/a/old"
    ghe = "https://ghe.example.com/api/v3/repos/a/old"
    _, proposals, _ = one_link(url, repos=[repo("a/old", "a/new", api_url=ghe)])
    (moved,) = proposals
    assert moved.evidence == (ghe, "https://github.com/a/new")


def test_case_only_rename_is_no_change() -> None:
    url = "https://github.com/Org/Repo"
    verdict = redirect(url, (url, 301), final="https://github.com/org/repo")
    _, proposals, _ = one_link(url, repos=[repo("Org/Repo", "org/repo")], verdicts=[verdict])
    assert proposals == ()


def test_move_target_is_written_in_canonical_form_and_list_escaping() -> None:
    url = "https://old.org/paper\\_a"
    verdict = redirect("https://old.org/paper_a", ("https://old.org/paper_a", 301),
                       final="https://browse.arxiv.org/pdf/2401.00001v2.pdf")
    _, proposals, _ = one_link(url, verdicts=[verdict])
    (moved,) = proposals
    assert moved.new == "https://arxiv.org/abs/2401.00001v2"
    verdict = redirect("https://old.org/paper_a", ("https://old.org/paper_a", 301),
                       final="https://new.org/paper_b")
    (moved,) = one_link(url, verdicts=[verdict])[1]
    assert moved.new == "https://new.org/paper\\_b"


# -- normalise -----------------------------------------------------------------


def test_arxiv_mirror_and_pdf_become_abstract_pages() -> None:
    for url, want in [
        ("https://browse.arxiv.org/abs/2309.08125", "https://arxiv.org/abs/2309.08125"),
        ("https://arxiv.org/pdf/2001.04592.pdf", "https://arxiv.org/abs/2001.04592"),
        ("http://arxiv.org/pdf/2001.04592v3", "https://arxiv.org/abs/2001.04592v3"),
        ("https://export.arxiv.org/abs/cs/0112017", "https://arxiv.org/abs/cs/0112017"),
    ]:
        (proposal,) = one_link(url)[1]
        assert (proposal.kind, proposal.new) == ("normalise", want)
    assert one_link("https://arxiv.org/abs/2309.08125")[1] == ()


def test_https_only_when_verdicts_show_the_same_resource() -> None:
    url = "http://site.org/p"
    # No evidence: no change.
    assert one_link(url)[1] == ()
    # The http URL redirects to its https twin.
    chain = redirect(url, (url, 301), final="https://site.org/p")
    (proposal,) = one_link(url, verdicts=[chain])[1]
    assert (proposal.kind, proposal.new) == ("normalise", "https://site.org/p")
    # The https twin was checked and is ok.
    (proposal,) = one_link(url, verdicts=[ok("https://site.org/p")])[1]
    assert proposal.new == "https://site.org/p"
    # The http URL redirects elsewhere over https: a move, not a twin.
    elsewhere = redirect(url, (url, 302), final="https://other.org/")
    assert one_link(url, verdicts=[elsewhere])[1] == ()


def test_normalise_can_be_switched_off() -> None:
    cfg = config(normalise=NormaliseConfig(enabled=False))
    assert one_link("https://browse.arxiv.org/abs/2309.08125", cfg=cfg)[1] == ()
    cfg = config(normalise=NormaliseConfig(https=False))
    assert one_link("http://site.org/p", verdicts=[ok("https://site.org/p")], cfg=cfg)[1] == ()


# -- dead ----------------------------------------------------------------------


def broken(url: str) -> Verdict:
    return Verdict(url=url, status="broken", http_status=404, evidence=(url,))


def test_dead_link_is_reported_with_snapshot_never_deleted() -> None:
    url = "https://gone.org/paper"
    snap = "https://web.archive.org/web/20230101000000/https://gone.org/paper"
    doc, proposals, text = one_link(url, verdicts=[broken(url)], snapshots={url: snap})
    (dead,) = proposals
    assert (dead.kind, dead.span, dead.apply, dead.old, dead.new) == ("dead", None, False, url,
                                                                       snap)
    assert snap in dead.evidence and url in dead.evidence
    assert any(e.startswith("https://archive.org/wayback/available?url=") for e in dead.evidence)
    assert "HTTP 404" in dead.reason
    assert text == doc.text


def test_dead_link_replaced_by_snapshot_only_when_configured() -> None:
    url = "https://gone.org/paper"
    snap = "https://web.archive.org/web/2023/https://gone.org/paper"
    cfg = config(dead=DeadConfig(replace_with_archive=True))
    _, _proposals, text = one_link(url, verdicts=[broken(url)], snapshots={url: snap}, cfg=cfg)
    assert text == LINE.format(url=snap)
    # Without a snapshot there is nothing to replace it with: report only.
    (dead,) = one_link(url, verdicts=[broken(url)], cfg=cfg)[1]
    assert dead.span is None and not dead.apply


def test_failing_within_the_window_is_not_dead() -> None:
    url = "https://flaky.org/p"
    verdict = Verdict(url=url, status="failing", http_status=503)
    assert kinds(one_link(url, verdicts=[verdict])[1]) == []


# -- moved: badges of renamed repositories --------------------------------------


BADGES = ("[![Stars](https://img.shields.io/github/stars/a/old.svg?style=social&label=Star)]"
          "(https://github.com/a/old) "
          '<img src="https://badgen.net/github/license/a/old?color=green&amp;x=1"> '
          "![tag](https://badge.fury.io/gh/a%2Fold.svg)\n")


def test_badge_of_a_renamed_repository_names_the_new_one_byte_for_byte() -> None:
    doc, proposals = run(BADGES, repos=[repo("a/old", "b/new")])
    badges = {p.old: p.new for p in proposals if "github.com" not in p.old}
    assert badges == {
        "https://img.shields.io/github/stars/a/old.svg?style=social&label=Star":
            "https://img.shields.io/github/stars/b/new.svg?style=social&label=Star",
        "https://badgen.net/github/license/a/old?color=green&amp;x=1":
            "https://badgen.net/github/license/b/new?color=green&amp;x=1",
        "https://badge.fury.io/gh/a%2Fold.svg": "https://badge.fury.io/gh/b%2Fnew.svg",
    }
    assert kinds(proposals) == ["moved"] * 4
    assert all("a/old, which is now b/new" in p.reason for p in proposals
               if "github.com" not in p.old)
    assert applied(doc, proposals) == BADGES.replace("a/old", "b/new").replace(
        "a%2Fold", "b%2Fnew")


def test_no_badge_move_without_a_rename_or_for_static_badges() -> None:
    text = ("![s](https://img.shields.io/github/stars/a/same) "
            "![x](https://img.shields.io/badge/a/old-blue)\n")
    _, proposals = run(text, repos=[repo("a/same"), repo("a/old", "b/new")])
    assert proposals == ()
