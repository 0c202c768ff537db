"""Reports: what `links`, `check` and `run` print, as text, JSON or Markdown."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from json.encoder import encode_basestring
from typing import Any, Literal

from listwatch.markdown import Document
from listwatch.markdown.escape import code_cell, escape_inline
from listwatch.model import (
    SEVERITY,
    Entry,
    Link,
    PaperFacts,
    Proposal,
    Publication,
    RepoFacts,
    Verdict,
)
from listwatch.proposals.rules.moved import why_no_edit
from listwatch.publish.model import EntryFacts, LinkResult, Outcome, Published, Report
from listwatch.redact import redact_text
from listwatch.text import one_line, terminal_safe

Parsed = tuple[Document, Sequence[Link], Sequence[Entry]]


def _link_json(link: Link) -> dict[str, Any]:
    return {
        "file": link.file,
        "line": link.line,
        "column": link.column,
        "url": link.url,
        "resolved": link.resolved,
        "label": link.label,
        "kind": link.kind,
    }


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "file": entry.file,
        "line": entry.line,
        "title": entry.title,
        "venue": entry.venue,
        "venue_link": entry.venue_link,
        "arxiv_id": entry.arxiv_id,
        "repos": list(entry.repos),
        "links": [
            {"label": item.label, "url": item.link.url, "resolved": item.link.resolved}
            for item in entry.links
        ],
    }


def render_links(parsed: Sequence[Parsed], fmt: str) -> str:
    """The `listwatch links` output."""
    if fmt == "json":
        payload = {
            "links": [_link_json(link) for _, links, _ in parsed for link in links],
            "entries": [_entry_json(entry) for _, _, entries in parsed for entry in entries],
        }
        return _redacted_json(payload)
    lines: list[str] = []
    for document, links, entries in parsed:
        lines.append(f"{document.path}: {len(links)} links, {len(entries)} entries")
        for link in links:
            shown = link.url if link.url == link.resolved else f"{link.url} -> {link.resolved}"
            label = f"  [{link.label}]" if link.label else ""
            lines.append(terminal_safe(f"  {link.line}:{link.column}  {shown}{label}"))
        for entry in entries:
            venue = f" ({entry.venue})" if entry.venue else ""
            labels = " ".join(f"[{item.label}]" for item in entry.links)
            text = f"  entry {entry.line}: {entry.title}{venue} {labels}".rstrip()
            lines.append(terminal_safe(text))
    total_links = sum(len(links) for _, links, _ in parsed)
    total_entries = sum(len(entries) for _, _, entries in parsed)
    lines.append(f"{len(parsed)} files, {total_links} links, {total_entries} entries")
    return redact_text("\n".join(lines)) + "\n"


def _redacted_json(payload: Any) -> str:
    """``payload`` as indented JSON with every URL in every string redacted."""
    return json.dumps(_redact_strings(payload), indent=2, ensure_ascii=False) + "\n"


def _redact_strings(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {key: _redact_strings(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_strings(item) for item in value]
    return value


SCHEMA = "listwatch-report/1"


Verbosity = Literal["quiet", "normal", "verbose"]


def render(report: Report, fmt: str, *, color: bool = False,
           verbosity: Verbosity = "normal") -> str:
    """The `check` / `run` report in ``text``, ``json`` or ``markdown`` (``verbosity``
    shapes the text report only)."""
    return "".join(render_parts(report, fmt, color=color, verbosity=verbosity))


def render_parts(report: Report, fmt: str, *, color: bool = False,
                 verbosity: Verbosity = "normal") -> Iterator[str]:
    """``render`` in consecutive parts: the JSON report one link or entry at a time, so
    a large report is written without being held whole in memory."""
    if fmt == "json":
        yield from _json_parts(_report_fields(report), streamed=STREAMED)
    elif fmt == "markdown":
        yield render_markdown(report)
    else:
        yield render_text(report, color=color, verbosity=verbosity)


# The report's lists with one item per link or entry: encoded one item at a time.
STREAMED = frozenset({"links", "entries"})


def _json_parts(payload: dict[str, Any], *, streamed: frozenset[str]) -> Iterator[str]:
    """``_redacted_json(payload)`` in parts, the same text: the values of ``streamed``
    keys are iterables encoded (and redacted) one item at a time."""
    for number, (key, value) in enumerate(payload.items()):
        yield ("{\n  " if number == 0 else ",\n  ") + json.dumps(key) + ": "
        if key not in streamed:
            yield _indented(value, 1)
            continue
        empty = True
        for item in value:
            yield ("[\n    " if empty else ",\n    ") + _indented(item, 2)
            empty = False
        yield "[]" if empty else "\n  ]"
    yield "\n}\n" if payload else "{}\n"


def _indented(value: Any, depth: int) -> str:
    """``value`` redacted, as ``json.dumps(indent=2, ensure_ascii=False)`` writes it
    ``depth`` levels deep, the same text.

    The standard encoder writes indented JSON in pure Python, one generator per level;
    this walk of the plain values a report is made of (dicts with string keys, lists,
    strings, numbers, booleans, None) is a few times faster, which a report with one
    item per link feels at the end of every run. Any other value goes to ``json``.
    """
    kind = type(value)
    if kind is str:
        return encode_basestring(redact_text(value))
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is dict and all(type(key) is str for key in value):
        if not value:
            return "{}"
        inner = "\n" + "  " * (depth + 1)
        return ("{" + inner + ("," + inner).join(
            encode_basestring(key) + ": " + _indented(item, depth + 1)
            for key, item in value.items()) + "\n" + "  " * depth + "}")
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = "\n" + "  " * (depth + 1)
        return ("[" + inner + ("," + inner).join(_indented(item, depth + 1) for item in value)
                + "\n" + "  " * depth + "]")
    # JSON text has no raw newline inside a string: each newline starts a line.
    text = json.dumps(_redact_strings(value), indent=2, ensure_ascii=False)
    return text.replace("\n", "\n" + "  " * depth)


def _verdict_json(result: LinkResult) -> dict[str, Any]:
    verdict = result.verdict
    return {
        "file": result.link.file,
        "line": result.link.line,
        "column": result.link.column,
        "url": result.link.resolved,
        "written": result.link.url,
        "status": verdict.status,
        "http_status": verdict.http_status,
        "final_url": verdict.final_url,
        "permanent": verdict.permanent,
        "via": verdict.via,
        "detail": verdict.detail,
        "no_edit": _no_edit(result),
        "redirects": [{"url": hop.url, "status": hop.http_status} for hop in verdict.chain],
        "evidence": list(verdict.evidence),
        "checked_at": verdict.checked_at.isoformat() if verdict.checked_at else None,
    }


def _repo_json(facts: RepoFacts) -> dict[str, Any]:
    return {
        "requested": facts.requested,
        "exists": facts.exists,
        "name_with_owner": facts.name_with_owner,
        "renamed": facts.renamed,
        "stars": facts.stars,
        "archived": facts.archived,
        "disabled": facts.disabled,
        "fork": facts.fork,
        "default_branch": facts.default_branch,
        "pushed_at": facts.pushed_at.isoformat() if facts.pushed_at else None,
        "description": facts.description,
        "homepage": facts.homepage,
        "url": facts.url,
    }


def _paper_json(paper: PaperFacts) -> dict[str, Any]:
    return {
        "id": paper.arxiv_id,
        "version": paper.version,
        "title": paper.title,
        "authors": list(paper.authors),
        "published": paper.published.isoformat() if paper.published else None,
        "updated": paper.updated.isoformat() if paper.updated else None,
        "journal_ref": paper.journal_ref,
        "doi": paper.doi,
        "comment": paper.comment,
        "withdrawn": paper.withdrawn,
        "url": paper.url,
    }


def _publication_json(publication: Publication) -> dict[str, Any]:
    return {
        "venue": publication.venue,
        "year": publication.year,
        "url": publication.url,
        "title": publication.title,
        "sources": list(publication.sources),
        "evidence": list(publication.evidence),
        "confidence": round(publication.confidence, 3),
    }


def _facts_json(item: EntryFacts) -> dict[str, Any]:
    entry = item.entry
    return {
        "file": entry.file,
        "line": entry.line,
        "title": entry.title,
        "venue": entry.venue,
        "arxiv_id": entry.arxiv_id,
        "repos": [_repo_json(repo) for repo in item.repos],
        "arxiv": _paper_json(item.paper) if item.paper else None,
        "publication": _publication_json(item.publication) if item.publication else None,
    }


def _proposal_json(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.id,
        "kind": proposal.kind,
        "file": proposal.file,
        "line": proposal.line,
        "old": proposal.old,
        "new": proposal.new,
        "reason": proposal.reason,
        "evidence": list(proposal.evidence),
        "confidence": round(proposal.confidence, 3),
        "apply": proposal.apply,
    }


def summary_json(report: Report) -> dict[str, Any]:
    counts = report.status_counts
    return {
        "files": len(report.files),
        "links": len(report.links),
        "urls": sum(counts.values()),
        "statuses": {status: counts.get(status, 0) for status in SEVERITY},
        "entries": len(report.entries),
        "proposals": len(report.proposals),
        "warnings": len(report.warnings),
        "requests": dict(report.requests),
        "duration_seconds": round((report.finished_at - report.started_at).total_seconds(), 3),
    }


def report_json(report: Report) -> dict[str, Any]:
    payload = _report_fields(report)
    for key in STREAMED:
        payload[key] = list(payload[key])
    return payload


def _report_fields(report: Report) -> dict[str, Any]:
    """The JSON report, its ``STREAMED`` lists as iterators (made as they are read)."""
    payload: dict[str, Any] = {
        "schema": SCHEMA,
        "mode": report.mode,
        "started_at": report.started_at.isoformat(),
        "files": list(report.files),
        "links": (_verdict_json(result) for result in report.links),
        "entries": (_facts_json(item) for item in report.entries),
        "warnings": list(report.warnings),
        "summary": summary_json(report),
    }
    if report.changed_since is not None:
        payload["changed_since"] = report.changed_since
        payload["proposals"] = [_proposal_json(p) for p in report.proposals]
    if report.mode == "run":
        payload["proposals"] = [_proposal_json(p) for p in report.proposals]
        payload["diff"] = report.diff
        if report.pull_request:
            payload["pull_request"] = {
                "title": report.pull_request.title,
                "body": report.pull_request.body,
                "branch": report.pull_request.branch,
                "base": report.pull_request.base,
                "labels": list(report.pull_request.labels),
                "url": report.pull_request.url,
                "action": report.pull_request.action,
            }
        payload["published"] = [_published_json(item) for item in report.published]
    return payload


def _outcome_json(outcome: Outcome) -> dict[str, Any] | None:
    if outcome.action == "none":
        return None
    return {"number": outcome.number, "url": outcome.url, "action": outcome.action}


def _published_json(item: Published) -> dict[str, Any]:
    return {
        "target": item.target,
        "repository": item.repository,
        "branch": item.branch,
        "push": item.push,
        "commit": item.commit,
        "pushed": item.pushed,
        "dry_run": item.dry_run,
        "pull_request": _outcome_json(item.pull_request),
        "dashboard": _outcome_json(item.dashboard),
        "notes": list(item.notes),
    }


def _published_text(item: Published) -> list[str]:
    """What publishing did for one target, a line each (in a dry run: would do)."""
    where = item.target if item.push == "target" else f"a fork of {item.target} ({item.repository})"
    if item.dry_run:
        verb = "would push" if item.pushed else "nothing to push; would push"
        lines = [f"{item.target}: {verb} to {where}, branch {item.branch}"]
    elif item.pushed:
        lines = [f"{item.target}: pushed to {where}, branch {item.branch}"
                 + (f" at {item.commit[:12]}" if item.commit else "")]
    else:
        state = f"at {item.commit[:12]}" if item.commit else "absent"
        lines = [f"{item.target}: nothing pushed to {where}; branch {item.branch} {state}"]
    for name, outcome in (("pull request", item.pull_request), ("dashboard", item.dashboard)):
        if outcome.action == "none":
            continue
        action = f"would be {outcome.action}" if item.dry_run else outcome.action
        ref = f" #{outcome.number}" if outcome.number else ""
        url = f" {outcome.url}" if outcome.url else ""
        lines.append(f"  {name}{ref}: {action}{url}")
    lines.extend(f"  note: {note}" for note in item.notes)
    return lines


def _problem_rows(report: Report) -> list[LinkResult]:
    rank = {status: index for index, status in enumerate(SEVERITY)}
    rows = [r for r in report.links if r.verdict.status not in ("ok", "skipped")]
    return sorted(rows, key=lambda r: (rank[r.verdict.status], r.link.file, r.link.line))


def _no_edit(result: LinkResult) -> str | None:
    """Why a link that moved permanently gets no applied edit (None: it gets one)."""
    verdict = result.verdict
    if verdict.status != "redirect" or not verdict.permanent:
        return None
    return why_no_edit(result.link.resolved, verdict)


def _detail(result: LinkResult) -> str:
    """The verdict's detail, and for a moved link without an edit, why."""
    detail, why = result.verdict.detail, _no_edit(result)
    if not why:
        return detail
    return f"{detail}; no edit: {why}" if detail else f"no edit: {why}"


