"""Load and validate config.toml into frozen dataclasses.

The schema is the dataclasses below: each ``[section]`` is one dataclass, each
key one field. Unknown keys, wrong types and bad values are rejected with one
line that names the file, the key and its line, e.g.::

    config.toml:12: [http] host_concurrency: expected an integer >= 1, got 0
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from listwatch import __version__
from listwatch.errors import ConfigError
from listwatch.identifiers import is_full_name

DEFAULT_USER_AGENT = f"listwatch/{__version__} (+https://github.com/listwatch/listwatch)"

Check = Callable[[Any], str | None]


def _check(fn: Check, **kw: Any) -> Any:
    """A dataclass field whose value must pass ``fn`` (returns an error text or None)."""
    return field(metadata={"check": fn}, **kw)


def _commented(default: Any) -> Any:
    """A field `listwatch init` writes commented out: its default follows the installed version."""
    return field(default=default, metadata={"commented": True})


def _between(low: float, high: float) -> Check:
    """A number from ``low`` to ``high`` (so never infinite, never NaN)."""
    return lambda v: None if low <= v <= high else f"must be from {low} to {high}, got {v}"


# The longest duration any setting takes: ten years, far inside what dates can hold.
MAX_DURATION_S = 10 * 365 * 86400


def _duration_seconds(value: str | int | float) -> float:
    """``"1d"``, ``"12h"``, ``"30m"``, ``"90s"`` or a number of seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", str(value))
    if not match:
        raise ValueError(f"not a duration: {value!r} (use e.g. 90s, 30m, 12h, 1d, 2w)")
    scale = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[match.group(2)]
    return float(match.group(1)) * scale


def _valid_duration(value: Any) -> str | None:
    try:
        seconds = _duration_seconds(value)
    except ValueError as exc:
        return str(exc)
    if not 0 <= seconds <= MAX_DURATION_S:  # also false for NaN
        return f"must be from 0 to 3650d (ten years), got {value!r}"
    return None


def _valid_timezone(value: str) -> str | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone {value!r} (use an IANA name such as UTC or Europe/Berlin)"
    return None


def _valid_regexes(values: list[str]) -> str | None:
    for pattern in values:
        try:
            re.compile(pattern)
        except re.error as exc:
            return f"bad regular expression {pattern!r}: {exc}"
    return None


