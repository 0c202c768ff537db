"""The command line: links, check, run, schedule, init.

Every user mistake ends as one line on stderr (``listwatch: error: …``) and exit
code 2 (3 when a service failed); nothing here prints a traceback for bad input.
A broken internal invariant ends as ``listwatch: internal error: …; please report
it`` and exit code 70.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar

import click

from listwatch import __version__
from listwatch.errors import InputError, InternalError, ListwatchError
from listwatch.redact import redact_text
from listwatch.text import one_line

if TYPE_CHECKING:
    from rich.progress import TaskID

    from listwatch.model import Verdict
    from listwatch.publish.model import Report
    from listwatch.publish.report import Verbosity

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("text", "json", "markdown")


def fail(message: str, code: int = 2) -> None:
    """Print one error line and exit."""
    click.echo(f"listwatch: error: {one_line(redact_text(message), limit=2000)}", err=True)
    sys.exit(code)


def friendly_errors(func: F) -> F:
    """Turn ListwatchError into one line and its exit code, InternalError into exit 70;
    Ctrl-C into exit 130."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        stopped_by = _stop_on_signals()
        try:
            return func(*args, **kwargs)
        except ListwatchError as exc:
            fail(str(exc), exc.exit_code)
        except InternalError as exc:
            click.echo(f"listwatch: internal error: {one_line(redact_text(str(exc)), limit=2000)}; "
                       "please report it", err=True)
            sys.exit(InternalError.exit_code)
        except KeyboardInterrupt:
            click.echo("listwatch: interrupted", err=True)
            sys.exit(128 + (stopped_by[-1] if stopped_by else signal.SIGINT))
        except BrokenPipeError:
            sys.exit(0)
        return None

    return wrapper  # type: ignore[return-value]


def _stop_on_signals() -> list[int]:
    """Ctrl-C and SIGTERM stop a command the same way: KeyboardInterrupt, so the run in
    flight is rolled back, then one line and exit 128+signal. The event loop's noise
    about tasks cut short is silenced from then on (the run is being abandoned).
    Returns the list the signals received are appended to."""
    received: list[int] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        logging.getLogger("asyncio").disabled = True
        signal.default_int_handler(signum, frame)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
    return received


# Characters of a report written to stdout at a time (a report in many small parts).
ECHO_CHUNK = 1 << 20


def write_output(text: str | Iterable[str], output: Path | None) -> None:
    """Write a report, whole or in consecutive parts, to ``output`` atomically, or to
    stdout (with a final newline when it has none)."""
    parts = [text] if isinstance(text, str) else text
    if output is None:
        _echo_parts(parts)
        return
    from listwatch.publish.files import write_atomic

    write_atomic(output, (part.encode("utf-8") for part in parts))


def _echo_parts(parts: Iterable[str]) -> None:
    buffered: list[str] = []
    size = 0
    last = ""
    for part in parts:
        if not part:
            continue
        buffered.append(part)
        size += len(part)
        last = part
        if size >= ECHO_CHUNK:
            click.echo("".join(buffered), nl=False)
            buffered, size = [], 0
    click.echo("".join(buffered), nl=not last.endswith("\n"))


def refuse_list_output(output: Path | None, config_path: Path | None,
                       paths: Sequence[str] = ()) -> None:
    """Fail when ``output`` is one of the lists read: a report must not replace a list.

    The lists are the files named on the command line (``paths``); without any, the
    files the ``files`` globs of configured targets with a local checkout take in.
    """
    if output is None or not output.exists():
        return
    from listwatch.paths import expand_arguments, glob_match

    target = output.resolve()
    if paths:
        hit = any(file.fs_path.resolve() == target for file in expand_arguments(paths)[0])
    else:
        from listwatch.pipeline import resolve_config

        hit = False
        for listed in resolve_config(config_path).targets:
            if listed.path is None:
                continue
            try:
                relative = target.relative_to(listed.path.resolve()).as_posix()
            except ValueError:
                continue
            hit = hit or any(glob_match(pattern, relative) for pattern in listed.files)
    if hit:
        raise InputError(f"{output}: is a list that listwatch reads; write the report "
                         "elsewhere (--output)")


