"""The simulated internet for end-to-end tests (see README.md beside this file)."""

from .model import DEFAULT_TOKEN, HostBuilder, RepoBuilder, RequestRecord, World

__all__ = ["DEFAULT_TOKEN", "HostBuilder", "RepoBuilder", "RequestRecord", "World"]