def glob_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable repository-relative glob, or None."""
    if not pattern.strip():
        return "empty glob"
    if pattern.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", pattern):
        return f"glob {pattern!r} must be relative to the repository root"
    parts = pattern.split("/")
    if ".." in parts:
        return f"glob {pattern!r} must not climb out of the repository with '..'"
    for part in parts:
        if "**" in part and part != "**":
            return f"glob {pattern!r}: '**' must be a whole path segment"
    depth = 0
    for char in pattern:
        if char == "[":
            depth += 1
        elif char == "]" and depth:
            depth -= 1
    if depth:
        return f"glob {pattern!r} has an unclosed '['"
    return None


def _valid_globs(values: list[str]) -> str | None:
    if not values:
        return "must list at least one glob"
    for pattern in values:
        problem = glob_problem(pattern)
        if problem:
            return problem
    return None


def _valid_repo(value: str) -> str | None:
    return None if is_full_name(value) else f"expected 'owner/name', got {value!r}"


def _valid_cron(value: str) -> str | None:
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger.from_crontab(value, timezone="UTC")
    except ValueError as exc:
        return f"bad cron expression {value!r}: {exc}"
    return None


def _one_of(*choices: str) -> Check:
    return lambda v: None if v in choices else f"must be one of {', '.join(choices)}; got {v!r}"


def _valid_status_codes(values: list[int]) -> str | None:
    bad = [v for v in values if not 100 <= v <= 999]
    return f"not HTTP status codes: {bad}" if bad else None


@dataclass(frozen=True)
class Target:
    """One list to watch: a repository and the files in it."""

    repo: str = _check(_valid_repo)
    files: tuple[str, ...] = _check(_valid_globs, default=("**/*.md",))
    branch: str | None = None
    path: Path | None = None


@dataclass(frozen=True)
class HttpConfig:
    """The shared HTTP client."""

    timeout: float = _check(_between(0.1, 3600), default=20.0)
    max_concurrency: int = _check(_between(1, 10_000), default=64)
    host_concurrency: int = _check(_between(1, 1000), default=4)
    host_interval: float = _check(_between(0, 3600), default=0.1)
    user_agent: str = _commented(DEFAULT_USER_AGENT)
    max_redirects: int = _check(_between(1, 100), default=10)


@dataclass(frozen=True)
class CheckConfig:
    """Link checking: what to check, what counts as broken, how hard to retry."""

    fail_runs: int = _check(_between(1, 1000), default=2)
    fail_hours: float = _check(_between(0, MAX_DURATION_S / 3600), default=24.0)
    cache_max_age: str | float = _check(_valid_duration, default="1d")
    exclude: tuple[str, ...] = _check(_valid_regexes, default=())
    include: tuple[str, ...] = _check(_valid_regexes, default=())
    accept: tuple[int, ...] = _check(_valid_status_codes, default=())
    retries: int = _check(_between(0, 100), default=2)
    retry_after_max: float = _check(_between(0, 86400), default=60.0)
    private_addresses: bool = False

    @property
    def cache_max_age_seconds(self) -> float:
        return _duration_seconds(self.cache_max_age)


@dataclass(frozen=True)
class StateConfig:
    """Where the SQLite state lives (relative paths are relative to the config file)."""

    path: Path = Path(".listwatch/state.db")


@dataclass(frozen=True)
class ScheduleConfig:
    """When `listwatch schedule` runs the job."""

    cron: str = _check(_valid_cron, default="0 4 * * 1")
    timezone: str = _check(_valid_timezone, default="UTC")


def _valid_author(value: str) -> str | None:
    if not value or re.fullmatch(r"[^<>\n]+ <[^<>@\s]+@[^<>\s]+>", value):
        return None
    return f"expected 'Name <email>' or empty (the token's user), got {value!r}"


def _valid_branch(value: str) -> str | None:
    bad = (not value or value.startswith(("/", "-")) or value.endswith(("/", ".", ".lock"))
           or ".." in value or "//" in value or "@{" in value
           or re.search(r"[\x00-\x20~^:?*\[\\\x7f]", value))
    return f"not a usable git branch name: {value!r}" if bad else None


@dataclass(frozen=True)
class PrConfig:
    """The pull request listwatch opens or updates."""

    branch: str = _check(_valid_branch, default="listwatch/updates")
    labels: tuple[str, ...] = ("listwatch",)
    title: str = "listwatch: keep the list up to date"
    draft: bool = False
    assignees: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    author: str = _check(_valid_author, default="")
    write_interval: float = _check(_between(0, 3600), default=1.0)


@dataclass(frozen=True)
class DashboardConfig:
    """The issue that lists what listwatch cannot fix by itself (one per target)."""

    enabled: bool = True
    title: str = "Link health"
    label: str = "listwatch"


@dataclass(frozen=True)
class SourcesConfig:
    """Which metadata services to ask."""

    github: bool = True
    arxiv: bool = True
    dblp: bool = True
    semantic_scholar: bool = True
    crossref: bool = True
    wayback: bool = True
    cache_max_age: str | float = _check(_valid_duration, default="7d")

    @property
    def cache_max_age_seconds(self) -> float:
        return _duration_seconds(self.cache_max_age)


@dataclass(frozen=True)
class NormaliseConfig:
    """Canonical URL forms proposed as `normalise` edits."""

    enabled: bool = True
    arxiv_abs: bool = True
    https: bool = True


@dataclass(frozen=True)
class StarsConfig:
    """Optional star-count annotations after code links."""

    mode: str = _check(_one_of("off", "text", "badge"), default="off")
    format: str = "★ {stars}"


@dataclass(frozen=True)
class ArchivedConfig:
    """The marker written after the code link of an archived repository."""

    enabled: bool = True
    marker: str = "(archived)"


@dataclass(frozen=True)
class DeadConfig:
    """What to do about links broken past the flakiness window."""

    replace_with_archive: bool = False


@dataclass(frozen=True)
class TitleConfig:
    """Title changes are low-confidence: shown for review, applied only when asked."""

    apply: bool = False


@dataclass(frozen=True)
class Config:
    """The whole configuration."""

    targets: tuple[Target, ...]
    http: HttpConfig = HttpConfig()
    check: CheckConfig = CheckConfig()
    state: StateConfig = StateConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    pr: PrConfig = PrConfig()
    dashboard: DashboardConfig = DashboardConfig()
    sources: SourcesConfig = SourcesConfig()
    normalise: NormaliseConfig = NormaliseConfig()
    stars: StarsConfig = StarsConfig()
    archived: ArchivedConfig = ArchivedConfig()
    dead: DeadConfig = DeadConfig()
    title: TitleConfig = TitleConfig()
    source: Path | None = None


_SECTIONS: dict[str, type] = {
    name: hint
    for name, hint in typing.get_type_hints(Config).items()
    if name not in ("targets", "source")
}


class _Locator:
    """Finds the line of a key in the TOML text, for error messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def line_of(self, section: str | None, index: int | None, key: str | None) -> int | None:
        current: tuple[str, int] | None = None
        counts: dict[str, int] = {}
        section_line: int | None = None
        for number, raw in enumerate(self.lines, start=1):
            line = raw.strip()
            header = re.fullmatch(r"\[\[\s*([\w.-]+)\s*\]\]|\[\s*([\w.-]+)\s*\]", line)
            if header:
                name = header.group(1) or header.group(2)
                counts[name] = counts.get(name, -1) + 1 if header.group(1) else 0
                current = (name, counts[name])
                if name == section and (index is None or counts[name] == index):
                    section_line = number
                continue
            in_scope = (section is None and current is None) or (
                current is not None
                and current[0] == section
                and (index is None or current[1] == index)
            )
            if in_scope and key and re.match(rf'\s*"?{re.escape(key)}"?\s*=', raw):
                return number
        return section_line


