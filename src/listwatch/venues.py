"""Venue vocabulary: from what services and authors write to the short names lists use.

The bottom of the venue question, shared by the sources (which name a venue)
and the list's house style (which spells it); it imports only the stdlib.

``canonical("ACL (1)")`` → ``"ACL"``; ``canonical("Proc. VLDB Endow.")`` → ``"VLDB"``;
``canonical("Neural Information Processing Systems")`` → ``"NeurIPS"``; CoRR and
other preprint records are no venue (``is_preprint``). ``preferred_spelling``
gives the list's own spelling of a venue from the names the list uses
(``"USENIX ATC"`` where the list writes so). ``mention(comment)`` reads acceptance
notes such as ``"Accepted at ISCA 2024"``; ``year_in`` finds a year in free text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass

# short name → other spellings: acronyms, DBLP venue strings, full names.
# Spellings are compared after `_key` (lowercase, punctuation dropped).
_TABLE: dict[str, tuple[str, ...]] = {
    # operating systems, distributed systems, storage
    "OSDI": ("USENIX Symposium on Operating Systems Design and Implementation",
             "Operating Systems Design and Implementation"),
    "SOSP": ("Symposium on Operating Systems Principles", "ACM Symposium on Operating Systems "
             "Principles"),
    "NSDI": ("USENIX Symposium on Networked Systems Design and Implementation",
             "Networked Systems Design and Implementation"),
    "ATC": ("USENIX ATC", "USENIX Annual Technical Conference", "Annual Technical Conference",
            "USENIX Annual Technical Conference, General Track"),
    "EuroSys": ("European Conference on Computer Systems", "EuroSys Conference"),
    "FAST": ("USENIX Conference on File and Storage Technologies",
             "File and Storage Technologies"),
    "SoCC": ("ACM Symposium on Cloud Computing", "Symposium on Cloud Computing", "SOCC"),
    "Middleware": ("International Middleware Conference", "ACM/IFIP Middleware Conference"),
    "HotOS": ("Workshop on Hot Topics in Operating Systems",),
    "HotCloud": ("Workshop on Hot Topics in Cloud Computing",),
    "HPDC": ("International Symposium on High-Performance Parallel and Distributed Computing",
             "High-Performance Parallel and Distributed Computing"),
    "ICDCS": ("International Conference on Distributed Computing Systems",),
    "IPDPS": ("International Parallel and Distributed Processing Symposium",),
    "CLUSTER": ("IEEE International Conference on Cluster Computing", "Cluster Computing",
                "IEEE CLUSTER"),
    "PODC": ("Symposium on Principles of Distributed Computing",),
    "VEE": ("Virtual Execution Environments",),
    # architecture, HPC, compilers
    "ASPLOS": ("Architectural Support for Programming Languages and Operating Systems",),
    "ISCA": ("International Symposium on Computer Architecture",),
    "MICRO": ("International Symposium on Microarchitecture", "IEEE/ACM International "
              "Symposium on Microarchitecture"),
    "HPCA": ("International Symposium on High-Performance Computer Architecture",
             "High-Performance Computer Architecture"),
    "SC": ("International Conference for High Performance Computing, Networking, Storage and "
           "Analysis", "Supercomputing", "SC Conference"),
    "PPoPP": ("Principles and Practice of Parallel Programming",
              "ACM SIGPLAN Symposium on Principles and Practice of Parallel Programming"),
    "ICS": ("International Conference on Supercomputing",),
    "PACT": ("International Conference on Parallel Architectures and Compilation Techniques",),
    "CGO": ("Code Generation and Optimization",),
    "PLDI": ("Programming Language Design and Implementation",),
    "DAC": ("Design Automation Conference",),
    "ICCAD": ("International Conference on Computer-Aided Design",
              "International Conference on Computer Aided Design"),
    "FPGA": ("International Symposium on Field-Programmable Gate Arrays",),
    "IISWC": ("International Symposium on Workload Characterization",),
    # networking, mobile
    "SIGCOMM": ("ACM SIGCOMM Conference", "ACM Special Interest Group on Data Communication"),
    "CoNEXT": ("International Conference on emerging Networking EXperiments and Technologies",
               "Conference on Emerging Network Experiment and Technology"),
    "INFOCOM": ("IEEE Conference on Computer Communications", "IEEE INFOCOM"),
    "MobiCom": ("International Conference on Mobile Computing and Networking",
                "Mobile Computing and Networking"),
    "MobiSys": ("International Conference on Mobile Systems, Applications, and Services",
                "Mobile Systems, Applications, and Services"),
    "SenSys": ("Conference on Embedded Networked Sensor Systems",),
    "IMC": ("Internet Measurement Conference",),
    # data management
    "SIGMOD": ("International Conference on Management of Data", "SIGMOD Conference",
               "Proc. ACM Manag. Data", "Proceedings of the ACM on Management of Data"),
    "VLDB": ("PVLDB", "Proc. VLDB Endow.", "Proceedings of the VLDB Endowment",
             "Very Large Data Bases", "International Conference on Very Large Data Bases"),
    "ICDE": ("International Conference on Data Engineering",),
    "KDD": ("Knowledge Discovery and Data Mining", "SIGKDD",
            "ACM SIGKDD Conference on Knowledge Discovery and Data Mining"),
    "WWW": ("The Web Conference", "International World Wide Web Conference", "TheWebConf"),
    # machine learning, AI
    "MLSys": ("Conference on Machine Learning and Systems", "Machine Learning and Systems",
              "SysML", "Proceedings of Machine Learning and Systems"),
    "ICML": ("International Conference on Machine Learning",),
    "ICLR": ("International Conference on Learning Representations",),
    "NeurIPS": ("NIPS", "Neural Information Processing Systems",
                "Advances in Neural Information Processing Systems",
                "Conference on Neural Information Processing Systems", "Neural Inf Process Syst",
                "NeurIPS Datasets and Benchmarks"),
    "AAAI": ("AAAI Conference on Artificial Intelligence",),
    "IJCAI": ("International Joint Conference on Artificial Intelligence",),
    "AISTATS": ("International Conference on Artificial Intelligence and Statistics",),
    "UAI": ("Conference on Uncertainty in Artificial Intelligence",),
    "COLM": ("Conference on Language Modeling",),
    "ACL": ("Annual Meeting of the Association for Computational Linguistics",
            "Association for Computational Linguistics"),
    "EMNLP": ("Empirical Methods in Natural Language Processing",
              "Conference on Empirical Methods in Natural Language Processing"),
    "NAACL": ("North American Chapter of the Association for Computational Linguistics",
              "NAACL-HLT"),
    "Findings of ACL": ("ACL (Findings)", "Findings of the Association for Computational "
                        "Linguistics", "ACL Findings"),
    "Findings of EMNLP": ("EMNLP (Findings)", "EMNLP Findings"),
    "COLING": ("International Conference on Computational Linguistics",),
    "CVPR": ("Computer Vision and Pattern Recognition",
             "IEEE/CVF Conference on Computer Vision and Pattern Recognition"),
    "ICCV": ("International Conference on Computer Vision", "IEEE/CVF International "
             "Conference on Computer Vision"),
    "ECCV": ("European Conference on Computer Vision",),
    "SIGGRAPH": ("ACM SIGGRAPH",),
    # journals
    "TPDS": ("IEEE Trans. Parallel Distributed Syst.",
             "IEEE Transactions on Parallel and Distributed Systems"),
    "TOCS": ("ACM Trans. Comput. Syst.", "ACM Transactions on Computer Systems"),
    "TOS": ("ACM Trans. Storage", "ACM Transactions on Storage"),
    "TCC": ("IEEE Trans. Cloud Comput.", "IEEE Transactions on Cloud Computing"),
    "TC": ("IEEE Trans. Computers", "IEEE Transactions on Computers"),
    "TON": ("IEEE/ACM Trans. Netw.", "IEEE/ACM Transactions on Networking"),
    "CSUR": ("ACM Comput. Surv.", "ACM Computing Surveys"),
    "JMLR": ("J. Mach. Learn. Res.", "Journal of Machine Learning Research"),
    "TMLR": ("Trans. Mach. Learn. Res.", "Transactions on Machine Learning Research"),
    "TPAMI": ("IEEE Trans. Pattern Anal. Mach. Intell.",
              "IEEE Transactions on Pattern Analysis and Machine Intelligence"),
    "CACM": ("Commun. ACM", "Communications of the ACM"),
}

_ORDINAL = re.compile(r"\b\d+(st|nd|rd|th)\b", re.I)
# A tag's trailing year (see split_tag); not the end of a longer number ("MSR-TR-2014-112").
_TAG_YEAR = re.compile(
    r"^(?P<name>.*?)[\s,]*(?:'|’)?(?<![\d.])(?P<year>(?:19|20)\d\d|\d\d)$")
_YEAR = re.compile(r"(?<![\d.])(?:'|’)?(19[5-9]\d|20\d\d)(?![\d])|(?:'|’)(\d\d)\b")


def _key(text: str) -> str:
    """Comparison key: lowercase words, punctuation and filler dropped."""
    text = re.sub(r"\(\s*\d+\s*\)", " ", text)  # DBLP volume parts: "ACL (1)"
    text = _ORDINAL.sub(" ", text)
    text = re.sub(r"[^\w\s]", " ", text.lower())
    text = re.sub(r"\b(19|20)\d\d\b", " ", text)
    words = [w for w in text.split() if w not in {"the", "proceedings", "of", "in", "on", "and",
                                                   "annual", "proc", "conference"}]
    return " ".join(words)


# Records that are not a publication venue: preprint servers and DBLP's informal bucket.
PREPRINT_VENUES = frozenset(_key(name) for name in (
    "CoRR", "arXiv", "arXiv.org", "bioRxiv", "medRxiv", "SSRN", "OpenReview.net",
    "Informal and Other Publications"))


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for short, spellings in _TABLE.items():
        for spelling in (short, *spellings):
            index.setdefault(_key(spelling), short)
    return index


_INDEX = _build_index()
# Longer full names first, so "... Computer Vision and Pattern Recognition" beats "... Vision".
_FULL_NAMES = sorted(
    ((key, short) for key, short in _INDEX.items() if len(key.split()) >= 3),
    key=lambda item: -len(item[0]),
)
# Acronyms matched case-sensitively inside free text ("Accepted at ISCA 2024").
_ACRONYMS = sorted(
    {spelling for short, spellings in _TABLE.items() for spelling in (short, *spellings)
     if re.fullmatch(r"[A-Za-z][A-Za-z-]*[A-Z][A-Za-z-]*", spelling) and len(spelling) >= 2},
    key=len, reverse=True,
)
_ACRONYM_RE = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(a) for a in _ACRONYMS) + r")(?![\w-])"
)


def is_preprint(raw: str | None) -> bool:
    """True for CoRR/arXiv and other informal records."""
    return raw is not None and _key(raw) in PREPRINT_VENUES


def canonical(raw: str | None) -> str | None:
    """The table's short name for ``raw``, or None when it is not a known venue."""
    if not raw or not raw.strip() or is_preprint(raw):
        return None
    key = _key(raw)
    if not key:
        return None
    if key in _INDEX:
        return _INDEX[key]
    stripped = re.sub(r"^(acm|ieee|usenix|ieee cvf|acm sigplan|acm sigops|international)\s+",
                      "", key)
    if stripped in _INDEX:
        return _INDEX[stripped]
    padded = f" {key} "
    for name, short in _FULL_NAMES:
        if f" {name} " in padded:
            return short
    match = _ACRONYM_RE.search(raw)
    if match:
        return _INDEX.get(_key(match.group(1)))
    return None


