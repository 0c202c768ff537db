"""The error hierarchy and how the CLI shows each kind."""

from __future__ import annotations

import click
from click.testing import CliRunner

from listwatch import errors
from listwatch.cli import friendly_errors
from listwatch.markdown import EditConflict


def test_hierarchy() -> None:
    for kind in (errors.GitHubError, errors.ArxivError, errors.DblpError,
                 errors.SemanticScholarError, errors.WaybackError, errors.RateLimited):
        assert issubclass(kind, errors.ServiceError) and kind.exit_code == 3
    assert issubclass(errors.GitHubRateLimited, errors.GitHubError)
    assert issubclass(errors.GitHubRateLimited, errors.RateLimited)
    assert errors.InputError.exit_code == errors.ConfigError.exit_code == 2
    assert not issubclass(errors.InternalError, errors.ListwatchError)
    assert issubclass(EditConflict, errors.InternalError)


def _command(exc: BaseException) -> click.Command:
    @click.command()
    @friendly_errors
    def command() -> None:
        raise exc

    return command


def test_internal_error_is_one_line_and_exit_70() -> None:
    result = CliRunner().invoke(_command(EditConflict("list.md:3:1: overlapping edits")))
    assert result.exit_code == 70
    assert result.output == ("listwatch: internal error: list.md:3:1: overlapping edits; "
                             "please report it\n")


def test_service_error_is_exit_3() -> None:
    result = CliRunner().invoke(_command(errors.DblpError("dblp.org: HTTP 503")))
    assert result.exit_code == 3
    assert result.output == "listwatch: error: dblp.org: HTTP 503\n"
