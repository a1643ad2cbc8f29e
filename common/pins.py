"""Pins on the slots of a ring: one System V semaphore per slot, counting its readers.

A reader adds 1 to its slot's semaphore before it reads and takes it back
after; the provider claims only slots whose count is 0 (and writes a claimed
one once).  Every pin is taken with ``SEM_UNDO``, so the kernel gives back the
pins of a process that dies, even under SIGKILL: a crashed reader never keeps
a slot.  The set is private (``IPC_PRIVATE``); the ring header names it, and
readers check that the set named is one of their own user's, of the ring's
size, before touching it.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os

from .channel import _GETVAL, _SEM_UNDO, _libc, _SemBuf, _TimeSpec
from .errors import SharedMemoryFailure

MAX_SLOTS = 64
_IPC_PRIVATE, _IPC_CREAT, _IPC_RMID = 0, 0o1000, 0


def create(count: int) -> int:
    """A new set of ``count`` semaphores at 0, owner-only; its id."""
    semid = _libc.semget(_IPC_PRIVATE, count, _IPC_CREAT | 0o600)
    if semid == -1:
        raise SharedMemoryFailure(f"cannot create a semaphore set for {count} slot pins", _reason())
    return semid


def remove(semid: int) -> None:
    _libc.semctl(semid, 0, _IPC_RMID)


def belongs(semid: int, count: int) -> bool:
    """True if ``semid`` is a private set of ``count`` semaphores, owner-only, of our user.

    The id comes from segment bytes that any process of the user can write: a
    wrong one must not make us count on another program's semaphores.
    """
    with open("/proc/sysvipc/sem") as table:
        next(table)
        for line in table:
            key, ident, perms, nsems, uid = line.split()[:5]
            if int(ident) == semid:
                return int(key) == 0 and int(perms, 8) == 0o600 and int(nsems) == count and int(uid) == os.geteuid()
    return False


@functools.lru_cache(maxsize=2 * MAX_SLOTS)
def _operation(index: int, change: int) -> object:
    # Made once: a reader pins and unpins for every frame.
    return ctypes.byref(_SemBuf(index, change, _SEM_UNDO))


def pin(semid: int, index: int) -> bool:
    """Count one more reader of slot ``index``; False if the set is gone."""
    return _libc.semop(semid, _operation(index, 1), 1) == 0


def unpin(semid: int, index: int) -> None:
    # EINVAL or EIDRM when the provider removed the set: nothing left to give back.
    _libc.semop(semid, _operation(index, -1), 1)


def readers(semid: int, index: int) -> int:
    """How many readers pin slot ``index`` now."""
    value = _libc.semctl(semid, index, _GETVAL)
    if value == -1:
        raise SharedMemoryFailure(f"the slot pins (semaphore set {semid}) are gone", _reason())
    return value


def wait_unpinned(semid: int, index: int, timeout: float) -> bool:
    """Wait (without the GIL) until nobody pins slot ``index``; False on timeout."""
    spec = _TimeSpec(int(timeout), int((timeout % 1) * 1e9))
    if _libc.semtimedop(semid, ctypes.byref(_SemBuf(index, 0, 0)), 1, ctypes.byref(spec)) == 0:
        return True
    if ctypes.get_errno() in (errno.EAGAIN, errno.EINTR):
        return False
    raise SharedMemoryFailure(f"the slot pins (semaphore set {semid}) are gone", _reason())


def _reason() -> str:
    return os.strerror(ctypes.get_errno())
