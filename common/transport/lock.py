"""The segment's lock, taken and watched without Python's global lock."""

from __future__ import annotations

import ctypes
import errno
import os
import time

from shareimg.errors import LockTimeout
from shareimg.native import libc
from shareimg.native.processes import process_running
from shareimg.transport.keys import key_file, semaphore_key_file, sysv_key
from shareimg.transport.ownership import check_key_file, check_semaphore


class SegmentLock:
    """The segment's lock -- the System V semaphore ``QSharedMemory::lock()`` uses -- taken without the GIL.

    PySide6 keeps Python's global lock while ``QSharedMemory.lock()`` and
    ``attach()`` wait, so one thread waiting for another process froze every
    thread, the GUI's included.  This takes and gives the very same semaphore
    the very same way (``semop`` -1/+1 with ``SEM_UNDO``, so a process that dies
    holding it releases it), through ctypes, which lets other threads run.
    Qt's ``attach()``, ``create()`` and ``detach()`` take the lock inside; call
    :meth:`wait_until_free` first so that they do not wait with the GIL held.

    Qt removes the semaphore and makes a new one each time a provider creates a
    segment, so the lock is given back to the semaphore it was taken from, and a
    wait on a removed semaphore starts again on the new one.  One thread at a time.

    Each semaphore is looked at once before it is used: another user's, or one
    behind another user's key file, is refused (:class:`KeyOfAnotherUser`) --
    they could hold it at 0 for ever, and root would wait as long as anyone.
    """

    def __init__(self, key: str) -> None:
        self._key = key
        self._sem_file = semaphore_key_file(key_file(key))
        self._held: int | None = None  # the semid taken
        self._checked = -1  # the semid last found to be ours

    def _semid(self) -> int | None:
        sem_key = sysv_key(self._sem_file)
        if sem_key is None:
            return None
        semid = libc.semget(sem_key, 0, 0)
        if semid == -1:
            return None
        if semid != self._checked:
            check_key_file(self._key, self._sem_file)
            check_semaphore(self._key, semid)
            self._checked = semid
        return semid

    def acquire(self, timeout: float | None = None, missing_grace: float = 0.5) -> bool:
        """Take the lock; False on timeout.

        A segment whose semaphore stays missing for ``missing_grace`` seconds (Qt
        makes a new one within microseconds) has no lock to take: True, and
        nothing is held.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        missing_since = None
        while True:
            left = 0.25 if deadline is None else min(0.25, deadline - time.monotonic())
            if left <= 0:
                return False
            semid = self._semid()
            if semid is None:
                missing_since = missing_since or time.monotonic()
                if time.monotonic() - missing_since >= missing_grace:
                    return True
                time.sleep(0.005)
                continue
            spec = libc.timespec(left)
            if libc.semtimedop(semid, ctypes.byref(libc.SemBuf(0, -1, libc.SEM_UNDO)), 1, ctypes.byref(spec)) == 0:
                self._held = semid
                return True
            failure = ctypes.get_errno()
            if failure not in (errno.EAGAIN, errno.EINTR, errno.EIDRM, errno.EINVAL):
                raise OSError(failure, os.strerror(failure))

    def release(self) -> None:
        if self._held is not None:
            # EINVAL if Qt removed that semaphore meanwhile: then there is nothing to give back.
            libc.semop(self._held, ctypes.byref(libc.SemBuf(0, 1, libc.SEM_UNDO)), 1)
            self._held = None

    def remove(self) -> None:
        """Remove the lock's semaphore (ours: checked), for a holder that is stuck.

        Qt's own calls would wait for it for ever, with Python's global lock held;
        Qt makes a new semaphore at its next lock, and the stuck holder's unlock
        finds none.
        """
        semid = self._semid()
        if semid is not None:
            libc.semctl(semid, 0, libc.IPC_RMID)
        self._held = None

    def forget(self) -> None:
        """Drop the lock without giving it back: Qt reset the semaphore (SETVAL), which gave it back."""
        self._held = None

    def wait_until_free(self, timeout: float | None = None) -> bool:
        """Return once nobody holds the lock (or there is none), without taking it; False on timeout.

        Only looking: a thread that took the lock to see it free would then need
        the GIL to give it back, which another thread of ours may hold inside
        Qt's attach() or detach(), waiting for that very lock.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while deadline is None or time.monotonic() < deadline:
            semid = self._semid()
            if semid is None or libc.semctl(semid, 0, libc.GETVAL) != 0:
                return True
            time.sleep(0.001)
        return False


def lock_holder(key: str) -> int | None:
    """The pid holding the lock of ``key`` (its semaphore at 0: the last to change it took it); None if free or absent.

    ``semval`` and ``sempid`` through ``semctl``, which Qt does not expose.
    """
    semid = SegmentLock(key)._semid()
    if semid is None or libc.semctl(semid, 0, libc.GETVAL) != 0:
        return None
    pid = libc.semctl(semid, 0, libc.GETPID)
    return pid if pid > 0 else None


def stuck(key: str, seconds: float) -> LockTimeout:
    """The error for the lock of ``key`` held longer than ``seconds``, naming its holder where one is known."""
    pid = lock_holder(key)
    held = f"held the lock of key '{key}' for more than {seconds:g} s"
    if pid is None:
        return LockTimeout(f"another process has {held}; it may be stuck: close it, or choose another key")
    if process_running(pid):
        return LockTimeout(f"process {pid} has {held}; it may be stuck: close it, or choose another key")
    return LockTimeout(f"process {pid}, which has ended, {held} and never gave it back: choose another key")
