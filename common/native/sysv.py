"""System V IPC objects as Linux lists them in /proc/sysvipc, and a segment mapped by its id."""

from __future__ import annotations

import ctypes
import errno
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from shareimg.native import libc


@dataclass(frozen=True)
class SemaphoreSet:
    key: int
    semid: int
    perms: int
    count: int
    uid: int
    creator_uid: int


def semaphore_set(semid: int) -> SemaphoreSet | None:
    """The semaphore set ``semid`` as /proc/sysvipc/sem lists it; None if there is none."""
    return next((found for found in _semaphore_sets() if found.semid == semid), None)


def semaphore_set_under(key: int) -> SemaphoreSet | None:
    """The semaphore set under System V key ``key`` (signed, as ftok gives it); None if there is none.

    Unlike ``semget``, this finds another user's owner-only set too.
    """
    return next((found for found in _semaphore_sets() if found.key == key), None)


def _semaphore_sets() -> Iterator[SemaphoreSet]:
    with open("/proc/sysvipc/sem") as table:
        next(table)
        for line in table:
            key, ident, perms, nsems, uid, _, cuid = line.split()[:7]
            yield SemaphoreSet(int(key), int(ident), int(perms, 8), int(nsems), int(uid), int(cuid))


def semaphore_owners(semid: int) -> tuple[int, int] | None:
    """The owner's and the creator's uid of the semaphore set ``semid``; None if there is none.

    ``IPC_STAT`` (one call) where we may read the set, else /proc/sysvipc, which lists every set:
    another user's private set is closed to ``IPC_STAT`` but not to root.
    """
    found = libc.IpcStat()
    if libc.semctl_stat(semid, 0, libc.IPC_STAT, ctypes.byref(found)) == 0:
        return found.perm.uid, found.perm.cuid
    if ctypes.get_errno() != errno.EACCES:
        return None  # removed meanwhile
    listed = semaphore_set(semid)
    return None if listed is None else (listed.uid, listed.creator_uid)


@dataclass(frozen=True)
class SegmentEntry:
    shmid: int
    size: int
    attached: int
    creator_pid: int
    owner_uid: int
    creator_uid: int


def segment_entry(sysv_key: int) -> SegmentEntry | None:
    """The segment under System V key ``sysv_key`` as /proc/sysvipc/shm lists it; None if there is none."""
    with open("/proc/sysvipc/shm") as table:
        next(table)
        for line in table:
            fields = line.split()
            if int(fields[0]) == sysv_key:
                shmid, size, attached, pid, uid, cuid = (int(fields[i]) for i in (1, 3, 6, 4, 7, 9))
                return SegmentEntry(shmid, size, attached, pid, uid, cuid)
    return None


@contextmanager
def mapped(shmid: int, size: int) -> Iterator[memoryview | None]:
    """The segment ``shmid``, mapped read-only while the block runs; None if it cannot be (removed, another user's).

    ``shmat`` by id takes no lock.  Keep nothing that views it: it is unmapped at the end of the block.
    """
    address = libc.shmat(shmid, None, libc.SHM_RDONLY)
    if address in (None, libc.SHMAT_FAILED):
        yield None
        return
    view = memoryview((ctypes.c_char * size).from_address(address)).cast("B")
    try:
        yield view
    finally:
        try:
            view.release()
        except BufferError:
            return  # something still views it: better a mapping kept than a crash
        libc.shmdt(address)