def split_tag(tag: str) -> tuple[str, int | None]:
    """A venue tag's name and year: ``"SOSP 2023"`` → ``("SOSP", 2023)``.

    The year ends the tag, as four digits (19xx, 20xx) or two (20xx), after a
    space, a comma or an apostrophe (``"OSDI '24"``, ``"ATC’23"``,
    ``"NeurIPS, 2024"``) or directly (``"SOSP2023"``); digits that continue a
    number (``"Python 3.11"``, ``"ABC 123"``) are no year. Whitespace is
    collapsed; a tag without a year comes back whole, with None.
    """
    text = " ".join(tag.split())
    match = _TAG_YEAR.match(text)
    if not match or not match.group("name"):
        return text, None
    year = match.group("year")
    return match.group("name"), int(year) if len(year) == 4 else 2000 + int(year)


def preferred_spelling(short: str, vocabulary: Collection[str] = ()) -> str:
    """The list's spelling of ``short`` if the list has one, else ``short``.

    Vocabulary words may be tags with years (``"SOSP 2023"``); only the name is used.
    """
    counts: Counter[str] = Counter()
    items = vocabulary.items() if isinstance(vocabulary, Mapping) else ((v, 1) for v in vocabulary)
    for word, count in items:
        name, _ = split_tag(word)
        if name:
            counts[name] += count
    candidates = [word for word in counts if canonical(word) == short]
    if not candidates:
        return short
    best = max(counts[c] for c in candidates)
    top = [c for c in candidates if counts[c] == best]
    if short in top:
        return short
    return sorted(top)[0]


