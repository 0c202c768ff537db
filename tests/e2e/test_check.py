"""`listwatch check` end to end: the real CLI against the simulated internet."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import FAST_HTTP, by_url, load, make_list

pytestmark = pytest.mark.e2e

LIST = """# Papers

* Alive (SOSP 2023) \\[[Paper](https://papers.example/alive)]
* Gone (OSDI 2022) \\[[Paper](https://papers.example/gone)] \\[[Code](https://github.com/lab/deleted)]
* Removed page \\[[Paper](https://papers.example/removed)]
* Moved for good \\[[Paper](https://papers.example/old)]
* Moved for now \\[[Paper](https://papers.example/temp)]
* Publisher (ASPLOS 2024) \\[[Paper](https://dl.acm.org/doi/10.1145/3620666.3651335)]
* Busy once \\[[Paper](https://flaky.example/busy)]
* Renamed (arXiv 2312.07104) \\[[arXiv](https://arxiv.org/abs/2312.07104)] \\[[Code](https://github.com/old/tool)]
* No such host \\[[Paper](https://nowhere.example/x)]
* Notes \\[[Notes](notes/missing.md)] \\[[Here](README.md)]
"""


def scenario(world) -> None:
    with world.batch():
        host = world.host("papers.example")
        host.route("/alive", status=200)
        host.route("/gone", status=404)
        host.route("/removed", status=410)
        host.route("/old", redirect="https://papers.example/new", status=301)
        host.route("/new", status=200)
        host.route("/temp", redirect="/alive", status=302)
        world.host("flaky.example").route("/busy", fail_first=1, fail_status=503, retry_after=1)
        world.host("dl.acm.org", challenge="non-browser")
        world.doi.register("10.1145/3620666.3651335",
                           "https://dl.acm.org/doi/10.1145/3620666.3651335")
        world.github.repo("lab/deleted", deleted=True)
        world.github.repo("old/tool", renamed_to="new/tool", stars=321)
        world.arxiv.paper("2312.07104", title="Efficiently Programming Large Language Models "
                          "using SGLang", authors=["Lianmin Zheng"])
        world.unresolvable("nowhere.example")


def test_check_reports_each_kind_of_link_truthfully(world, tmp_path: Path) -> None:
    scenario(world)
    config = make_list(tmp_path, {"README.md": LIST},
                       extra=FAST_HTTP + "fail_runs = 1\nfail_hours = 0\n")
    result = world.run_cli("check", "--config", str(config), "--format", "json")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    report = load(result.stdout)
    assert report["schema"] == "listwatch-report/1"
    rows = by_url(report)
    status = {url: row["status"] for url, row in rows.items()}
    assert status == {
        "https://papers.example/alive": "ok",
        "https://papers.example/gone": "broken",
        "https://github.com/lab/deleted": "broken",
        "https://papers.example/removed": "broken",
        "https://papers.example/old": "redirect",
        "https://papers.example/temp": "redirect",
        "https://dl.acm.org/doi/10.1145/3620666.3651335": "ok",
        "https://flaky.example/busy": "ok",
        "https://arxiv.org/abs/2312.07104": "ok",
        "https://github.com/old/tool": "redirect",
        "https://nowhere.example/x": "broken",
        "notes/missing.md": "broken",
        "README.md": "ok",
    }
    moved = rows["https://papers.example/old"]
    assert (moved["final_url"], moved["permanent"], moved["http_status"]) == (
        "https://papers.example/new", True, 200)
    assert moved["redirects"] == [{"url": "https://papers.example/old", "status": 301}]
    temporary = rows["https://papers.example/temp"]
    assert (temporary["final_url"], temporary["permanent"]) == ("https://papers.example/alive",
                                                                False)
    renamed = rows["https://github.com/old/tool"]
    assert (renamed["final_url"], renamed["permanent"], renamed["via"]) == (
        "https://github.com/new/tool", True, "github-api")
    assert rows["https://dl.acm.org/doi/10.1145/3620666.3651335"]["via"] == "crossref"
    assert rows["https://arxiv.org/abs/2312.07104"]["via"] == "arxiv-api"
    assert rows["https://papers.example/gone"]["http_status"] == 404
    # Rows carry the source position, relative to the repository root.
    assert rows["https://papers.example/gone"]["file"] == "README.md"
    assert rows["https://papers.example/gone"]["line"] == 4
    assert report["summary"]["statuses"]["broken"] == 5
    # The publisher's bot wall was never scraped: Crossref answered.
    assert not world.requests("dl.acm.org")


def test_first_failure_is_failing_not_broken(world, tmp_path: Path) -> None:
    world.host("papers.example").route("/gone", status=404)
    config = make_list(tmp_path, {"README.md": "* X \\[[Paper](https://papers.example/gone)]\n"})
    first = world.run_cli("check", "--config", str(config), "--format", "json")
    assert first.returncode == 0, first.stderr
    row = load(first.stdout)["links"][0]
    assert row["status"] == "failing"
    assert row["detail"].startswith("failing (1/2")
    # A second run is not enough either until the 24 h window has passed.
    second = world.run_cli("check", "--config", str(config), "--format", "json")
    assert load(second.stdout)["links"][0]["status"] == "failing"


def test_ok_results_are_cached_between_runs(world, tmp_path: Path) -> None:
    world.host("papers.example").route("/alive", status=200)
    config = make_list(tmp_path, {"README.md": "* X \\[[Paper](https://papers.example/alive)]\n"})
    assert world.run_cli("check", "--config", str(config)).returncode == 0
    hits = len(world.requests("papers.example"))
    again = world.run_cli("check", "--config", str(config), "--format", "json")
    assert load(again.stdout)["links"][0]["via"] == "cache"
    assert len(world.requests("papers.example")) == hits
    fresh = world.run_cli("check", "--config", str(config), "--no-cache", "--format", "json")
    assert load(fresh.stdout)["links"][0]["via"] != "cache"
    assert len(world.requests("papers.example")) > hits


def test_politeness_per_host(world, tmp_path: Path) -> None:
    host = world.host("slow.example")
    host.default(status=200, delay_ms=150)
    lines = "".join(f"* P{i} \\[[Paper](https://slow.example/p{i})]\n" for i in range(12))
    config = make_list(tmp_path, {"README.md": lines})
    result = world.run_cli("check", "--config", str(config), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert {row["status"] for row in load(result.stdout)["links"]} == {"ok"}
    records = world.requests("slow.example")
    assert len(records) >= 12
    assert 1 <= world.peak_concurrency("slow.example") <= 2  # host_concurrency in FAST_HTTP
    # host_interval 0.05 s: arrivals at the proxy jitter by connection set-up, so judge
    # the spacing over the whole run rather than gap by gap.
    starts = sorted(record.start for record in records)
    assert starts[-1] - starts[0] >= (len(starts) - 1) * 0.05 * 0.9



def test_a_host_that_answers_429_is_asked_more_slowly(world, tmp_path: Path) -> None:
    host = world.host("busy.example")
    host.default(status=200)
    host.route("/p0", status=200, fail_first=1, fail_status=429)  # no Retry-After: only
    # the status says "slow down"
    lines = "".join(f"* P{i} \\[[Paper](https://busy.example/p{i})]\n" for i in range(8))
    config = make_list(tmp_path, {"README.md": lines})
    result = world.run_cli("check", "--config", str(config), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert {row["status"] for row in load(result.stdout)["links"]} == {"ok"}
    records = sorted(world.requests("busy.example"), key=lambda record: record.start)
    (told,) = [record for record in records if record.status == 429]
    after = [record.start for record in records if record.start > told.end]
    assert len(after) >= 2
    # host_interval is 0.05 s; after the 429 the host's requests start >= 0.5 s apart
    # (judged over the whole stretch: arrivals at the proxy jitter by connection set-up).
    assert after[-1] - after[0] >= (len(after) - 1) * 0.5 * 0.9


def test_markdown_and_text_reports(world, tmp_path: Path) -> None:
    world.host("papers.example").route("/gone", status=404).route("/old", status=301,
                                                                   redirect="/new")
    world.host("papers.example").route("/new", status=200)
    config = make_list(tmp_path, {"README.md": "* X \\[[P](https://papers.example/gone)]\n"
                                               "* Y \\[[P](https://papers.example/old)]\n"})
    markdown = world.run_cli("check", "--config", str(config), "--format", "markdown")
    assert markdown.stdout.startswith("## listwatch report")
    assert "| failing | `README.md:1` | `https://papers.example/gone` |" in markdown.stdout
    assert "| moved | `README.md:2` |" in markdown.stdout
    text = world.run_cli("check", "--config", str(config))
    assert "failing  README.md:1  https://papers.example/gone" in text.stdout
    assert "moved  README.md:2  https://papers.example/old -> https://papers.example/new" \
        in text.stdout
    assert "\x1b[" not in text.stdout  # no colour when not a terminal
    output = tmp_path / "report.json"
    written = world.run_cli("check", "--config", str(config), "--format", "json",
                            "--output", str(output))
    assert written.stdout == ""
    assert load(output.read_text())["summary"]["links"] == 2


def test_check_paths_without_config(world, tmp_path: Path) -> None:
    world.host("papers.example").route("/alive", status=200)
    (tmp_path / "list.md").write_text("* X \\[[P](https://papers.example/alive)]\n")
    result = world.run_cli("check", "list.md", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert load(result.stdout)["links"][0]["status"] == "ok"
    assert (tmp_path / ".listwatch" / "state.db").exists()
