"""Which repository / arXiv paper a URL, tag or id names: one table per question.

Rows marked "was:" are cases where the former implementations (markdown/entries,
probe/verifiers, proposals/urls, sources/arxiv) disagreed.
"""

from __future__ import annotations

import pytest

from listwatch.identifiers import (
    RESERVED,
    ArxivRef,
    RepoLink,
    arxiv_id,
    arxiv_ref,
    github_repo,
    is_full_name,
)
from listwatch.markdown.entries import arxiv_id_of, is_venue, repo_of
from listwatch.sources.arxiv import bare_id

GITHUB = [
    # plain repository links
    ("https://github.com/o/r", RepoLink("o", "r")),
    ("http://github.com/o/r", RepoLink("o", "r")),
    ("https://www.github.com/o/r", RepoLink("o", "r")),
    ("https://GitHub.com/o/r", RepoLink("o", "r")),  # was: entries needed lowercase host
    ("https://github.com/Octo-Cat/Hello.World", RepoLink("Octo-Cat", "Hello.World")),
    ("https://github.com/o/.github", RepoLink("o", ".github")),
    ("https://github.com/o/r_x-1", RepoLink("o", "r_x-1")),
    # .git, trailing slash, deep links, query, fragment
    ("https://github.com/o/r.git", RepoLink("o", "r")),
    ("https://github.com/o/r.git/", RepoLink("o", "r", "/")),
    ("https://github.com/o/r/", RepoLink("o", "r", "/")),
    ("https://github.com/o/r/tree/main/src/", RepoLink("o", "r", "/tree/main/src/")),
    ("https://github.com/o/r/blob/m/a.py#L3", RepoLink("o", "r", "/blob/m/a.py", "", "L3")),
    ("https://github.com/o/r?tab=readme", RepoLink("o", "r", "", "tab=readme")),
    ("https://github.com/o/r#readme", RepoLink("o", "r", "", "", "readme")),
    # percent-encoding in owner and name is undone; the rest is kept as written
    ("https://github.com/o/my%2Drepo/a%20b", RepoLink("o", "my-repo", "/a%20b")),
    # GitHub's own pages (was: entries and proposals took gist/, issues/, pulls/… as owners)
    ("https://github.com/orgs/acme/repositories", None),
    ("https://github.com/Orgs/acme/people", None),
    ("https://github.com/gist/abc123", None),
    ("https://github.com/topics/nlp", None),
    ("https://github.com/users/alice/projects", None),
    ("https://github.com/sponsors/alice", None),
    ("https://github.com/marketplace/actions", None),
    ("https://github.com/settings/profile", None),
    ("https://github.com/issues/assigned", None),
    ("https://github.com/pulls/review-requested", None),
    ("https://github.com/notifications/beta", None),
    ("https://github.com/search/advanced", None),
    ("https://github.com/organizations/acme/settings", None),
    ("https://github.com/trending/python", None),
    ("https://github.com/collections/machine-learning", None),
    ("https://github.com/features/actions", None),
    ("https://github.com/site/terms", None),
    ("https://github.com/login/oauth", None),
    ("https://github.com/apps/dependabot", None),
    ("https://github.com/stars/alice/lists", None),
    # not a repository at all
    ("https://github.com/", None),
    ("https://github.com/alice", None),
    ("https://github.com/alice/", None),
    ("https://github.com//r", None),
    ("https://github.com/o/.", None),
    ("https://github.com/o/..", None),
    ("https://github.com/o/.git", None),
    ("https://github.com/-o/r", None),  # was: accepted by verifiers and proposals
    ("https://github.com/o_x/r", None),  # was: accepted by verifiers and proposals
    ("https://github.com/~o/r", None),
    ("https://github.com/o/r%20x", None),  # was: entries gave "o/r" (prefix match)
    ("https://gist.github.com/alice/abc123", None),
    ("https://api.github.com/repos/o/r", None),
    ("https://github.com.example.org/o/r", None),
    ("https://alice.github.io/r", None),
    ("ftp://github.com/o/r", None),
    ("github.com/o/r", None),
    ("not a url", None),
]


