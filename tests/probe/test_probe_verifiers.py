"""Domain-aware verifiers: GitHub and arXiv facts, the DOI resolver, the repository tree."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from mockweb import World, make_config, run_probe

from listwatch.model import DoiFacts, PaperFacts, RepoFacts
from listwatch.probe.verifiers import doi, repo_tree

REPOS = {
    "alice/tool": RepoFacts(requested="alice/tool", exists=True, name_with_owner="alice/tool"),
    "bob/old": RepoFacts(requested="bob/old", exists=True, name_with_owner="carol/new"),
    "dave/gone": RepoFacts(requested="dave/gone", exists=False,
                           api_url="https://api.github.com/repos/dave/gone"),
    "erin/frozen": RepoFacts(requested="erin/frozen", exists=True,
                             name_with_owner="erin/frozen", archived=True),
}
PAPERS = {
    "2312.07104": PaperFacts("2312.07104", 2, "T", ("A",), None, None),
    "hep-th/9901001": PaperFacts("hep-th/9901001", 1, "T", ("A",), None, None),
    "2101.00001": PaperFacts("2101.00001", 1, "T", ("A",), None, None, withdrawn=True),
}


def test_github_links_from_facts(mockweb: World) -> None:
    urls = ["https://github.com/alice/tool", "https://github.com/Bob/old/tree/main/src?x=1#l",
            "https://github.com/dave/gone", "https://github.com/erin/frozen",
            "https://www.github.com/alice/tool.git", "https://github.com/alice/tool/blob/m/a.py"]
    v = run_probe(mockweb, urls, repo_facts=REPOS)
    assert v[urls[0]].status == "ok" and v[urls[0]].via == "github-api"
    moved = v[urls[1]]
    assert (moved.status, moved.permanent) == ("redirect", True)
    assert moved.final_url == "https://github.com/carol/new/tree/main/src?x=1#l"
    assert moved.detail.startswith("repository renamed to carol/new")
    gone = v[urls[2]]
    assert gone.status == "broken" and gone.evidence == ("https://api.github.com/repos/dave/gone",)
    assert "https://api.github.com/repos/dave/gone" in gone.detail
    assert v[urls[3]].status == "ok" and "archived" in v[urls[3]].detail
    assert v[urls[4]].status == "ok"
    assert "path inside it was not checked" in v[urls[5]].detail
    assert mockweb.hits == []


def test_github_evidence_is_the_facts_api_url(mockweb: World) -> None:
    ghe = "https://ghe.example.com/api/v3/repos/dave/gone"
    facts = {"dave/gone": RepoFacts(requested="dave/gone", exists=False, api_url=ghe)}
    (gone,) = run_probe(mockweb, ["https://github.com/dave/gone"], repo_facts=facts).values()
    assert gone.evidence == (ghe,) and gone.detail.endswith(f"(GitHub API: {ghe})")


def test_github_without_facts_falls_back_to_http(mockweb: World) -> None:
    mockweb.route("https://github.com/zed/unknown", 200)
    mockweb.route("https://github.com/topics/nlp", 200)
    v = run_probe(mockweb, ["https://github.com/zed/unknown", "https://github.com/topics/nlp"],
                  repo_facts=REPOS)
    assert {x.via for x in v.values()} == {"head"}
    assert len(mockweb.hits) == 2


def test_arxiv_links_from_facts(mockweb: World) -> None:
    urls = ["https://arxiv.org/abs/2312.07104", "https://arxiv.org/pdf/2312.07104v2.pdf",
            "https://arxiv.org/abs/2312.07104v5", "http://export.arxiv.org/abs/hep-th/9901001",
            "https://arxiv.org/abs/2101.00001", "https://arxiv.org/abs/2401.99999",
            "https://browse.arxiv.org/pdf/2312.07104"]
    v = run_probe(mockweb, urls, paper_facts=PAPERS, arxiv_missing=frozenset({"2401.99999"}))
    assert [v[u].status for u in urls] == ["ok", "ok", "broken", "ok", "ok", "broken", "ok"]
    assert v[urls[2]].detail == "arXiv 2312.07104 has no v5 (latest is v2)"
    assert v[urls[4]].detail == "withdrawn"
    assert v[urls[5]].detail == "arXiv has no paper 2401.99999"
    assert all(x.via == "arxiv-api" for x in v.values()) and mockweb.hits == []


def test_arxiv_without_facts_falls_back_to_http(mockweb: World) -> None:
    mockweb.route("https://arxiv.org/abs/2402.00001", 200)
    v = run_probe(mockweb, ["https://arxiv.org/abs/2402.00001"], paper_facts=PAPERS)
    assert v["https://arxiv.org/abs/2402.00001"].via == "head"


def test_doi_extraction() -> None:
    assert doi.extract("https://doi.org/10.1145/3600006.3613139") == "10.1145/3600006.3613139"
    assert doi.extract("http://dx.doi.org/10.1000%2F182") == "10.1000/182"
    assert doi.extract("https://dl.acm.org/doi/10.1145/3600006.3613139") == (
        "10.1145/3600006.3613139")
    assert doi.extract("https://dl.acm.org/doi/pdf/10.1145/3600006.3613139?x=1") == (
        "10.1145/3600006.3613139")
    assert doi.extract("https://link.springer.com/content/pdf/10.1007/s1-2.pdf") == (
        "10.1007/s1-2")
    assert doi.extract("https://dl.acm.org/conference/sosp") is None
    assert doi.extract("https://example.com/doi/10.1/x") is None
    assert doi.handle_api_url("10.1000/a b") == "https://doi.org/api/handles/10.1000/a%20b"


def _handles(request: httpx.Request) -> httpx.Response:
    handle = request.url.path.removeprefix("/api/handles/")
    if handle.startswith("10.1145/good"):
        return httpx.Response(200, json={"responseCode": 1, "handle": handle, "values": [
            {"index": 1, "type": "URL", "data": {"format": "string",
                                                  "value": "https://dl.acm.org/doi/x"}}]})
    return httpx.Response(404, json={"responseCode": 100, "handle": handle})


def test_doi_links_ask_the_resolver_not_the_publisher(mockweb: World) -> None:
    mockweb.route("https://doi.org/*", _handles)
    mockweb.route("https://dl.acm.org/*", 403)
    urls = ["https://dl.acm.org/doi/10.1145/good1", "https://doi.org/10.1145/good1",
            "https://dl.acm.org/doi/abs/10.1145/bad2"]
    v = run_probe(mockweb, urls)
    assert v[urls[0]].status == "ok" and v[urls[0]].via == "doi"
    assert v[urls[0]].detail == ("DOI 10.1145/good1 is registered; resolves to "
                                 "https://dl.acm.org/doi/x")
    assert v[urls[1]].status == "ok"
    assert v[urls[2]].status == "broken" and "not registered" in v[urls[2]].detail
    assert {h.host for h in mockweb.hits} == {"doi.org"}
    assert len(mockweb.hits) == 2  # one lookup per DOI


def test_doi_links_crossref_knows_need_no_request(mockweb: World) -> None:
    mockweb.route("https://doi.org/*", _handles)
    mockweb.route("https://dl.acm.org/*", 403)
    listed = {"10.1145/good1": DoiFacts("10.1145/good1", "https://dl.acm.org/doi/10.1145/good1")}
    urls = ["https://dl.acm.org/doi/10.1145/GOOD1", "https://doi.org/10.1145/good1",
            "https://dl.acm.org/doi/abs/10.1145/bad2", "https://doi.org/10.1145/good3"]
    v = run_probe(mockweb, urls, doi_facts=listed)
    assert [(v[u].status, v[u].via) for u in urls] == [
        ("ok", "crossref"), ("ok", "crossref"), ("broken", "doi"), ("ok", "doi")]
    assert v[urls[0]].detail == ("DOI 10.1145/GOOD1 is registered; resolves to "
                                 "https://dl.acm.org/doi/10.1145/good1")
    assert v[urls[0]].evidence == ("https://api.crossref.org/works/10.1145/GOOD1",)
    # Only what Crossref did not list goes to the handle API.
    assert sorted(h.url for h in mockweb.hits) == [
        "https://doi.org/api/handles/10.1145/bad2", "https://doi.org/api/handles/10.1145/good3"]


def test_doi_resolver_down_falls_back_to_the_page(mockweb: World, sleeps: list[float]) -> None:
    mockweb.route("https://doi.org/*", 500)
    mockweb.route("https://dl.acm.org/*", 403)
    v = run_probe(mockweb, ["https://dl.acm.org/doi/10.1145/x"],
                  config=make_config(check_retries=0))
    assert v["https://dl.acm.org/doi/10.1145/x"].status == "blocked"


TREE = frozenset({"README.md", "docs/setup.md", "images/logo.png"})
SETUP = """# Setup

