"""How each tool is invoked: the shared politeness settings, listwatch's config file and
both command lines."""

from __future__ import annotations

import compileall
import dataclasses
from pathlib import Path


@dataclasses.dataclass(frozen=True)
class Settings:
    """Politeness both tools run with."""

    timeout: int = 20
    max_concurrency: int = 64
    host_concurrency: int = 4
    host_interval: float = 0.25  # seconds between request starts to one host
    retries: int = 2

    def describe(self) -> str:
        return (f"timeout {self.timeout} s, {self.max_concurrency} requests in flight, "
                f"{self.host_concurrency} per host, {self.host_interval} s between request "
                f"starts to one host, {self.retries} retries")


def write_list(directory: Path, markdown: str) -> Path:
    """A generated list written as ``README.md`` in ``directory``; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "README.md"
    path.write_text(markdown, encoding="utf-8")
    return path


def write_config(path: Path, roots: list[Path], settings: Settings, state: Path) -> Path:
    """listwatch's config: one local target per root, fresh state, fail after one run."""
    targets = "".join(
        f'[[targets]]\nrepo = "bench/{r.name}"\nfiles = ["**/*.md"]\npath = "{r}"\n\n'
        for r in roots)
    s = settings
    path.write_text(
        targets
        + f"[http]\ntimeout = {s.timeout}\nmax_concurrency = {s.max_concurrency}\n"
        f"host_concurrency = {s.host_concurrency}\nhost_interval = {s.host_interval}\n\n"
        f"[check]\nfail_runs = 1\nfail_hours = 0\nretries = {s.retries}\n\n"
        f'[state]\npath = "{state}"\n', encoding="utf-8")
    return path


def listwatch_command(listwatch: str, config: Path) -> list[str]:
    return [listwatch, "check", "--config", str(config), "--format", "json", "--no-cache"]


def lychee_command(lychee: str, settings: Settings, output: Path, roots: list[Path]
                   ) -> list[str]:
    """lychee with the same politeness; ``--verbose`` so its JSON lists redirects."""
    s = settings
    return [lychee, "--format", "json", "--no-progress", "--verbose",
            "--scheme", "https", "--scheme", "http",
            "--max-concurrency", str(s.max_concurrency),
            "--host-concurrency", str(s.host_concurrency),
            "--host-request-interval", f"{round(s.host_interval * 1000)}ms",
            "--timeout", str(s.timeout), "--max-retries", str(s.retries),
            "--output", str(output), "--", *map(str, roots)]


def byte_compiled(src: Path) -> Path:
    """``src`` with its modules byte-compiled, as installing a wheel leaves them: an
    editable install under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every
    changed module again in each timed run."""
    if not compileall.compile_dir(str(src), quiet=1):
        raise RuntimeError(f"{src} does not compile")
    return src
