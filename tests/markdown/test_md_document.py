"""read_document: exact bytes in, one-line InputError for what is not a list."""

from __future__ import annotations

from pathlib import Path

import pytest

from listwatch.errors import InputError
from listwatch.markdown import Document, read_document


def test_bom_and_crlf_are_kept(tmp_path: Path) -> None:
    raw = "\ufeff# T\r\n* a  \r\n".encode()
    path = tmp_path / "list.md"
    path.write_bytes(raw)
    doc = read_document(path, "docs/list.md")
    assert doc.text.startswith("\ufeff") and "\r\n" in doc.text
    assert doc.encode() == raw
    assert (doc.path, doc.base_dir) == ("docs/list.md", "docs")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.md: no such file"):
        read_document(tmp_path / "nope.md", "nope.md")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)


def test_binary_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"abc\n\x00def")
    with pytest.raises(InputError, match=r"x\.md: binary file \(NUL byte at offset 4, line 2\)"):
        read_document(path, "x.md")


def test_non_utf8_names_offset_and_line(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"ok\n\xff\xfe")
    with pytest.raises(InputError, match=r"not valid UTF-8 \(byte offset 3, line 2\)") as err:
        read_document(path, "x.md")
    assert "\n" not in str(err.value)


def test_fifty_megabytes_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: fast to make
    with pytest.raises(InputError, match="over the 10000000-byte limit"):
        read_document(path, "big.md")


def test_positions_count_characters_not_bom() -> None:
    doc = Document.from_text("\ufeffé [a](b)\r\nxy\rz\n", "a.md")
    assert doc.line_count == 4
    assert doc.position(doc.text.index("b")) == (1, 7)
    assert doc.position(doc.text.index("z")) == (3, 1)