def verbosity_options(func: F) -> F:
    """``--quiet`` / ``--verbose``, passed on as ``verbosity`` (the last one given wins)."""
    options = (
        click.option("--quiet", "-q", "verbosity", flag_value="quiet",
                     help="Print only the links that need attention and one line of totals."),
        click.option("--verbose", "-v", "verbosity", flag_value="verbose",
                     help="Also print every other link's verdict and the requests per service."),
        click.option("--normal", "verbosity", flag_value="normal", default=True, hidden=True),
    )
    for option in reversed(options):
        func = option(func)
    return func


config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The configuration file [default: config.toml].",
)
output_option = click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the report to this file instead of stdout.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="listwatch")
def cli() -> None:
    """Keep curated paper lists alive: check links, follow moves, tag published preprints."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text",
              show_default=True)
@output_option
@friendly_errors
def links(paths: tuple[str, ...], fmt: str, output: Path | None) -> None:
    """Print every link and entry of PATHS (files, or folders of *.md). No network."""
    from listwatch.markdown import read_document, read_list
    from listwatch.paths import expand_arguments
    from listwatch.publish.report import render_links

    files, found_problems = expand_arguments(paths)
    refuse_list_output(output, None, paths)
    problems: list[ListwatchError] = list(found_problems)
    notes: list[str] = []
    parsed = []
    for file in files:
        try:
            document = read_document(file.fs_path, file.display)
        except ListwatchError as exc:
            problems.append(exc)
            continue
        reading = read_list(document)
        notes.extend(reading.problems)
        parsed.append((document, reading.links, reading.entries))
    for problem in problems:
        click.echo(f"listwatch: error: {one_line(redact_text(str(problem)), limit=2000)}",
                   err=True)
    for note in notes:
        click.echo(f"listwatch: warning: {one_line(redact_text(note), limit=2000)}", err=True)
    if parsed:
        write_output(render_links(parsed, fmt), output)
    if problems:
        sys.exit(2)


@cli.command()
@click.argument("paths", nargs=-1)
@config_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@output_option
@click.option("--no-cache", is_flag=True, help="Re-check links whose OK result is cached.")
@click.option("--changed", "changed_since", metavar="BASE", default=None,
              help="Check only lines added or changed since the git ref BASE (a pull "
                   "request's base), in the checkout around the working directory.")
@verbosity_options
@friendly_errors
def check(paths: tuple[str, ...], config_path: Path | None, fmt: str, output: Path | None,
          no_cache: bool, changed_since: str | None, verbosity: Verbosity) -> None:
    """Check every link of the configured lists, or of PATHS."""
    from listwatch.pipeline import JobOptions, run

    _settle()
    refuse_list_output(output, config_path, paths)
    report = run(JobOptions(mode="check", config_path=config_path, paths=paths,
                            changed_since=changed_since, use_cache=not no_cache,
                            progress=_progress(fmt, output, verbosity)))
    _emit(report, fmt, output, verbosity)
    sys.exit(1 if report.has_broken else 0)


@cli.command()
@config_option
@click.option("--dry-run", is_flag=True,
              help="Change nothing anywhere: print the diff and the pull request it would open.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@output_option
@click.option("--no-cache", is_flag=True, help="Re-check links whose OK result is cached.")
@verbosity_options
@friendly_errors
def run(config_path: Path | None, dry_run: bool, fmt: str, output: Path | None,
        no_cache: bool, verbosity: Verbosity) -> None:
    """Run the whole job: check, gather facts, propose edits, open or update the PR."""
    from listwatch.pipeline import JobOptions, run

    _settle()
    refuse_list_output(output, config_path)
    report = run(JobOptions(mode="run", config_path=config_path, dry_run=dry_run,
                            use_cache=not no_cache,
                            progress=_progress(fmt, output, verbosity)))
    _emit(report, fmt, output, verbosity)


@cli.command()
@config_option
@click.option("--dry-run", is_flag=True, help="Each scheduled run is a dry run.")
@click.option("--now", "run_now", is_flag=True, help="Also run once immediately.")
@friendly_errors
def schedule(config_path: Path | None, dry_run: bool, run_now: bool) -> None:
    """Run the job on the [schedule] cron until stopped (a long-running worker)."""
    from listwatch.scheduler import serve

    serve(config_path or Path("config.toml"), dry_run=dry_run, run_now=run_now)


@cli.command()
@click.option("--repo", default=None,
              help="The GitHub repository that holds the list [default: the git origin "
                   "remote's (and its default branch), else owner/name].")
@click.option("--files", "patterns", multiple=True, default=("**/*.md",), show_default=True,
              help="Glob of list files (repeatable).")
@click.option("--path", "local_path", default=None, help="A local checkout to read instead.")
@config_option
@click.option("--workflow", "workflow_path", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="The GitHub Actions workflow to write "
                                 "[default: .github/workflows/listwatch.yml].")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@friendly_errors
def init(repo: str | None, patterns: tuple[str, ...], local_path: str | None,
         config_path: Path | None, workflow_path: Path | None, force: bool) -> None:
    """Write a starter config.toml and a GitHub Actions workflow that runs it."""
    from listwatch.initconfig import (
        PLACEHOLDER_REPO,
        WORKFLOW_PATH,
        next_steps,
        origin_default_branch,
        origin_repo,
        write_starter_files,
    )

    origin = origin_repo()
    repo = repo or origin or PLACEHOLDER_REPO
    branch = origin_default_branch() if origin is not None and repo == origin else None
    written = write_starter_files(config_path or Path("config.toml"),
                                  workflow_path or WORKFLOW_PATH, repo=repo,
                                  patterns=patterns, local_path=local_path, force=force,
                                  branch=branch)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo("next steps:")
    for line in next_steps(repo, origin):
        click.echo(line)


class _ProgressBar:
    """A transient progress bar of checked links (rich, on stderr)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        console = Console(stderr=True, no_color=bool(os.environ.get("NO_COLOR")))
        self._bar = Progress(TextColumn("checking links"), BarColumn(), MofNCompleteColumn(),
                             console=console, transient=True)
        self._task: TaskID | None = None

    def start(self, total: int) -> None:
        self._task = self._bar.add_task("links", total=total)
        self._bar.start()

    def advance(self, verdict: Verdict) -> None:
        if self._task is not None:
            self._bar.advance(self._task)

    def stop(self) -> None:
        self._bar.stop()


