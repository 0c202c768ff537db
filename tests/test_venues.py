"""The venue vocabulary: service strings and free text to the short names lists use."""

import pytest

from listwatch.venues import (
    canonical,
    is_preprint,
    mention,
    preferred_spelling,
    split_tag,
    year_in,
)


@pytest.mark.parametrize(
    ("raw", "short"),
    [
        ("ACL (1)", "ACL"),
        ("ASPLOS (3)", "ASPLOS"),
        ("NeurIPS", "NeurIPS"),
        ("NIPS", "NeurIPS"),
        ("USENIX ATC", "ATC"),
        ("USENIX Annual Technical Conference", "ATC"),
        ("EuroSys", "EuroSys"),
        ("Proc. VLDB Endow.", "VLDB"),
        ("SIGCOMM", "SIGCOMM"),
        ("MLSys", "MLSys"),
        ("Neural Information Processing Systems", "NeurIPS"),
        ("Symposium on Operating Systems Principles", "SOSP"),
        ("Proceedings of the 29th Symposium on Operating Systems Principles", "SOSP"),
        ("Advances in Neural Information Processing Systems 36 (NeurIPS 2023)", "NeurIPS"),
        ("IEEE Trans. Parallel Distributed Syst.", "TPDS"),
        ("J. Mach. Learn. Res.", "JMLR"),
        ("Trans. Mach. Learn. Res.", "TMLR"),
        ("ACL (Findings)", "Findings of ACL"),
        ("Proc. ACM Manag. Data", "SIGMOD"),
        ("SC", "SC"),
        ("USENIX Symposium on Operating Systems Design and Implementation", "OSDI"),
        ("IEEE/CVF Conference on Computer Vision and Pattern Recognition", "CVPR"),
    ],
)
def test_known_spellings(raw: str, short: str) -> None:
    assert canonical(raw) == short


@pytest.mark.parametrize("raw", ["CoRR", "arXiv.org", "ArXiv", "", "Some Unknown Meeting"])
def test_preprints_and_unknown_are_not_venues(raw: str) -> None:
    assert canonical(raw) is None


def test_preprint_detection() -> None:
    assert is_preprint("CoRR")
    assert is_preprint("Informal and Other Publications")
    assert not is_preprint("OSDI")


def test_list_spelling_wins() -> None:
    assert preferred_spelling("ATC", ["USENIX ATC", "OSDI"]) == "USENIX ATC"
    assert preferred_spelling("ATC", ["ATC", "OSDI"]) == "ATC"
    assert preferred_spelling("EuroSys", ["Eurosys"]) == "Eurosys"
    assert preferred_spelling("NeurIPS", ["NIPS"]) == "NIPS"
    # canonical spelling preferred when the list uses several for the same venue
    assert preferred_spelling("NeurIPS", ["NIPS", "NeurIPS"]) == "NeurIPS"
    # counts: the most used spelling wins
    assert preferred_spelling("NeurIPS", {"NIPS": 5, "NeurIPS": 1}) == "NIPS"
    assert preferred_spelling("SOSP", ["OSDI"]) == "SOSP"
    # names with years work as vocabulary too
    assert preferred_spelling("VLDB", ["PVLDB 2023"]) == "PVLDB"


@pytest.mark.parametrize(
    ("text", "venue", "year"),
    [
        ("Accepted at ISCA 2024", "ISCA", 2024),
        ("To appear in OSDI '24", "OSDI", 2024),
        ("NeurIPS 2024", "NeurIPS", 2024),
        ("ICML 2023 (oral)", "ICML", 2023),
        ("12 pages, 9 figures; accepted by SOSP 2023", "SOSP", 2023),
        ("Proceedings of the 40th International Conference on Machine Learning, PMLR 202",
         "ICML", None),
    ],
)
def test_mentions(text: str, venue: str, year: int | None) -> None:
    found = mention(text)
    assert found is not None
    assert (found.venue, found.year) == (venue, year)


@pytest.mark.parametrize(
    "text",
    [
        "Under review at ICLR 2024",
        "Submitted to NeurIPS 2024",
        "NeurIPS 2023 Workshop on Machine Learning for Systems",
        "A fast system for serving LLMs",
        "Code: https://github.com/x/y",
        None,
    ],
)
def test_non_mentions(text: str | None) -> None:
    assert mention(text) is None


def test_years() -> None:
    assert year_in("OSDI '24") == 2024
    assert year_in("OSDI ’22") == 2022
    assert year_in("pages 1-12, 2021") == 2021
    assert year_in("no year") is None


@pytest.mark.parametrize(
    ("tag", "parts"),
    [
        ("SOSP 2023", ("SOSP", 2023)),
        ("OSDI '24", ("OSDI", 2024)),
        ("ATC’23", ("ATC", 2023)),
        ("NeurIPS, 2024", ("NeurIPS", 2024)),
        ("SOSP2023", ("SOSP", 2023)),
        ("SC 23", ("SC", 2023)),
        ("VLDB 1999", ("VLDB", 1999)),
        ("  Findings  of ACL 2024 ", ("Findings of ACL", 2024)),
        ("Preprint", ("Preprint", None)),
        ("2023", ("2023", None)),
        # the end of a longer number is no year
        ("MSR-TR-2014-112", ("MSR-TR-2014-112", None)),
        ("ABC 123", ("ABC 123", None)),
        ("Python 3.11", ("Python 3.11", None)),
    ],
)
def test_split_tag(tag: str, parts: tuple[str, int | None]) -> None:
    assert split_tag(tag) == parts
