"""``map_large_buffers``: glibc's mmap threshold fixed where glibc is the C library."""

from __future__ import annotations

import ctypes
import platform
import sys

import pytest

from listwatch import allocator


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                    reason="glibc only")
def test_glibc_takes_the_threshold() -> None:
    assert allocator.map_large_buffers() is True


def test_other_platforms_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocator.sys, "platform", "darwin")
    assert allocator.map_large_buffers() is False


def test_a_c_library_without_mallopt_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoMallopt:
        def __init__(self, name: object) -> None:
            pass

        def __getattr__(self, name: str) -> object:
            raise AttributeError(name)

    monkeypatch.setattr(allocator.sys, "platform", "linux")
    monkeypatch.setattr(ctypes, "CDLL", NoMallopt)
    assert allocator.map_large_buffers() is False
