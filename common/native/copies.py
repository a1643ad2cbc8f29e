"""Copy large buffers without holding Python's global lock.

A slice assignment between memoryviews copies while holding the GIL, and the
first write into a new segment also takes the page faults of its whole size:
a 100 MB image froze a window for a third of a second.  ctypes.memmove lets
other threads, the GUI's among them, run meanwhile.
"""

from __future__ import annotations

import ctypes
import functools
import mmap
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, SupportsInt, cast

from shiboken6 import VoidPtr

from shareimg.native import libc

if TYPE_CHECKING:
    from typing_extensions import Buffer

    class _Kept(ctypes.Array[ctypes.c_ubyte]):
        """What _holder() makes: bytes at an address, and ``owner``, whose memory they are."""

        owner: object


def copy(target: memoryview, source: Buffer) -> None:
    """``target[:len(source)] = source`` for contiguous byte buffers, without the GIL."""
    if target.readonly:
        raise BufferError("cannot copy into a read-only buffer")
    copy_to(address(target), target.nbytes, source)


def copy_to(at: int, capacity: int, source: Buffer) -> None:
    """Copy the contiguous bytes of ``source`` to address ``at``, which holds ``capacity``, without the GIL."""
    view = memoryview(source)
    if view.nbytes > capacity:
        raise ValueError(f"cannot copy {view.nbytes} bytes into {capacity}")
    ctypes.memmove(at, address(view), view.nbytes)


_PAGE = mmap.PAGESIZE
_HUGE_FROM = 4 << 20


def copied(source: Buffer) -> memoryview:
    """A copy of the contiguous bytes of ``source``, made without the GIL, as a writable view.

    If the program uses numpy, numpy makes it: its copy loop is the one other
    readers use, and it is faster than glibc's memmove for frames
    (docs/performance.md); numpy is not imported for this.  Otherwise the
    memory is not cleared first (``bytearray(n)`` would write it all once
    more): the copy fills it.  Large
    copies ask for huge pages, as numpy's arrays do: the kernel then maps frames
    reused from freed memory with far fewer pages.
    """
    view = memoryview(source)
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        return memoryview(numpy.frombuffer(view, numpy.uint8).copy())  # numpy lets go of the GIL as it copies
    nbytes = view.nbytes
    target = memoryview(libc.uninitialised_bytearray(None, nbytes))
    at = address(target)
    if nbytes >= _HUGE_FROM:
        start = -(-at // _PAGE) * _PAGE  # whole pages only; an advice is only advice
        libc.madvise(start, (at + nbytes - start) // _PAGE * _PAGE, libc.MADV_HUGEPAGE)
    ctypes.memmove(at, address(view), nbytes)
    return target


# shiboken's stub knows only VoidPtr(int); it takes any buffer too, and converts to int.
_void_ptr = cast("Callable[[Buffer], SupportsInt]", VoidPtr)


def address(view: Buffer) -> int:
    """Where a C-contiguous buffer's bytes start in this process (read-only buffers included).

    shiboken's VoidPtr asks for the buffer in C; the same through
    ``ctypes.pythonapi`` costs several times more, on every frame.
    """
    return int(_void_ptr(view))


@functools.lru_cache(maxsize=16)
def _holder(nbytes: int) -> type[_Kept]:
    # A subclass, unlike the ctypes array type itself, takes an attribute: the owner.
    return cast("type[_Kept]", type("Kept", (ctypes.c_ubyte * nbytes,), {}))


def kept(owner: object, at: int, nbytes: int, readonly: bool = False) -> memoryview:
    """The ``nbytes`` at address ``at`` as a buffer that keeps ``owner``, whose memory they are, alive.

    Arrays and images made from it hold it, so the memory (a QImage's pixels, a
    mapped segment) outlives every one of them, however long they are kept.
    ``readonly`` for memory mapped read-only: a write would crash the process.
    """
    holder = _holder(nbytes).from_address(at)
    holder.owner = owner
    view = memoryview(holder).cast("B")
    return view.toreadonly() if readonly else view
