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

from shareimg.errors import SharedMemoryFailure
from shareimg.native import libc, sysv
from shareimg.wire.ring_layout import MAX_SLOTS


def create(count: int) -> int:
    """A new set of ``count`` semaphores at 0, owner-only; its id."""
    semid = libc.semget(libc.IPC_PRIVATE, count, libc.IPC_CREAT | 0o600)
    if semid == -1:
        raise SharedMemoryFailure(f"cannot create a semaphore set for {count} slot pins", _reason())
    return semid


def remove(semid: int) -> None:
    libc.semctl(semid, 0, libc.IPC_RMID)


def belongs(semid: int, count: int) -> bool:
    """True if ``semid`` is a private set of ``count`` semaphores, owner-only, of our user.

    The id comes from segment bytes that any process of the user can write: a
    wrong one must not make us count on another program's semaphores.
    """
    found = sysv.semaphore_set(semid)
    return (
        found is not None
        and found.key == 0
        and found.perms == 0o600
        and found.count == count
        and found.uid == os.geteuid()
    )


@functools.lru_cache(maxsize=2 * MAX_SLOTS)
def _operation(index: int, change: int) -> object:
    # Made once: a reader pins and unpins for every frame.
    return ctypes.byref(libc.SemBuf(index, change, libc.SEM_UNDO))


def pin(semid: int, index: int) -> bool:
    """Count one more reader of slot ``index``; False if the set is gone."""
    return libc.semop(semid, _operation(index, 1), 1) == 0


def unpin(semid: int, index: int) -> None:
    # EINVAL or EIDRM when the provider removed the set: nothing left to give back.
    libc.semop(semid, _operation(index, -1), 1)


def readers(semid: int, index: int) -> int:
    """How many readers pin slot ``index`` now."""
    value = libc.semctl(semid, index, libc.GETVAL)
    if value == -1:
        raise SharedMemoryFailure(f"the slot pins (semaphore set {semid}) are gone", _reason())
    return value


def wait_unpinned(semid: int, index: int, timeout: float) -> bool:
    """Wait (without the GIL) until nobody pins slot ``index``; False on timeout."""
    spec = libc.timespec(timeout)
    if libc.semtimedop(semid, ctypes.byref(libc.SemBuf(index, 0, 0)), 1, ctypes.byref(spec)) == 0:
        return True
    if libc.get_errno() in (errno.EAGAIN, errno.EINTR):
        return False
    raise SharedMemoryFailure(f"the slot pins (semaphore set {semid}) are gone", _reason())


def _reason() -> str:
    return libc.last_error()
