"""Wake watchers the moment a frame is committed: a futex on the trailer's ``committed`` word.

A watcher sleeps in the kernel until the provider writes ``committed`` and rings,
so it neither burns CPU nor waits for a timer.  The futex is keyed by the
shared page, not by the address, so it works across processes that map the
segment at different places, read-only ones included.  ctypes lets go of
Python's global lock while the call sleeps.  Programs that never ring (another
Qt program) are not waited on this way: the watcher polls them.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform

from shareimg.native.copies import address
from shareimg.wire import layout

_SYS_FUTEX = {"x86_64": 202, "aarch64": 98, "arm64": 98, "riscv64": 98, "ppc64le": 221, "s390x": 238}
_FUTEX_WAIT, _FUTEX_WAKE = 0, 1  # shared between processes: not the _PRIVATE variants
_WAKE_ALL = 0x7FFFFFFF
_LOW_WORD = 0xFFFFFFFF

_number = _SYS_FUTEX.get(platform.machine())


class _TimeSpec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


# syscall(SYS_futex, address, operation, value, timeout, address2, value3), its arguments declared
# once: ctypes then converts them in C, which a frame's ring and wake-up pay on every frame.
_futex = ctypes.CFUNCTYPE(
    ctypes.c_long,
    ctypes.c_long,
    ctypes.c_void_p,
    ctypes.c_int,
    ctypes.c_uint,
    ctypes.POINTER(_TimeSpec),
    ctypes.c_void_p,
    ctypes.c_int,
    use_errno=True,
)(("syscall", ctypes.CDLL(None)))


def address_in(segment: memoryview) -> int:
    """Where the doorbell of ``segment`` (the low half of the trailer's ``committed``) lies in this process."""
    return address(segment) + layout.doorbell_offset(segment)


def wait(at: int, seen: int, timeout: float) -> None:
    """Sleep until the 32-bit word at address ``at`` differs from ``seen``'s low half, a ring, or ``timeout``.

    Returns at once if the word already differs.  Spurious returns are allowed:
    the caller looks again.  Without futexes (not Linux) it just sleeps.
    """
    if _number is None:
        os.sched_yield()
        return
    spec = _TimeSpec(int(timeout), int((timeout % 1) * 1e9))
    result = _futex(_number, at, _FUTEX_WAIT, seen & _LOW_WORD, spec, None, 0)
    if result == -1 and ctypes.get_errno() not in (errno.EAGAIN, errno.ETIMEDOUT, errno.EINTR):
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))


def ring(at: int) -> None:
    """Wake every process sleeping on the 32-bit word at address ``at``."""
    if _number is not None:
        _futex(_number, at, _FUTEX_WAKE, _WAKE_ALL, None, None, 0)