def year_in(text: str | None) -> int | None:
    """The first year in ``text``: ``2024``, ``'24`` and ``’24`` all give 2024."""
    if not text:
        return None
    match = _YEAR.search(text)
    if not match:
        return None
    if match.group(1):
        return int(match.group(1))
    return 2000 + int(match.group(2))


@dataclass(frozen=True)
class Mention:
    """A venue named in free text (an arXiv comment or journal_ref)."""

    venue: str
    year: int | None
    text: str


_ACCEPTED = re.compile(
    r"\b(accepted|to appear|appear(?:s|ed)? (?:in|at)|published|presented|camera[- ]ready|"
    r"proceedings of|in proc)\b", re.I)
_NOT_YET = re.compile(
    r"\b(submitted|under review|in submission|rejected|withdrawn|preprint of a submission|"
    r"workshop|tutorial|extended abstract|poster session)\b", re.I)


_LEADING = re.compile(r"\s*([A-Za-z][\w/&. -]{0,60}?)\s*(?:'|’)?(?:19|20)?\d\d\b")


def mention(text: str | None) -> Mention | None:
    """The venue a comment or journal_ref says the paper appears at, if it says so.

    Needs either acceptance wording ("accepted at", "to appear in", "published in",
    "Proceedings of") or the venue at the start ("NeurIPS 2024", "OSDI '24: ...").
    Submissions, reviews and workshops are not publications and give None.
    """
    if not text or _NOT_YET.search(text):
        return None
    for clause in re.split(r"[;\n]|\.\s", text):
        clause = clause.strip()
        if not clause:
            continue
        short = canonical(clause)
        if short is None:
            continue
        accepted = bool(_ACCEPTED.search(clause))
        lead = _LEADING.match(clause)
        leading = lead is not None and canonical(lead.group(1)) == short
        if accepted or leading:
            return Mention(short, year_in(clause), clause)
    return None