@pytest.mark.parametrize(("url", "expected"), GITHUB)
def test_github_repo(url: str, expected: RepoLink | None) -> None:
    assert github_repo(url) == expected
    assert repo_of(url) == (expected.full_name if expected else None)


def test_repo_link_names() -> None:
    link = github_repo("https://github.com/Octo/Repo.git/tree/main?x=1#y")
    assert link is not None
    assert link.full_name == "Octo/Repo" and link.key == "octo/repo"
    assert link.tail == "/tree/main?x=1#y"


def test_reserved_is_lowercase_and_covers_the_former_sets() -> None:
    assert all(word == word.lower() for word in RESERVED)
    # union of markdown/entries, probe/verifiers/github and proposals/urls
    assert {"about", "account", "apps", "blog", "codespaces", "collections", "contact",
            "customer-stories", "dashboard", "enterprise", "events", "explore", "features",
            "gist", "issues", "join", "login", "logout", "marketplace", "new",
            "notifications", "orgs", "organizations", "pricing", "pulls", "readme", "search",
            "security", "settings", "signup", "site", "sponsors", "team", "topics",
            "trending", "users"} <= RESERVED


@pytest.mark.parametrize(("text", "expected"), [
    ("o/r", True), ("Octo-Cat/Hello.World", True), ("o/.github", True),
    ("o", False), ("o/", False), ("/r", False), ("o/r/x", False), ("-o/r", False),
    ("o_x/r", False), ("o/r x", False), ("a" * 40 + "/r", False), ("o/" + "r" * 101, False),
    # GitHub refuses the repository names "." and ".."
    ("a/.", False), ("a/..", False), ("a/...", True), ("a/.x", True),
])
def test_is_full_name(text: str, expected: bool) -> None:
    assert is_full_name(text) is expected


