"""Memory a step freed, given back to the system.

glibc keeps what a step of hundreds of megabytes frees (the ledger's record, an export of a
million rows) in its heap, where a free page among used ones is never returned, and the next
step's peak stacks on top of it. `malloc_trim` returns those pages. Elsewhere (macOS, musl,
Windows) there is no such call and nothing is done.
"""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Callable


@functools.cache
def _trim() -> Callable[[int], int] | None:
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError, TypeError):  # no such call, or no C library to ask
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int  # int malloc_trim(size_t)
    return trim


def release() -> None:
    """Give the pages the heap holds free back to the system (a few milliseconds)."""
    trim = _trim()
    if trim is not None:
        trim(0)