def _status_label(verdict: Verdict) -> str:
    if verdict.status == "redirect":
        return "moved" if verdict.permanent else "redirect"
    return verdict.status


def render_text(report: Report, *, color: bool = False,
                verbosity: Verbosity = "normal") -> str:
    """Plain lines (CI logs) or a coloured table (terminal).

    ``quiet``: the links that need attention, what was published, one line of totals.
    ``verbose``: also every other link with its verdict and how it was verified, and
    the requests sent per service.
    """
    if verbosity == "quiet":
        return _quiet_text(report, color=color)
    lines: list[str] = []
    rows = _problem_rows(report)
    if verbosity == "verbose":
        rows = rows + [r for r in report.links if r not in rows]
    lines.extend(_problem_line(result) for result in rows)
    for warning in report.warnings:
        lines.append(f" warning  {one_line(warning, 300)}")
    if report.mode == "run":
        lines.extend(_run_text(report))
    elif report.proposals:
        lines.extend(["", f"{len(report.proposals)} suggestions for the changed lines"])
        lines.extend(f"  [{p.kind}] {p.file}:{p.line}  {one_line(p.reason, 200)}"
                     for p in report.proposals)
    lines.extend(_summary_table(report))
    if verbosity == "verbose" and report.requests:
        sent = ", ".join(f"{service} {count}" for service, count in report.requests)
        lines.append(f"requests: {sent}")
    return _finish(lines, color)


