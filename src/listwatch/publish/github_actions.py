"""GitHub Actions integration: annotations, step outputs and the job summary.

Workflow commands are lines on stdout (``::error file=…,line=…::message``); their
data escapes ``%``, CR and LF, their properties also ``:`` and ``,``. GitHub shows
only a few annotations of each kind per step, so the worst come first and the
count is capped. Step outputs are ``name=value`` lines appended to
``$GITHUB_OUTPUT``; the Markdown report is appended to ``$GITHUB_STEP_SUMMARY``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from listwatch.model import Status
from listwatch.publish.model import Report
from listwatch.redact import redact_text
from listwatch.text import one_line

Level = Literal["error", "warning", "notice"]
MAX_PER_LEVEL = 50
LEVELS: Mapping[Status, tuple[Level, str]] = {
    "broken": ("error", "broken link"),
    "failing": ("warning", "failing link"),
    "timeout": ("warning", "link timed out"),
    "error": ("warning", "link could not be checked"),
}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: Level, message: str, *, file: str, line: int, title: str) -> str:
    """One annotation workflow command."""
    props = ",".join(f"{key}={escape_property(value)}" for key, value in
                     (("file", file), ("line", str(line)), ("title", title)))
    return f"::{level} {props}::{escape_data(one_line(redact_text(message), limit=500))}"


def annotation_lines(report: Report) -> list[str]:
    """Annotations for links that need attention, worst first, and for the changes
    proposed on those lines (as notices), each kind capped at ``MAX_PER_LEVEL``."""
    found: dict[Level, list[str]] = {"error": [], "warning": [], "notice": []}
    for result in report.links:
        kind = LEVELS.get(result.verdict.status)
        if kind is None:
            continue
        level, title = kind
        verdict = result.verdict
        message = f"{verdict.url}: {verdict.detail or verdict.status}"
        found[level].append(command(level, message, file=result.link.file,
                                    line=result.link.line, title=title))
    for proposal in report.proposals:
        found["notice"].append(command(
            "notice", f"{proposal.reason} ({proposal.old!r} → {proposal.new!r})",
            file=proposal.file, line=proposal.line, title=f"listwatch: {proposal.kind}"))
    lines: list[str] = []
    for level, commands in found.items():
        lines.extend(commands[:MAX_PER_LEVEL])
        if len(commands) > MAX_PER_LEVEL:
            lines.append(f"::{level}::{len(commands) - MAX_PER_LEVEL} more not annotated; "
                         "see the job summary")
    return lines


def outputs(report: Report) -> dict[str, str]:
    """The step outputs: the first pull request published, broken URLs, proposals."""
    pull = next((item.pull_request for item in report.published
                 if item.pull_request.number is not None), None)
    broken = {r.verdict.url for r in report.links if r.verdict.status == "broken"}
    return {
        "pull-request-url": (pull.url or "") if pull else "",
        "pull-request-number": str(pull.number) if pull else "",
        "broken": str(len(broken)),
        "proposals": str(len(report.proposals)),
    }


def output_lines(values: Mapping[str, str]) -> str:
    """``name=value`` lines for ``$GITHUB_OUTPUT`` (values are single-line)."""
    return "".join(f"{name}={one_line(value, limit=2000)}\n" for name, value in values.items())
