"""Wake watchers the moment a frame is committed: a futex on the trailer's ``committed`` word.

A watcher sleeps in the kernel until the provider writes ``committed`` and rings,
so it neither burns CPU nor waits for a timer.  The futex is keyed by the
shared page, not by the address, so it works across processes that map the
segment at different places, read-only ones included.  ctypes lets go of
Python's global lock while the call sleeps.  Programs that never ring (another
Qt program) are not waited on this way: the watcher polls them.
"""

from __future__ import annotations

import errno
import os

from shareimg.native import libc
from shareimg.native.copies import address
from shareimg.wire import layout

_WAKE_ALL = 0x7FFFFFFF
_LOW_WORD = 0xFFFFFFFF


def address_in(segment: memoryview) -> int:
    """Where the doorbell of ``segment`` (the low half of the trailer's ``committed``) lies in this process."""
    return address(segment) + layout.doorbell_offset(segment)


def wait(at: int, seen: int, timeout: float) -> None:
    """Sleep until the 32-bit word at address ``at`` differs from ``seen``'s low half, a ring, or ``timeout``.

    Returns at once if the word already differs.  Spurious returns are allowed:
    the caller looks again.  Without futexes (not Linux) it just sleeps.
    """
    if libc.SYS_FUTEX is None:
        os.sched_yield()
        return
    result = libc.futex(libc.SYS_FUTEX, at, libc.FUTEX_WAIT, seen & _LOW_WORD, libc.timespec(timeout), None, 0)
    if result == -1 and libc.get_errno() not in (errno.EAGAIN, errno.ETIMEDOUT, errno.EINTR):
        raise OSError(libc.get_errno(), libc.last_error())


def ring(at: int) -> None:
    """Wake every process sleeping on the 32-bit word at address ``at``."""
    if libc.SYS_FUTEX is not None:
        libc.futex(libc.SYS_FUTEX, at, libc.FUTEX_WAKE, _WAKE_ALL, None, None, 0)