def _quiet_text(report: Report, *, color: bool) -> str:
    lines = [_problem_line(result) for result in _problem_rows(report)]
    for item in report.published:
        lines.extend(_published_text(item))
    lines.append(_summary_table(report)[-1])
    return _finish(lines, color)


def _finish(lines: list[str], color: bool) -> str:
    text = terminal_safe(redact_text("\n".join(lines))) + "\n"
    return _colorize(text) if color else text


def _problem_line(result: LinkResult) -> str:
    verdict = result.verdict
    where = f"{result.link.file}:{result.link.line}"
    target = f" -> {verdict.final_url}" if verdict.final_url else ""
    text = _detail(result)
    detail = f" ({one_line(text, 300)})" if text else ""
    return f"{_status_label(verdict):>8}  {where}  {result.link.resolved}{target}{detail}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _summary_table(report: Report) -> list[str]:
    """A small aligned table of URLs per status, then one line of totals."""
    counts = report.status_counts
    rows = [(status, counts[status]) for status in SEVERITY if counts.get(status)]
    lines = ["", f"{'status':<10}{'URLs':>6}"] if rows else [""]
    lines.extend(f"{status:<10}{count:>6}" for status, count in rows)
    seconds = (report.finished_at - report.started_at).total_seconds()
    lines.append(
        f"checked {_plural(sum(counts.values()), 'URL')} "
        f"({_plural(len(report.links), 'link')} in {_plural(len(report.files), 'file')}) "
        f"in {seconds:.1f} s"
    )
    return lines


