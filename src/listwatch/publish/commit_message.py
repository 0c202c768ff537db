"""The message of the commit listwatch pushes: what changed, by kind, and its trailer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from listwatch.markdown.escape import no_mentions
from listwatch.model import Proposal
from listwatch.publish.markers import COMMIT_TRAILER
from listwatch.publish.pull_request import KIND_HEADINGS
from listwatch.redact import redact_text
from listwatch.text import one_line

SUBJECT_LIMIT = 72
MAX_LINES = 50


def commit_message(proposals: Sequence[Proposal]) -> str:
    """Subject, a list of the applied changes grouped by kind, and the trailer."""
    applied = [p for p in proposals if p.edit is not None]
    files = sorted({p.file for p in applied})
    places = f"{len(applied)} place{'' if len(applied) == 1 else 's'}"
    where = files[0] if len(files) == 1 else f"{len(files)} files"
    subject = one_line(f"listwatch: update {places} in {where}", limit=SUBJECT_LIMIT)
    kinds = Counter(p.kind for p in applied)
    lines = [subject, ""]
    shown = 0
    for kind, heading in KIND_HEADINGS.items():
        if not kinds[kind]:
            continue
        lines.append(f"{heading} ({kinds[kind]}):")
        for proposal in (p for p in applied if p.kind == kind):
            if shown == MAX_LINES:
                break
            lines.append(no_mentions(one_line(redact_text(
                f"- {proposal.file}:{proposal.line} {proposal.reason}"), limit=120)))
            shown += 1
        lines.append("")
    if shown < len(applied):
        lines.extend([f"… and {len(applied) - shown} more (see the pull request)", ""])
    lines.append(COMMIT_TRAILER)
    return "\n".join(lines) + "\n"