def _where(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line else str(path)


def _coerce(value: Any, annotation: Any) -> Any:
    """Check ``value`` against a field annotation; return it in the field's type."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _coerce(value, arg)
            except TypeError:
                continue
        raise TypeError(_type_name(annotation))
    if origin is tuple:
        if not isinstance(value, list):
            raise TypeError(f"a list of {_type_name(args[0])}")
        try:
            return tuple(_coerce(item, args[0]) for item in value)
        except TypeError:
            raise TypeError(f"a list of {_type_name(args[0])}") from None
    if annotation is bool:
        if isinstance(value, bool):
            return value
        raise TypeError("true or false")
    if annotation is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise TypeError("an integer")
    if annotation is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise TypeError("a number")
    if annotation is str:
        if isinstance(value, str):
            return value
        raise TypeError("a string")
    if annotation is Path:
        if isinstance(value, str) and value:
            return Path(value)
        raise TypeError("a path (string)")
    raise TypeError(_type_name(annotation))


def _type_name(annotation: Any) -> str:
    names = {bool: "true or false", int: "an integer", float: "a number", str: "a string",
             Path: "a path (string)"}
    if annotation in names:
        return names[annotation]
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is tuple:
        return f"a list of {_type_name(args[0])}"
    return " or ".join(_type_name(a) for a in args) or str(annotation)


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _build(
    cls: type,
    table: Any,
    *,
    label: str,
    section: str | None,
    index: int | None,
    path: Path,
    locate: _Locator,
) -> Any:
    """Turn one TOML table into the dataclass ``cls``, checking every key."""
    if not isinstance(table, dict):
        line = locate.line_of(None, None, section)
        raise ConfigError(f"{_where(path, line)}: {label} must be a table, got {_show(table)}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, raw in table.items():
        line = locate.line_of(section, index, key)
        if key not in fields:
            known = ", ".join(sorted(fields))
            raise ConfigError(f"{_where(path, line)}: {label} unknown key {key!r} (known: {known})")
        try:
            value = _coerce(raw, hints[key])
        except TypeError as exc:
            raise ConfigError(
                f"{_where(path, line)}: {label} {key}: expected {exc}, got {_show(raw)}"
            ) from None
        check = fields[key].metadata.get("check")
        problem = check(value) if check and value is not None else None
        if problem:
            raise ConfigError(f"{_where(path, line)}: {label} {key}: {problem}")
        values[key] = value
    missing = [
        name
        for name, f in fields.items()
        if name not in values
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        line = locate.line_of(section, index, None)
        raise ConfigError(f"{_where(path, line)}: {label} missing required key {missing[0]!r}")
    return cls(**values)


def parse_config(text: str, path: Path) -> Config:
    """Validate TOML ``text`` (read from ``path``) into a ``Config``; a UTF-8
    byte-order mark, which editors on Windows write, is not part of the TOML."""
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    locate = _Locator(text)
    known = {"targets", *_SECTIONS}
    for key in data:
        if key not in known:
            line = locate.line_of(None, None, key) or locate.line_of(key, None, None)
            raise ConfigError(
                f"{_where(path, line)}: unknown section or key {key!r} "
                f"(known: {', '.join(sorted(known))})"
            )
    raw_targets = data.get("targets")
    if not isinstance(raw_targets, list) or not raw_targets:
        raise ConfigError(f"{path}: at least one [[targets]] table is required")
    targets = []
    for index, table in enumerate(raw_targets):
        target = _build(
            Target, table, label=f"[[targets]] #{index + 1}", section="targets",
            index=index, path=path, locate=locate,
        )
        if target.path is not None:
            local = target.path if target.path.is_absolute() else path.parent / target.path
            if not local.is_dir():
                line = locate.line_of("targets", index, "path")
                raise ConfigError(
                    f"{_where(path, line)}: [[targets]] #{index + 1} path: "
                    f"no such directory: {local}"
                )
            target = dataclasses.replace(target, path=local.resolve())
        targets.append(target)
    sections = {
        name: _build(
            cls, data.get(name, {}), label=f"[{name}]", section=name, index=None,
            path=path, locate=locate,
        )
        for name, cls in _SECTIONS.items()
    }
    state: StateConfig = sections["state"]
    if not state.path.is_absolute():
        sections["state"] = StateConfig(path=path.parent / state.path)
    return Config(targets=tuple(targets), source=path, **sections)


def load_config(path: Path) -> Config:
    """Read and validate the config file at ``path``."""
    if not path.exists():
        raise ConfigError(f"{path}: config file not found (create one with `listwatch init`)")
    if path.is_dir():
        raise ConfigError(f"{path}: is a directory, expected a config.toml file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    return parse_config(text, path)


def duration_seconds(value: str | int | float) -> float:
    """Public form of the duration parser (``"1d"`` → 86400.0)."""
    return _duration_seconds(value)


def section_defaults() -> Mapping[str, Any]:
    """Every section at its defaults, in file order: the template `listwatch init` writes."""
    return {name: cls() for name, cls in _SECTIONS.items()}
