"""Shared pytest configuration."""

import os

from hypothesis import settings

# The simulated internet (tests/world/): fixtures `world`, `world_inprocess`, `world_proxy`.
pytest_plugins = ["tests.world.fixtures" if __package__ else "world.fixtures"]

# In CI, property tests run the same examples every time, so a submission's result
# does not depend on the draw; locally they explore new examples on each run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