ARXIV = [
    # URLs: paths abs/pdf/html/format
    ("https://arxiv.org/abs/2310.07177", ArxivRef("2310.07177", None, "abs")),
    ("https://arxiv.org/abs/0704.0001", ArxivRef("0704.0001", None, "abs")),
    ("https://arxiv.org/abs/2310.07177v2", ArxivRef("2310.07177", 2, "abs")),
    ("https://arxiv.org/pdf/2310.07177", ArxivRef("2310.07177", None, "pdf")),
    ("https://arxiv.org/pdf/2310.07177v2.pdf", ArxivRef("2310.07177", 2, "pdf")),
    ("https://arxiv.org/pdf/2310.07177.pdf", ArxivRef("2310.07177", None, "pdf")),
    # was: html unknown to proposals and sources; format only known to the verifier
    ("https://arxiv.org/html/2310.07177v1", ArxivRef("2310.07177", 1, "html")),
    ("https://arxiv.org/html/2310.07177v1/", ArxivRef("2310.07177", 1, "html")),
    ("https://arxiv.org/format/2310.07177", ArxivRef("2310.07177", None, "format")),
    # hosts, scheme, trailing slash, query and fragment
    ("http://arxiv.org/abs/2310.07177", ArxivRef("2310.07177", None, "abs")),
    ("https://www.arxiv.org/abs/2310.07177", ArxivRef("2310.07177", None, "abs")),
    ("http://export.arxiv.org/abs/2310.07177", ArxivRef("2310.07177", None, "abs")),
    ("https://browse.arxiv.org/pdf/2310.07177", ArxivRef("2310.07177", None, "pdf")),
    ("https://ArXiv.org/abs/2310.07177", ArxivRef("2310.07177", None, "abs")),
    ("https://arxiv.org/abs/2310.07177/", ArxivRef("2310.07177", None, "abs")),
    ("https://arxiv.org/abs/2310.07177v3?context=cs#x", ArxivRef("2310.07177", 3, "abs")),
    # old-style ids (was: entries took "HEP-TH" as written; proposals refused it)
    ("https://arxiv.org/abs/hep-th/9901001", ArxivRef("hep-th/9901001", None, "abs")),
    ("https://arxiv.org/pdf/hep-th/9901001v1", ArxivRef("hep-th/9901001", 1, "pdf")),
    ("https://arxiv.org/abs/HEP-TH/9901001v2", ArxivRef("hep-th/9901001", 2, "abs")),
    ("https://arxiv.org/abs/math.GT/0309136", ArxivRef("math.GT/0309136", None, "abs")),
    ("https://arxiv.org/abs/math.gt/0309136", ArxivRef("math.GT/0309136", None, "abs")),
    ("https://arxiv.org/abs/astro-ph/0001001", ArxivRef("astro-ph/0001001", None, "abs")),
    # percent-encoding (was: only the verifier decoded)
    ("https://arxiv.org/abs/hep-th%2F9901001", ArxivRef("hep-th/9901001", None, "abs")),
    ("https://arxiv.org/abs/2310.07177%76%32", ArxivRef("2310.07177", 2, "abs")),
    # not a paper page (was: entries matched a prefix of the path)
    ("https://arxiv.org/abs/2310.071771", None),
    ("https://arxiv.org/abs/2310.07177/extra", None),
    ("https://arxiv.org/html/2310.07177v1/x1.png", None),
    ("https://arxiv.org/abs/2310.071", None),
    ("https://arxiv.org/abs/", None),
    ("https://arxiv.org/list/cs.LG/recent", None),
    ("https://arxiv.org/a/lovelace_a_1", None),
    ("https://export.arxiv.org/api/query?id_list=2310.07177", None),
    ("https://arxiv.org.example.org/abs/2310.07177", None),
    ("https://example.org/abs/2310.07177", None),
    ("ftp://arxiv.org/abs/2310.07177", None),
    # tags
    ("arXiv: 2310.07177", ArxivRef("2310.07177", None, "tag")),
    ("arXiv:2310.07177v3", ArxivRef("2310.07177", 3, "tag")),
    ("arxiv 2310.07177", ArxivRef("2310.07177", None, "tag")),
    ("  arXiv: 2310.07177  ", ArxivRef("2310.07177", None, "tag")),
    ("ARXIV:hep-th/9901001", ArxivRef("hep-th/9901001", None, "tag")),
    ("arXiv HEP-TH/9901001v2", ArxivRef("hep-th/9901001", 2, "tag")),
    ("arXiv 2310", None),
    ("arXiv: 2310.07177 [cs.LG]", None),
    ("see arXiv:2310.07177", None),
    # bare ids
    ("2310.07177", ArxivRef("2310.07177")),
    ("2310.07177v2", ArxivRef("2310.07177", 2)),
    ("hep-th/9901001", ArxivRef("hep-th/9901001")),
    ("HEP-TH/9901001", ArxivRef("hep-th/9901001")),
    ("1234", None),
    ("2310.07177x", None),
    ("not an id", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), ARXIV)
def test_arxiv_ref(text: str, expected: ArxivRef | None) -> None:
    assert arxiv_ref(text) == expected
    assert arxiv_id(text) == (expected.id if expected else None)
    assert bare_id(text) == arxiv_id(text)
    # markdown entries read ids from tags and URLs, never from bare text
    assert arxiv_id_of(text) == (expected.id if expected and expected.kind else None)


def test_arxiv_ref_properties() -> None:
    assert ArxivRef("2310.07177", 2, "pdf").versioned == "2310.07177v2"
    assert ArxivRef("2310.07177").versioned == "2310.07177"
    assert ArxivRef("2310.07177", None, "html").is_url
    assert not ArxivRef("2310.07177", None, "tag").is_url
    assert not ArxivRef("2310.07177").is_url


@pytest.mark.parametrize(("tag", "expected"), [
    ("arXiv 2310.07177", True), ("arXiv:hep-th/9901001", True), ("SOSP 2023", True),
    ("hep-th/9901001", False),  # a bare id is not a venue tag
])
def test_venue_tag_is_an_arxiv_tag_not_a_bare_id(tag: str, expected: bool) -> None:
    assert is_venue(tag) is expected
