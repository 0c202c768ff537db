"""Shared pytest configuration."""

# The simulated internet (tests/world/): fixtures `world`, `world_inprocess`, `world_proxy`.
pytest_plugins = ["tests.world.fixtures" if __package__ else "world.fixtures"]
