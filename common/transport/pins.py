"""Pins on the slots of a ring: one System V semaphore per slot, counting its readers.

A reader adds 1 to its slot's semaphore before it reads and takes it back
after; the provider claims only slots whose count is 0 (and writes a claimed
one once).  Every pin is taken with ``SEM_UNDO``, so the kernel gives back the
pins of a process that dies, even under SIGKILL: a crashed reader never keeps
a slot.

The set's System V key is derived from the segment's key file's name (its
path: the key and ``$TMPDIR``), never from the file itself, so it is found from
the key at every moment: a provider killed between making the set and naming it
in the ring header, or whose segment and key file Qt removed when its last
reader detached, leaves nothing that the next one to reclaim the key cannot
find.  (A private set, ``IPC_PRIVATE``, as providers made them before, was named
only by the header, in the segment: either way it was orphaned for good.)  The
ring header names the set by its id, and readers check that the set named is
one of their own user's, of the ring's size and under the ring's key (or
private), before touching it.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import zlib
from pathlib import Path

from shareimg.errors import KeyOfAnotherUser, SharedMemoryFailure
from shareimg.native import libc, sysv
from shareimg.wire.ring_layout import MAX_SLOTS


def pins_key(shm_key_file: Path) -> int:
    """The System V key of the pins of the ring under the segment's key file (signed, as /proc lists keys).

    A CRC-32 of the file's path: no file is needed, and a program choosing keys
    its own way meets one of these about once in four billion keys.
    """
    value = zlib.crc32(b"shareimg pins " + os.fsencode(shm_key_file)) or 1  # never 0: IPC_PRIVATE
    return ctypes.c_int32(value).value


def create(shm_key_file: Path, key_name: str, count: int) -> int:
    """A new set of ``count`` semaphores at 0, owner-only, under the key file's pins key; its id.

    Called by the provider that has just created the segment under that key
    file, holding the key's lock: a set already there is what a provider
    killed before it could remove its pins left (a live provider's set lives
    no longer than its segment, which is now ours), and is replaced.  Another
    user's is refused.
    """
    system_v_key = pins_key(shm_key_file)
    for _ in range(2):
        semid = libc.semget(system_v_key, count, libc.IPC_CREAT | libc.IPC_EXCL | 0o600)
        if semid != -1:
            return semid
        if libc.get_errno() != errno.EEXIST:
            break
        remove_under(shm_key_file, key_name)
    raise SharedMemoryFailure(f"cannot create a semaphore set for {count} slot pins", _reason())


def remove(semid: int) -> None:
    libc.semctl(semid, 0, libc.IPC_RMID)


def remove_under(shm_key_file: Path, key: str) -> bool:
    """Remove the pins under the key file's pins key, if any (True); :class:`KeyOfAnotherUser` if not ours.

    Only while no segment is under the key, or while removing it: a live provider's set lives no
    longer than its segment.
    """
    found = sysv.semaphore_set_under(pins_key(shm_key_file))
    if found is None:
        return False
    if found.uid != os.geteuid():
        raise KeyOfAnotherUser(key, found.uid)
    remove(found.semid)
    return True


def belongs(semid: int, count: int, key: int) -> bool:
    """True if ``semid`` is a set of ``count`` semaphores, owner-only, of our user, under ``key`` (or private).

    The id comes from segment bytes that any process of the user can write: a
    wrong one must not make us count on another program's semaphores.  A
    private set is what providers made before the pins had a key.
    """
    found = sysv.semaphore_set(semid)
    return (
        found is not None
        and found.key in (0, key)
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
