"""The JSON report written in parts is the same text as the report encoded whole."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listwatch.markdown import Document, read_list
from listwatch.model import Hop, PaperFacts, Proposal, RepoFacts, Span, Verdict
from listwatch.publish import report as rep
from listwatch.publish.files import write_atomic
from listwatch.publish.model import EntryFacts, LinkResult, Report

NOW = datetime(2026, 11, 24, tzinfo=UTC)
LIST = """# Papers

- Zürich “quotes” paper (arXiv 2401.00001) [[Paper](https://arxiv.org/abs/2401.00001)] \
[[Code](https://github.com/alice/tool)]
- Second (SOSP 2023) [[Paper](https://example.org/p?token=s3cr3t&x=1)]
"""


def _report(mode: str = "check", **kw: object) -> Report:
    reading = read_list(Document.from_text(LIST))
    verdicts = [
        Verdict(url=reading.links[0].resolved, status="ok", via="arxiv-api", checked_at=NOW),
        Verdict(url=reading.links[1].resolved, status="redirect", http_status=301,
                final_url="https://github.com/bob/tool", permanent=True,
                chain=(Hop(reading.links[1].resolved, 301, "https://github.com/bob/tool"),),
                detail="renamed\nline two \u2028 \"quoted\"", evidence=("https://api/x",)),
        Verdict(url=reading.links[2].resolved, status="broken", http_status=404,
                detail="gone: https://user:pw@example.org/a?api_key=k"),
    ]
    paper = PaperFacts(arxiv_id="2401.00001", version=2, title="Zürich paper",
                       authors=("Ä B", "C D"), published=NOW, updated=None)
    repo = RepoFacts(requested="alice/tool", exists=True, name_with_owner="bob/tool")
    return Report(mode=mode, started_at=NOW, finished_at=NOW, files=("README.md",),
                  links=tuple(LinkResult(link, v) for link, v in zip(reading.links, verdicts,
                                                                     strict=True)),
                  entries=tuple(EntryFacts(entry, repos=(repo,), paper=paper if n == 0 else None)
                                for n, entry in enumerate(reading.entries)),
                  warnings=("a warning with https://x.org/?token=abc",), **kw)  # type: ignore[arg-type]


def _whole(report: Report) -> str:
    """The report as one JSON document, encoded at once."""
    return rep._redacted_json(rep.report_json(report))


PROPOSAL = Proposal(id="moved-1", kind="moved", file="README.md", line=3, span=Span(0, 1),
                    old="a", new="b", reason="renamed", evidence=(), confidence=1.0)


@pytest.mark.parametrize("report", [
    _report(),
    _report(changed_since="main", proposals=(PROPOSAL,)),
    _report("run", proposals=(PROPOSAL,), diff="--- a\n+++ b\n"),
    Report(mode="check", started_at=NOW, finished_at=NOW, files=(), links=()),
], ids=["check", "changed", "run", "empty"])
def test_json_in_parts_is_the_whole_report(report: Report) -> None:
    parts = list(rep.render_parts(report, "json"))
    text = "".join(parts)
    assert text == _whole(report)
    assert rep.render(report, "json") == text
    assert len(json.loads(text)["links"]) == len(report.links)
    assert "s3cr3t" not in text and "pw@" not in text


def test_json_parts_come_one_link_and_entry_at_a_time() -> None:
    report = _report()
    parts = list(rep.render_parts(report, "json"))
    assert sum('"written": ' in part for part in parts) == len(report.links) == 3
    assert sum('"arxiv": ' in part for part in parts) == len(report.entries) == 2
    assert all(part.count('"written": ') <= 1 for part in parts)


def test_write_atomic_writes_parts_and_keeps_the_old_file_when_they_fail(
        tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    write_atomic(out, iter([b"one ", b"two", b"\n"]))
    assert out.read_bytes() == b"one two\n"

    def failing():  # type: ignore[no-untyped-def]
        yield b"half"
        raise RuntimeError("no more parts")

    with pytest.raises(RuntimeError):
        write_atomic(out, failing())
    assert out.read_bytes() == b"one two\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats()
            | st.text() | st.sampled_from(["https://user:pw@example.org/a?api_key=k&x=1",
                                           "see https://x.org/?token=abc.", "Zürich\n\u2028\""]))
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (st.lists(inner, max_size=4) | st.tuples(inner, inner)
                   | st.dictionaries(st.text(max_size=8), inner, max_size=4)
                   | st.dictionaries(st.integers(), inner, max_size=2)),
    max_leaves=20)


@given(value=_VALUES, depth=st.integers(min_value=0, max_value=3))
def test_indented_writes_what_json_writes(value: object, depth: int) -> None:
    """The report's own encoder writes the same text as ``json.dumps(indent=2)`` of the
    redacted value, nested ``depth`` levels deep."""
    expected = json.dumps(rep._redact_strings(value), indent=2, ensure_ascii=False)
    assert rep._indented(value, depth) == expected.replace("\n", "\n" + "  " * depth)