def _run_text(report: Report) -> list[str]:
    lines = ["", f"{len(report.proposals)} proposed changes"]
    for proposal in report.proposals:
        mark = "" if proposal.apply else "  (for review, not applied)"
        lines.append(f"  [{proposal.kind}] {proposal.file}:{proposal.line}  "
                     f"{one_line(proposal.reason, 200)}{mark}")
    if report.diff:
        lines.extend(["", report.diff.rstrip("\n")])
    dry = not report.published or any(item.dry_run for item in report.published)
    if report.pull_request and dry:
        pr = report.pull_request
        lines.extend(["", f"--- pull request (dry run: not opened): {pr.title}",
                      pr.body.rstrip("\n")])
    if report.published:
        lines.append("")
        for item in report.published:
            lines.extend(_published_text(item))
    return lines


def _colorize(text: str) -> str:
    styles = {"broken": "31", "failing": "33", "blocked": "35", "timeout": "33", "error": "31",
              "moved": "36", "redirect": "36", "warning": "33"}
    out = []
    for line in text.splitlines(keepends=True):
        word = line.strip().split(" ", 1)[0] if line.strip() else ""
        code = styles.get(word)
        out.append(f"\x1b[{code}m{line.rstrip(chr(10))}\x1b[0m\n" if code else line)
    return "".join(out)


