"""The commit message lists the applied changes by kind and ends with the trailer."""

from __future__ import annotations

from listwatch.model import Proposal, Span
from listwatch.publish.commit_message import MAX_LINES, commit_message
from listwatch.publish.markers import has_commit_trailer


def _proposal(kind: str, line: int, *, apply: bool = True, file: str = "list.md",
              reason: str = "a reason") -> Proposal:
    return Proposal(id=f"{kind}-{line}", kind=kind, file=file, line=line,
                    span=Span(line, line + 1), old="a", new="b", reason=reason,
                    evidence=(), confidence=1.0, apply=apply)


def test_subject_body_by_kind_and_trailer() -> None:
    message = commit_message([_proposal("moved", 3), _proposal("venue", 9),
                              _proposal("moved", 12), _proposal("title", 5, apply=False)])
    lines = message.splitlines()
    assert lines[0] == "listwatch: update 3 places in list.md"
    assert lines[2] == "Moved links (permanent redirects and renamed repositories) (2):"
    assert lines[3:5] == ["- list.md:3 a reason", "- list.md:12 a reason"]
    assert "Preprints published at a venue (1):" in lines
    assert not any("list.md:5" in line for line in lines)  # review-only: not committed
    assert has_commit_trailer(message)


def test_outside_text_stays_on_one_line_and_long_lists_are_cut() -> None:
    many = [_proposal("moved", n, file=f"f{n % 2}.md", reason="x\n\x1b[31mred") for n in
            range(MAX_LINES + 7)]
    message = commit_message(many)
    assert message.splitlines()[0] == f"listwatch: update {MAX_LINES + 7} places in 2 files"
    assert "\x1b" not in message and "- f1.md:1 x [31mred" in message
    assert "… and 7 more (see the pull request)" in message