def _progress(fmt: str, output: Path | None, verbosity: Verbosity) -> _ProgressBar | None:
    """A progress bar only for a person at a terminal reading the text report."""
    wanted = (fmt == "text" and output is None and verbosity != "quiet"
              and sys.stderr.isatty())
    return _ProgressBar() if wanted and not os.environ.get("CI") else None


def _emit(report: Report, fmt: str, output: Path | None, verbosity: Verbosity) -> None:
    from listwatch.publish.report import render_parts

    _settle()

    write_output(render_parts(report, fmt, color=output is None and _color_wanted(),
                              verbosity=verbosity), output)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        _tell_actions(report, annotate=output is not None or fmt == "text")


def _tell_actions(report: Report, *, annotate: bool) -> None:
    """In GitHub Actions: annotations (when stdout is not a report format), the job
    summary, and the step outputs."""
    from listwatch.publish.github_actions import annotation_lines, output_lines, outputs
    from listwatch.publish.report import render_markdown

    if annotate:
        for line in annotation_lines(report):
            click.echo(line)
    _append_to("GITHUB_STEP_SUMMARY", render_markdown(report))
    _append_to("GITHUB_OUTPUT", output_lines(outputs(report)))


def _append_to(variable: str, text: str) -> None:
    """Append ``text`` to the file an Actions variable names (warn, do not fail)."""
    path = os.environ.get(variable)
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        click.echo(f"listwatch: warning: cannot write {variable}: {exc.strerror}", err=True)


def _color_wanted() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _settle() -> None:
    """What is alive now (the modules just imported; the finished run, about to be
    reported) stays alive until the process ends: moved out of the garbage collector's
    sight, so that its later collections, and the last one at exit, do not walk all of
    it again (tens of milliseconds each on a large run). Only for one-shot commands: a
    long-running worker must not freeze what a run leaves behind."""
    gc.freeze()


def main() -> None:
    """Console-script entry point (the process ends with the command: ``_settle``)."""
    try:
        cli(prog_name="listwatch")
    finally:
        _settle()
