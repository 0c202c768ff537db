"""Large buffers in mappings of their own, so that freeing one gives the memory back.

glibc's malloc serves an allocation of ``M_MMAP_THRESHOLD`` bytes or more (128 KiB at
first) with a mapping of its own, unmapped when freed. But once such a buffer is freed
it raises that threshold to the buffer's size (up to 32 MiB), and later large buffers
come from the heap, where each one freed leaves a hole the process keeps. A run frees
many: arXiv answers of megabytes, answer bodies, the tables of the dicts, sets and
lists that index tens of thousands of links. Fixing the threshold at glibc's own
starting value keeps every one of them in its own mapping (at 10,000 entries: about
5 MB less at the peak, for some 15,000 more page faults, fresh pages the kernel zeroes).
Other C libraries (musl, macOS) are left as they are.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Iterator
from contextlib import contextmanager

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)
LARGE_BYTES = 128 * 1024  # glibc's starting threshold
HEAP_BYTES = 32 * 1024 * 1024  # the most glibc itself would raise it to (64-bit)


def map_large_buffers(threshold: int = LARGE_BYTES) -> bool:
    """Fix malloc's mmap threshold at ``threshold`` bytes; False where that is not
    glibc's to set (another platform or C library)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, threshold))


@contextmanager
def large_buffers_mapped() -> Iterator[bool]:
    """Large buffers mapped (``map_large_buffers``) within the block; after it, served
    from the heap up to ``HEAP_BYTES``, as glibc's raised threshold would, so that what
    follows (a report written in megabyte parts) reuses the heap instead of mapping and
    faulting in fresh pages for each part. Yields whether the threshold was set."""
    mapped = map_large_buffers()
    try:
        yield mapped
    finally:
        if mapped:
            map_large_buffers(HEAP_BYTES)
