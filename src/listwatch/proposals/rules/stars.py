"""stars: an optional star count after each code link (``[stars] mode``).

``text`` writes ``[stars] format`` (default ``★ {stars}``) with the count
rounded for display (``987``, ``1.2k``, ``12.3k``, ``1.5M``); an existing
annotation is rewritten only when that displayed value changes, so noise in the
count never opens a pull request. ``badge`` adds a shields.io badge once (it
shows a live count, so it never needs updating). ``off`` writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from listwatch.markdown.document import Document
from listwatch.markdown.style import HouseStyle
from listwatch.model import Proposal, Span
from listwatch.proposals.inputs import ProposalInputs
from listwatch.proposals.rules.common import code_links_with_facts, make

_NUMBER = r"[0-9][0-9.,]*[kKmM]?"


def display(stars: int) -> str:
    """The count as shown: ``999``, ``1249`` → ``1.2k``, ``12345`` → ``12.3k``, ``1.5M``."""
    if stars < 1000:
        return str(stars)
    if stars < 999_950:
        value, suffix = stars / 1000, "k"
    else:
        value, suffix = stars / 1_000_000, "M"
    return f"{value:.1f}".removesuffix(".0") + suffix


def annotation_pattern(fmt: str) -> re.Pattern[str]:
    """A regex matching one annotation written with ``fmt`` right after a code link."""
    head, _, tail = fmt.partition("{stars}")
    return re.compile(r"[ \t]+" + re.escape(head) + f"(?P<stars>{_NUMBER})" + re.escape(tail))


def badge(repo: str, style: HouseStyle) -> str:
    url = style.url(f"https://img.shields.io/github/stars/{repo}?style=social")
    return f"![GitHub stars]({url})"


def existing_annotation(doc: Document, end: int, fmt: str) -> re.Match[str] | None:
    """The text annotation that directly follows offset ``end``, if any."""
    return annotation_pattern(fmt).match(doc.text, end)


def propose(inputs: ProposalInputs, style: HouseStyle) -> Iterator[Proposal]:
    config = inputs.config.stars
    if config.mode == "off":
        return
    for found in code_links_with_facts(inputs):
        doc, entry, item, facts = found.document, found.entry, found.item, found.facts
        if facts.stars is None:
            continue
        name = facts.name_with_owner or found.repo_key
        evidence = (facts.api_url,)
        end = item.span.end
        if config.mode == "badge":
            if "img.shields.io/github/stars/" in doc.text[end:entry.span.end]:
                continue
            yield make(
                "stars", doc, Span(end, end), "", " " + badge(name, style),
                reason=f"Show the GitHub star count of {name} (badge).",
                evidence=evidence, confidence=1.0, line=entry.line, anchor=item.link.url,
            )
            continue
        shown = display(facts.stars)
        text = config.format.format(stars=shown)
        current = existing_annotation(doc, end, config.format)
        if current is None:
            span, old, new = Span(end, end), "", " " + text
        elif current.group("stars") == shown:
            continue
        else:
            span = Span(current.start(), current.end())
            old = current.group(0)
            new = old[: current.start("stars") - current.start()] + shown + \
                old[current.end("stars") - current.start():]
        yield make(
            "stars", doc, span, old, new,
            reason=f"{name} has {facts.stars} stars on GitHub (shown as {shown}).",
            evidence=evidence, confidence=1.0, line=entry.line, anchor=item.link.url,
        )


def displayed_counts(inputs: ProposalInputs) -> dict[str, tuple[int, str]]:
    """Every known repository's star count and its display form, for reports and PR bodies."""
    return {
        key: (facts.stars, display(facts.stars))
        for key, facts in sorted(inputs.repos.items())
        if facts.exists and facts.stars is not None
    }
