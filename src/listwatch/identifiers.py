"""What a link or tag identifies: a GitHub repository, an arXiv paper.

The one place that answers "which repository does this URL point into?" and
"which arXiv paper (and version) is this?"; every other module asks here.

GitHub
    ``http(s)://github.com/<owner>/<name>[/rest][?query][#fragment]``, host
    ``github.com`` or ``www.github.com`` (any case). ``owner`` is a GitHub login
    (letters, digits, hyphens, not starting with a hyphen, at most 39) and not
    one of GitHub's own top-level pages (``RESERVED``: ``orgs``, ``gist``,
    ``topics``…); ``name`` is letters, digits, ``.``, ``_``, ``-`` (at most 100,
    not ``.`` or ``..``), a ``.git`` suffix removed. Both are percent-decoded.

arXiv
    - URLs: ``http(s)://{,www.,export.,browse.}arxiv.org/{abs,pdf,html,format}/<id>``
      with an optional ``vN``, ``.pdf`` suffix and trailing slash; the path is
      percent-decoded; query and fragment are ignored.
    - Tags: ``arXiv:2310.07177``, ``arXiv: 2310.07177v2``, ``arxiv 2310.07177``.
    - Bare ids: ``2310.07177``, ``2310.07177v2``, ``hep-th/9901001``.

    Ids are new style ``YYMM.NNNN`` / ``YYMM.NNNNN`` or old style
    ``archive[.XX]/NNNNNNN``; an old-style archive is written in lowercase
    (``HEP-TH/9901001`` → ``hep-th/9901001``) and its subject class in uppercase
    (``math.ag/…`` → ``math.AG/…``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

# --- GitHub -----------------------------------------------------------------

GITHUB_HOSTS = frozenset({"github.com", "www.github.com"})
# First path segments of github.com that are GitHub's own pages, not owners.
RESERVED = frozenset({
    "about", "account", "apps", "blog", "codespaces", "collections", "contact", "copilot",
    "customer-stories", "dashboard", "enterprise", "events", "explore", "features", "gist",
    "issues", "join", "login", "logout", "marketplace", "new", "notifications", "orgs",
    "organizations", "password_reset", "pricing", "pulls", "readme", "search", "security",
    "sessions", "settings", "signup", "site", "solutions", "sponsors", "stars", "team",
    "topics", "trending", "users",
})
_OWNER = r"[A-Za-z0-9][A-Za-z0-9-]{0,38}"
_NAME = r"[A-Za-z0-9._-]{1,100}"
_OWNER_RE = re.compile(_OWNER)
_NAME_RE = re.compile(_NAME)
_WEB = ("http", "https")


@dataclass(frozen=True)
class RepoLink:
    """A link into a GitHub repository.

    ``owner`` and ``name`` as written (``.git`` removed); ``rest`` is the path after
    them (starting with ``/``, or empty), ``query`` and ``fragment`` the URL's own.
    """

    owner: str
    name: str
    rest: str = ""
    query: str = ""
    fragment: str = ""

    @property
    def full_name(self) -> str:
        """``owner/name`` as written."""
        return f"{self.owner}/{self.name}"

    @property
    def key(self) -> str:
        """``owner/name`` in lowercase (GitHub names are case-insensitive)."""
        return self.full_name.lower()

    @property
    def tail(self) -> str:
        """Everything after ``owner/name``: ``/tree/main/x?y#z``."""
        tail = self.rest
        if self.query:
            tail += "?" + self.query
        if self.fragment:
            tail += "#" + self.fragment
        return tail


def github_repo(url: str) -> RepoLink | None:
    """The repository a github.com URL points into, or None.

    ``https://github.com/o/r/tree/main/x?y#z`` → ``RepoLink("o", "r", "/tree/main/x", "y", "z")``.
    """
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in _WEB or host not in GITHUB_HOSTS:
        return None
    segments = parts.path.split("/")
    if len(segments) < 3:
        return None
    owner, name = unquote(segments[1]), unquote(segments[2]).removesuffix(".git")
    if owner.lower() in RESERVED or not _OWNER_RE.fullmatch(owner):
        return None
    if not _is_repo_name(name):
        return None
    rest = "/".join(["", *segments[3:]]) if len(segments) > 3 else ""
    return RepoLink(owner, name, rest, parts.query, parts.fragment)


def _is_repo_name(name: str) -> bool:
    """GitHub's repository-name rule; it refuses the names ``.`` and ``..``."""
    return name not in (".", "..") and _NAME_RE.fullmatch(name) is not None


def is_full_name(text: str) -> bool:
    """Whether ``text`` is a well-formed ``owner/name`` (see the module docstring)."""
    owner, _, name = text.partition("/")
    return _OWNER_RE.fullmatch(owner) is not None and _is_repo_name(name)


# --- arXiv ------------------------------------------------------------------

ARXIV_HOSTS = frozenset({"arxiv.org", "www.arxiv.org", "export.arxiv.org", "browse.arxiv.org"})
URL_KINDS = frozenset({"abs", "pdf", "html", "format"})
_ID = (
    r"(?P<id>\d{4}\.\d{4,5}"
    r"|(?P<archive>[A-Za-z][A-Za-z-]*)(?:\.(?P<subject>[A-Za-z]{2}))?/(?P<number>\d{7}))"
    r"(?:v(?P<version>\d+))?"
)
_ARXIV_PATH = re.compile(r"/(?P<kind>abs|pdf|html|format)/" + _ID + r"(?:\.pdf)?/?")
_ARXIV_TAG = re.compile(r"arxiv\s*:?\s*" + _ID, re.IGNORECASE)
_ARXIV_BARE = re.compile(_ID)


@dataclass(frozen=True)
class ArxivRef:
    """An arXiv paper: ``id`` without version, ``version`` if one was given.

    ``kind`` says how it was written: the URL's path kind (``abs``, ``pdf``,
    ``html``, ``format``), ``"tag"`` for ``arXiv: <id>``, None for a bare id.
    """

    id: str
    version: int | None = None
    kind: str | None = None

    @property
    def versioned(self) -> str:
        """The id with its version, if any: ``2310.07177v2``."""
        return f"{self.id}v{self.version}" if self.version is not None else self.id

    @property
    def is_url(self) -> bool:
        return self.kind in URL_KINDS


def _ref(match: re.Match[str], kind: str | None) -> ArxivRef:
    if match.group("archive"):
        subject = match.group("subject")
        arxiv_id = match.group("archive").lower()
        arxiv_id += f".{subject.upper()}" if subject else ""
        arxiv_id += "/" + match.group("number")
    else:
        arxiv_id = match.group("id")
    version = match.group("version")
    return ArxivRef(arxiv_id, int(version) if version else None, kind)


def arxiv_ref(text: str) -> ArxivRef | None:
    """The arXiv paper an arxiv.org URL, an ``arXiv: <id>`` tag or a bare id names."""
    text = text.strip()
    if "://" in text:
        try:
            parts = urlsplit(text)
            host = (parts.hostname or "").lower()
        except ValueError:
            return None
        if parts.scheme.lower() not in _WEB or host not in ARXIV_HOSTS:
            return None
        match = _ARXIV_PATH.fullmatch(unquote(parts.path))
        return _ref(match, match.group("kind")) if match else None
    if match := _ARXIV_TAG.fullmatch(text):
        return _ref(match, "tag")
    if match := _ARXIV_BARE.fullmatch(text):
        return _ref(match, None)
    return None


def arxiv_id(text: str) -> str | None:
    """The arXiv id (without version) that ``text`` names, per ``arxiv_ref``."""
    ref = arxiv_ref(text)
    return ref.id if ref else None
