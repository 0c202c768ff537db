"""Sources at scale, end to end: the unmodified CLI against the simulated internet.

The request counts come from the fakes' own log, never from the CLI's report.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from helpers import FAST_HTTP, load, make_list

if TYPE_CHECKING:
    from world.model import World

pytestmark = pytest.mark.e2e


def test_ten_thousand_arxiv_papers_cost_at_most_ten_requests(world: World,
                                                             tmp_path: Path) -> None:
    ids = [f"2401.{n:05d}" for n in range(10_000)]
    missing = set(ids[::1000])  # ten ids arXiv does not know
    with world.batch():
        for n, ident in enumerate(ids):
            if ident not in missing:
                world.arxiv.paper(ident, title=f"Paper number {n}", authors=["Ada Lovelace"],
                                  version=1 + n % 3)
    text = "".join(f"* Paper number {n} [arXiv](https://arxiv.org/abs/{ident})\n"
                   for n, ident in enumerate(ids))
    config = make_list(tmp_path, {"README.md": text},
                       extra=FAST_HTTP + "[sources]\ndblp = false\nsemantic_scholar = false\n")
    result = world.run_cli("check", "--config", str(config), "--format", "json", timeout=600)
    report = load(result.stdout)

    api = world.requests("export.arxiv.org")
    assert 1 <= len(api) <= 10
    assert all(call.method == "POST" and call.status == 200 for call in api)
    papers = {entry["arxiv_id"]: entry["arxiv"] for entry in report["entries"]
              if entry.get("arxiv")}
    assert set(papers) == set(ids) - missing
    assert papers["2401.00001"]["title"] == "Paper number 1"
    assert papers["2401.00005"]["version"] == 3
    rows = {row["url"]: row for row in report["links"]}
    assert all(rows[f"https://arxiv.org/abs/{i}"]["status"] != "ok" for i in missing)
    assert rows["https://arxiv.org/abs/2401.00001"]["status"] == "ok"
