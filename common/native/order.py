"""Ordered loads and stores on shared memory: what a frame's commit and its readers need.

A reader in another process must never see a commit before the pixels it
commits.  Python cannot say so itself: struct and memoryview copy bytes with
memcpy, which an aarch64 processor may make visible in any order, and
``struct.pack_into`` even writes a field as two stores (zeros, then the
value), so a reader can see 0 in between.  These calls go through
shareimg/native/order.c, built with the package: one C11 atomic each, which
is a plain ``mov`` on x86-64 (its stores are seen in order anyway) and
``stlr``/``ldar``/``dmb`` on aarch64.  docs/PROTOCOL.md says which field
takes which.

The functions are bound once, as PYFUNCTYPE: each is two instructions, too
short to be worth letting go of the GIL around it, which a CFUNCTYPE would do.
"""

from __future__ import annotations

import ctypes
import importlib.machinery
from collections.abc import Callable
from pathlib import Path


def _library_path() -> Path:
    here = Path(__file__).parent
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = here / f"_order{suffix}"
        if path.exists():
            return path
    raise ImportError(f"shareimg's memory-order helper (_order*.so) is not built in {here}: reinstall shareimg")


_library = ctypes.CDLL(str(_library_path()))

#: ``store_release(address, value)``: one 8-byte store of ``value`` at ``address`` (8-aligned), made
#: visible only after every load and store before it in this thread: the release a commit needs.
store_release: Callable[[int, int], None] = ctypes.PYFUNCTYPE(None, ctypes.c_void_p, ctypes.c_uint64)(
    ("store_release_u64", _library)
)

#: ``load_acquire(address)``: one 8-byte load at ``address`` (8-aligned); every load and store after
#: it in this thread happens after it: a reader that sees a commit then sees what it commits.
load_acquire: Callable[[int], int] = ctypes.PYFUNCTYPE(ctypes.c_uint64, ctypes.c_void_p)(("load_acquire_u64", _library))

#: ``fence_release()``: loads and stores before it are ordered before the stores after it.  For bytes
#: written with plain copies that a reader finds by other plain bytes (a trailer after a ring's header).
fence_release: Callable[[], None] = ctypes.PYFUNCTYPE(None)(("fence_release", _library))

#: ``fence_acquire()``: loads before it are ordered before the loads and stores after it.  The
#: reader's half of :func:`fence_release`, and a seqlock's before it reads the generation again.
fence_acquire: Callable[[], None] = ctypes.PYFUNCTYPE(None)(("fence_acquire", _library))