def render_markdown(report: Report) -> str:
    """A report fit for a GitHub issue or ``$GITHUB_STEP_SUMMARY``."""
    counts = report.status_counts
    lines = ["## listwatch report", ""]
    lines.append("| status | URLs |")
    lines.append("| --- | ---: |")
    for status in SEVERITY:
        if counts.get(status):
            lines.append(f"| {status} | {counts[status]} |")
    lines.append("")
    problems = _problem_rows(report)
    if problems:
        lines.extend(["### Links that need attention", "",
                      "| status | where | link | detail |", "| --- | --- | --- | --- |"])
        for result in problems:
            verdict = result.verdict
            detail = _detail(result)
            if verdict.final_url:
                detail = f"{detail} → {verdict.final_url}".strip(" →") if detail else \
                    f"→ {verdict.final_url}"
            lines.append(
                f"| {_status_label(verdict)} | `{result.link.file}:{result.link.line}` | "
                f"{code_cell(result.link.resolved)} | {_cell(detail)} |"
            )
        lines.append("")
    if report.mode == "run" and report.proposals:
        lines.extend(["### Proposed changes", "", "| kind | where | change | reason |",
                      "| --- | --- | --- | --- |"])
        for proposal in report.proposals:
            change = f"{code_cell(proposal.old)} → {code_cell(proposal.new)}" \
                if proposal.new != proposal.old else ""
            lines.append(f"| {proposal.kind} | `{proposal.file}:{proposal.line}` | "
                         f"{change} | {_cell(proposal.reason)} |")
        lines.append("")
    if report.warnings:
        lines.extend(["### Warnings", ""])
        lines.extend(f"- {escape_inline(w)}" for w in report.warnings)
        lines.append("")
    lines.append(f"_{len(report.links)} links in {len(report.files)} files, "
                 f"{sum(counts.values())} distinct URLs._")
    return redact_text("\n".join(lines)) + "\n"


def _cell(text: str) -> str:
    """A table cell: escaped so outside text (including ``|``) cannot break the table."""
    return escape_inline(text)
