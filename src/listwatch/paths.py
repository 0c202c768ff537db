"""Repository-relative paths: glob matching and finding Markdown files on disk."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from listwatch.errors import InputError


@functools.lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Translate a repository glob (``**`` spans folders, ``*`` stays in one) to a regex."""
    out: list[str] = []
    parts = pattern.split("/")
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            out.append(".*" if last else "(?:[^/]+/)*")
            continue
        i = 0
        while i < len(part):
            char = part[i]
            if char == "*":
                out.append("[^/]*")
            elif char == "?":
                out.append("[^/]")
            elif char == "[":
                end = part.find("]", i + 1)
                if end == -1:
                    out.append(re.escape(char))
                else:
                    body = part[i + 1 : end]
                    if body.startswith("!"):
                        body = "^" + body[1:]
                    out.append(f"[{body}]")
                    i = end
            else:
                out.append(re.escape(char))
            i += 1
        if not last:
            out.append("/")
    return re.compile("".join(out) + r"\Z")


def glob_match(pattern: str, path: str) -> bool:
    """True when the repository-relative posix ``path`` matches ``pattern``."""
    return _glob_regex(pattern).match(path) is not None


def matching(paths: Iterable[str], patterns: Iterable[str]) -> list[str]:
    """The paths matching any of the patterns, sorted."""
    pats = tuple(patterns)
    return sorted(p for p in paths if any(glob_match(g, p) for g in pats))


ROOT_MARKERS = (".git", ".gitbook", "SUMMARY.md", "book.json")


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that looks like a list's repository root.

    A ``.git`` folder wins; otherwise a GitBook root (``.gitbook``, ``SUMMARY.md``,
    ``book.json``), so relative links resolve as the published book resolves them.
    """
    here = start if start.is_dir() else start.parent
    folders = (here, *here.parents)
    for markers in ((".git",), ROOT_MARKERS[1:]):
        for folder in folders:
            if any((folder / marker).exists() for marker in markers):
                return folder
    return None


def unmatched(paths: Iterable[str], patterns: Iterable[str]) -> list[str]:
    """The patterns that match none of the paths, in the order given."""
    listed = list(paths)
    return [g for g in patterns if not any(glob_match(g, p) for p in listed)]


def leaves(root: Path, path: Path) -> bool:
    """True when ``path``, its symbolic links followed, lies outside ``root``."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return True
    return False


OUTSIDE = "is a symbolic link to a file outside the repository; not read"


def repository_files(root: Path) -> frozenset[str]:
    """Every file under ``root`` as a repository-relative posix path (``.git`` left out)."""
    return frozenset(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(root).parts
    )


@dataclass(frozen=True)
class LocalFile:
    """A Markdown file on disk and the path it is shown under."""

    fs_path: Path
    display: str
    root: Path


def expand_arguments(arguments: Iterable[str]) -> tuple[list[LocalFile], list[InputError]]:
    """Files named on the command line; a folder means every ``*.md`` under it.

    Problems are returned, not raised, so the other arguments are still processed.
    Paths are shown relative to the repository root (the folder with ``.git``), or
    to the folder argument, or as given.
    """
    files: list[LocalFile] = []
    problems: list[InputError] = []
    seen: set[Path] = set()
    for argument in arguments:
        path = Path(argument)
        if not path.exists():
            problems.append(InputError(f"{argument}: no such file or directory"))
            continue
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.md") if p.is_file() and ".git" not in p.parts)
            if not found:
                problems.append(InputError(f"{argument}: directory has no Markdown (*.md) files"))
                continue
            root = find_root(path.resolve()) or path.resolve()
            container = find_root(path.absolute()) or path.absolute()
        else:
            found = [path]
            root = find_root(path.resolve()) or path.resolve().parent
            container = find_root(path.absolute().parent) or path.absolute().parent
        for file in found:
            if file.is_symlink() and leaves(container, file):
                problems.append(InputError(f"{file.as_posix()}: {OUTSIDE}"))
                continue
            resolved = file.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
            try:
                display = resolved.relative_to(root).as_posix()
            except ValueError:
                display = file.as_posix()
            files.append(LocalFile(fs_path=file, display=display, root=root))
    return files, problems
