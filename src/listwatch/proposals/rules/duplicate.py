"""duplicate: two entries of one file list the same paper (report only).

Same paper means the same arXiv id, or the same paper link (a ``Paper``/``arXiv``/
``PDF`` labelled link or any arXiv URL). Code and homepage links are not
compared: several papers often share one repository. Entries in different files
are not compared either: GitBook lists file one paper under several topics.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from listwatch.identifiers import arxiv_ref
from listwatch.markdown.style import HouseStyle
from listwatch.model import Entry, Proposal
from listwatch.proposals.inputs import ProposalInputs
from listwatch.proposals.rules.common import make
from listwatch.proposals.urls import comparable

PAPER_LABELS = frozenset({"paper", "arxiv", "pdf"})


def _keys(entry: Entry) -> set[str]:
    keys = {f"arXiv {entry.arxiv_id}"} if entry.arxiv_id else set()
    for item in entry.links:
        if not item.link.is_web:
            continue
        found = arxiv_ref(item.link.resolved)
        if found is not None and found.is_url:
            keys.add(f"arXiv {found.id}")
        elif item.label.strip().casefold() in PAPER_LABELS:
            keys.add(comparable(item.link.resolved.split("#", 1)[0]))
    return keys


def _evidence(key: str) -> str:
    return f"https://arxiv.org/abs/{key[6:]}" if key.startswith("arXiv ") else key


def propose(inputs: ProposalInputs, style: HouseStyle) -> Iterator[Proposal]:
    for doc in inputs.documents:
        entries = sorted(inputs.entries_of(doc.path), key=lambda e: e.span.start)
        holders: dict[str, list[int]] = defaultdict(list)
        for index, entry in enumerate(entries):
            for key in _keys(entry):
                holders[key].append(index)
        groups: dict[tuple[int, ...], list[str]] = defaultdict(list)
        for key, indexes in holders.items():
            if len(indexes) > 1:
                groups[tuple(indexes)].append(key)
        for group, keys in sorted(groups.items()):
            first, *others = (entries[i] for i in group)
            lines = ", ".join(str(e.line) for e in others)
            shown = " and ".join(sorted(keys))
            yield make(
                "duplicate", doc, None, " | ".join(sorted(keys)), "",
                reason=f"The entry at line {first.line} is listed again at line {lines} "
                       f"(same {shown}).",
                evidence=tuple(_evidence(key) for key in sorted(keys)),
                confidence=0.9, apply=False, line=others[0].line,
                anchor=first.title,
            )
