"""Hidden markers: written by one run, read back by the next."""

from __future__ import annotations

from listwatch.publish import markers


def test_proposal_ids_round_trip_through_a_body() -> None:
    body = "text\n\n" + markers.proposals_marker(["venue-b", "moved-a", "venue-b"]) + "\n"
    assert markers.proposals_marker(["b", "a"]) == "<!-- listwatch:proposals a b -->"
    assert markers.proposal_ids(body) == {"moved-a", "venue-b"}


def test_proposal_ids_ignore_what_is_not_an_id() -> None:
    body = "<!-- listwatch:proposals ok-1 <script> ../../x; 'q' -->"
    assert markers.proposal_ids(body) == {"ok-1"}
    assert markers.proposal_ids(None) == frozenset()
    assert markers.proposal_ids("<!-- listwatch:proposalsX a -->") == frozenset()
    assert markers.proposal_ids("no marker at all") == frozenset()


def test_dashboard_marker_names_its_repository() -> None:
    body = "## Link health\n" + markers.dashboard_marker("Owner/List")
    assert markers.is_dashboard(body, "owner/list")
    assert not markers.is_dashboard(body, "owner/other")
    assert not markers.is_dashboard("<!-- listwatch:proposals a -->", "owner/list")


def test_left_alone_heads_are_read_from_comments() -> None:
    sha = "a" * 40
    comments = ["hello", f"I left it alone.\n{markers.left_alone_marker(sha)}",
                "<!-- listwatch:left-alone not-a-sha -->"]
    assert markers.left_alone_heads(comments) == {sha}


def test_commit_trailer_only_counts_in_the_last_paragraph() -> None:
    assert markers.has_commit_trailer(f"subject\n\nbody\n\n{markers.COMMIT_TRAILER}\n")
    assert not markers.has_commit_trailer(f"subject\n\n{markers.COMMIT_TRAILER}\n\nmore text")
    assert not markers.has_commit_trailer("Fix a typo")


def test_a_pull_request_listwatch_closed_is_marked_so() -> None:
    body = "text\n" + markers.proposals_marker(["a"]) + "\n" + markers.closed_marker() + "\n"
    assert markers.closed_by_listwatch(body)
    assert markers.proposal_ids(body) == {"a"}
    assert not markers.closed_by_listwatch(markers.proposals_marker(["a"]))
    assert not markers.closed_by_listwatch(None)
