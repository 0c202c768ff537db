"""Workflow commands: escaping, order and caps; step outputs."""

from __future__ import annotations

from datetime import UTC, datetime

from listwatch.model import Link, Proposal, Span, Verdict
from listwatch.publish import github_actions as gha
from listwatch.publish.model import LinkResult, Outcome, Published, Report

NOW = datetime(2026, 11, 24, tzinfo=UTC)


def _result(url: str, status: str, line: int = 1, detail: str = "") -> LinkResult:
    link = Link(file="a,b:c.md", line=line, column=1, span=Span(0, 1), url=url, resolved=url,
                label="", kind="inline")
    return LinkResult(link, Verdict(url=url, status=status, detail=detail))


def _report(links: list[LinkResult], **kw) -> Report:
    return Report(mode="check", started_at=NOW, finished_at=NOW, files=("a,b:c.md",),
                  links=tuple(links), **kw)


def test_properties_and_data_are_escaped() -> None:
    [line] = gha.annotation_lines(_report([_result("https://x/%41", "broken",
                                                   detail="gone\n::set-env name=X::1")]))
    assert line == ("::error file=a%2Cb%3Ac.md,line=1,title=broken link::https://x/%2541: "
                    "gone ::set-env name=X::1")
    assert "\n" not in line


def test_errors_first_then_warnings_then_notices_each_capped() -> None:
    links = [_result(f"https://h/{n}", "failing", n) for n in range(gha.MAX_PER_LEVEL + 2)]
    links.append(_result("https://h/dead", "broken"))
    links.append(_result("https://h/ok", "ok"))
    proposal = Proposal(id="moved-1", kind="moved", file="l.md", line=4, span=Span(0, 1),
                        old="a", new="b", reason="renamed", evidence=(), confidence=1.0)
    lines = gha.annotation_lines(_report(links, proposals=(proposal,)))
    assert lines[0].startswith("::error ")
    assert [line.split(" ", 1)[0] for line in lines[1:]].count("::warning") == gha.MAX_PER_LEVEL
    assert "::warning::2 more not annotated; see the job summary" in lines
    assert lines[-1] == ("::notice file=l.md,line=4,title=listwatch%3A moved::"
                         "renamed ('a' → 'b')")
    assert not any("/ok" in line for line in lines)


def test_outputs_name_the_first_published_pull_request() -> None:
    published = Published(target="o/l", repository="o/l", branch="b", push="target", commit="c",
                          pull_request=Outcome("created", 7, "https://github.com/o/l/pull/7"),
                          dashboard=Outcome("none"))
    report = _report([_result("https://h/a", "broken"), _result("https://h/a", "broken", 2)],
                     published=(published,))
    assert gha.outputs(report) == {"pull-request-url": "https://github.com/o/l/pull/7",
                                   "pull-request-number": "7", "broken": "1", "proposals": "0"}
    assert gha.output_lines({"a": "x\ny"}) == "a=x y\n"
