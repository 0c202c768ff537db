"""A list file as text: exact decoding, line index, and reading from disk."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from listwatch.errors import InputError

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Document:
    """A file's decoded text plus where it lives.

    ``path`` is the repo-relative posix path shown to users and used as
    ``Link.file``; ``base_dir`` is its directory (``""`` at the repo root), the
    base for resolving relative links.
    """

    path: str
    text: str = field(repr=False)
    base_dir: str = ""
    _line_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)
    # 1-based line numbers: the links and entries of a line share one int object.
    _line_numbers: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self._line_starts:
            starts = [0] + [m.end() for m in _LINE_BREAK.finditer(self.text)]
            object.__setattr__(self, "_line_starts", tuple(starts))
        object.__setattr__(self, "_line_numbers", tuple(range(1, len(self._line_starts) + 1)))

    @classmethod
    def from_text(cls, text: str, path: str = "README.md") -> Document:
        """A document for ``text`` as if read from repo-relative ``path``."""
        parent = str(PurePosixPath(path).parent)
        return cls(path=path, text=text, base_dir="" if parent == "." else parent)

    def encode(self) -> bytes:
        """The file's bytes (identical to the original when unedited)."""
        return self.text.encode("utf-8")

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self._line_starts[line - 1]

    def line_text(self, line: int) -> str:
        """Text of 1-based ``line`` without its line ending."""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] if line < len(self._line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``; columns count characters.

        A byte-order mark is not counted as a column.
        """
        index = bisect.bisect_right(self._line_starts, offset) - 1
        column = offset - self._line_starts[index] + 1
        if index == 0 and self.text.startswith("\ufeff") and offset > 0:
            column -= 1
        return (self._line_numbers[index] if index >= 0 else index + 1), column


MAX_BYTES = 10_000_000


def read_document(
    fs_path: Path, display_path: str | None = None, *, max_bytes: int = MAX_BYTES
) -> Document:
    """Read ``fs_path`` exactly (UTF-8, nothing normalised).

    Raises ``InputError`` naming the file when it is missing, a directory,
    larger than ``max_bytes``, binary (has a NUL byte) or not UTF-8.
    """
    shown = display_path or fs_path.as_posix()
    try:
        if fs_path.is_dir():
            raise InputError(f"{shown}: is a directory, not a Markdown file")
        size = fs_path.stat().st_size
        if size > max_bytes:
            raise InputError(f"{shown}: file is {size} bytes, over the {max_bytes}-byte limit")
        with fs_path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{shown}: no such file") from None
    except OSError as err:
        raise InputError(f"{shown}: cannot read ({err.strerror or err})") from None
    if len(data) > max_bytes:
        raise InputError(f"{shown}: file is over the {max_bytes}-byte limit")
    return decode_document(data, shown if display_path is None else display_path,
                           max_bytes=max_bytes)


def decode_document(data: bytes, path: str, *, max_bytes: int = MAX_BYTES) -> Document:
    """The document of a list file's bytes, read from disk or downloaded.

    Raises ``InputError`` naming ``path`` when the bytes are over ``max_bytes``,
    binary (a NUL byte) or not UTF-8.
    """
    if len(data) > max_bytes:
        raise InputError(f"{path}: file is {len(data)} bytes, over the {max_bytes}-byte limit")
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(f"{path}: binary file (NUL byte at offset {nul}, line {line})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(
            f"{path}: not valid UTF-8 (byte offset {err.start}, line {line})"
        ) from None
    return Document(path=path, text=text, base_dir=_parent(path))


def _parent(path: str) -> str:
    parent = str(PurePosixPath(path).parent)
    return "" if parent == "." else parent
