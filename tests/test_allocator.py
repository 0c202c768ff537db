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


def test_after_the_block_large_buffers_come_from_the_heap(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    calls: list[int] = []

    def mallopt(threshold: int = allocator.LARGE_BYTES) -> bool:
        calls.append(threshold)
        return True

    monkeypatch.setattr(allocator, "map_large_buffers", mallopt)
    with pytest.raises(RuntimeError), allocator.large_buffers_mapped() as mapped:
        assert mapped is True
        assert calls == [allocator.LARGE_BYTES]
        raise RuntimeError("the block failed")
    assert calls == [allocator.LARGE_BYTES, allocator.HEAP_BYTES]


def test_elsewhere_the_block_runs_with_nothing_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocator.sys, "platform", "darwin")
    with allocator.large_buffers_mapped() as mapped:
        assert mapped is False
