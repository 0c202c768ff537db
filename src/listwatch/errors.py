"""The error hierarchy: what the CLI turns into one clear line.

Every error a user can cause (bad config, a missing file, a bad flag) is a
``ListwatchError`` whose message says what and where, on one line, without a
traceback and without secrets. ``exit_code`` is what the CLI exits with.
"""

from __future__ import annotations


class ListwatchError(Exception):
    """Base class; ``str(err)`` is the one-line message shown to the user."""

    exit_code = 2


class InputError(ListwatchError):
    """A file or path given by the user cannot be read as a list."""


class ConfigError(ListwatchError):
    """config.toml is missing, malformed, or has a bad key or value."""


class ServiceError(ListwatchError):
    """A remote service failed in a way that stops the run (not per-link failures)."""

    exit_code = 3