## Install on `Linux` (x86_64)
text
Usage *tips*
------------
```
# not a heading
```
## Install on Linux
## Install on Linux
<a name="custom-anchor"></a>
"""


def test_relative_links_against_the_tree(mockweb: World) -> None:
    urls = ["docs/setup.md", "./images/logo.png", "docs/missing.md", "docs",
            "docs/setup.md#install-on-linux-x86_64", "docs/setup.md#usage-tips",
            "docs/setup.md#install-on-linux-1", "docs/setup.md#not-a-heading",
            "docs/setup.md#custom-anchor", "../outside.md", "images/logo.png#anything"]
    v = run_probe(mockweb, urls, repo_paths=TREE,
                  read_repo_file=lambda p: SETUP if p == "docs/setup.md" else None)
    statuses = {u: v[u].status for u in urls}
    assert statuses == {
        "docs/setup.md": "ok", "./images/logo.png": "ok", "docs/missing.md": "broken",
        "docs": "ok", "docs/setup.md#install-on-linux-x86_64": "ok",
        "docs/setup.md#usage-tips": "ok", "docs/setup.md#install-on-linux-1": "ok",
        "docs/setup.md#not-a-heading": "broken", "docs/setup.md#custom-anchor": "ok",
        "../outside.md": "broken", "images/logo.png#anything": "ok",
    }
    assert v["docs/missing.md"].detail == "no such file in the repository: docs/missing.md"
    assert v["docs/setup.md#not-a-heading"].detail == "no heading #not-a-heading in docs/setup.md"
    assert all(x.via == "repo-tree" for x in v.values()) and mockweb.hits == []


def test_relative_links_with_unknown_tree_are_skipped(mockweb: World) -> None:
    v = run_probe(mockweb, ["docs/a.md"])
    assert v["docs/a.md"].status == "skipped"


def test_slugify_like_github() -> None:
    assert repo_tree.slugify("Hello, World!") == "hello-world"
    assert repo_tree.slugify("[Link](http://x) and `code`") == "link-and-code"
    assert repo_tree.slugify("Übersicht 2024") == "übersicht-2024"
    assert repo_tree.slugify("snake_case name") == "snake_case-name"


def test_cached_ok_verdicts_are_not_requested(mockweb: World) -> None:
    from listwatch.model import Verdict

    cached = Verdict("https://a.example/x", "ok", 200, via="cache",
                     checked_at=datetime(2024, 4, 30, tzinfo=UTC))
    v = run_probe(mockweb, ["https://a.example/x"], ok_cache={"https://a.example/x": cached})
    assert v["https://a.example/x"] == cached and mockweb.hits == []
