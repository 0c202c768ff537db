"""Writing files so that nothing is ever half-written, and nothing else is harmed."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from listwatch.errors import InputError


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or consecutive parts) to ``path``.

    A regular file (new, or existing) is written through a temporary file and an
    atomic rename; it keeps the permissions of the file it replaces, and a new file
    gets the umask's (as the shell's ``>`` would). A symbolic link is followed, so
    the file it points at is written and the link stays. Anything else that exists
    (``/dev/null``, ``/dev/full``, a FIFO, a terminal) is written in place: renaming
    over it would replace the device with a regular file.
    """
    path = Path(os.path.realpath(path))
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    if mode is not None and not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode):
            raise InputError(f"{path}: cannot write: is a directory")
        _write_in_place(path, data)
        return
    _replace(path, data, stat.S_IMODE(mode) if mode is not None else _default_mode())


def _write_in_place(path: Path, data: bytes | Iterable[bytes]) -> None:
    try:
        with path.open("wb") as handle:
            _write_all(handle, data)
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None


def _write_all(handle: BinaryIO, data: bytes | Iterable[bytes]) -> None:
    for part in [data] if isinstance(data, bytes) else data:
        handle.write(part)


def _replace(path: Path, data: bytes | Iterable[bytes], mode: int) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            _write_all(handle, data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    except BaseException:  # the parts failed to come: the old file stays as it was
        Path(temp).unlink(missing_ok=True)
        raise


def _default_mode() -> int:
    """The permissions a new file gets from the process umask (0o666 masked)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask
