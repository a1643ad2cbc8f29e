"""The segment under a key: naming it, and the System V facts Qt does not expose.

Keys are Qt *legacy* keys, so that a C++ program calling
``QSharedMemory::setKey("shareimg")`` (Qt 5 or Qt 6) finds the same System V
segment.  Qt turns the key into a file in ``$TMPDIR`` (``/tmp`` when unset) and
the segment's System V key is ``ftok(that file, 'Q')``: both programs must see
the same ``$TMPDIR``.

Qt can attach to, create and lock a segment, but cannot say how many processes
are attached to it, nor remove one that others still map.  A provider needs
both, to reclaim what a crashed provider left and to move to a larger segment
while consumers read, so this module asks Linux directly.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import string
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QNativeIpcKey, QSharedMemory

from .errors import KEY_MAX_LENGTH, InvalidKey, KeyOfAnotherUser

DEFAULT_KEY = "shareimg"

_KEY_FIRST = frozenset(string.ascii_letters + string.digits)
_KEY_CHARACTERS = _KEY_FIRST | frozenset("._-")
_SHM_PREFIX = "qipc_sharedmemory_"
_SEM_PREFIX = "qipc_systemsem_"
_IPC_RMID = 0

_libc = ctypes.CDLL(None, use_errno=True)


def validate_key(key: str) -> str:
    """Return ``key`` if it is usable, else raise :class:`InvalidKey` saying why."""
    key = key or ""
    if not key:
        raise InvalidKey(key, InvalidKey.EMPTY)
    if len(key) > KEY_MAX_LENGTH:
        raise InvalidKey(key, InvalidKey.TOO_LONG)
    refused = next((character for character in key if character not in _KEY_CHARACTERS), None)
    if refused is not None:
        raise InvalidKey(key, InvalidKey.CHARACTER, refused)
    if key[0] not in _KEY_FIRST:
        raise InvalidKey(key, InvalidKey.FIRST, key[0])
    return key


def native_key(key: str) -> QNativeIpcKey:
    return QSharedMemory.legacyNativeKey(validate_key(key))


def key_file(key: str) -> Path:
    """The file in ``$TMPDIR`` whose inode names the segment."""
    return _key_file(key, os.environ.get("TMPDIR"))


@functools.lru_cache(maxsize=64)
def _key_file(key: str, tmpdir: str | None) -> Path:
    # Watchers ask several times a second; Qt derives the name from the key and $TMPDIR only.
    return Path(native_key(key).nativeKey())


def key_files(key: str) -> list[Path]:
    """The segment's and the lock's key files of ``key`` that exist now."""
    path = key_file(key)
    return [p for p in (path, _semaphore_key_file(path)) if p.exists()]


def system_v_keys(key: str) -> tuple[int | None, int | None]:
    """The segment's and the lock's System V keys, unsigned as ``ipcs`` lists them; None where no key file exists."""
    path = key_file(key)
    keys = (_sysv_key(path), _sysv_key(_semaphore_key_file(path)))
    return tuple(None if value is None else value & 0xFFFFFFFF for value in keys)


def _semaphore_key_file(shm_key_file: Path) -> Path:
    return shm_key_file.with_name(_SEM_PREFIX + shm_key_file.name.removeprefix(_SHM_PREFIX))


def _sysv_key(path: Path) -> int | None:
    """ftok(path, 'Q'), as Qt computes it; None if the key file does not exist."""
    value = _libc.ftok(os.fsencode(path), ord("Q"))
    return None if value == -1 else ctypes.c_int32(value).value


@dataclass(frozen=True)
class SegmentStatus:
    shmid: int
    size: int
    attached: int
    creator_pid: int
    owner_uid: int

    def check_owner(self, key: str) -> None:
        """Raise :class:`KeyOfAnotherUser` if the segment (under ``key``) belongs to another user.

        Segments are owner-only (0600): another user's can be neither read nor
        replaced, and saying so beats Qt's "permission denied" deep in a call.
        """
        if self.owner_uid != os.geteuid():
            raise KeyOfAnotherUser(key, self.owner_uid)


def segment_status(key: str) -> SegmentStatus | None:
    """What Linux knows of the segment under ``key``, or None if there is none."""
    return _status(key_file(key))


def _status(shm_key_file: Path) -> SegmentStatus | None:
    sysv_key = _sysv_key(shm_key_file)
    if sysv_key is None:
        return None
    with open("/proc/sysvipc/shm") as table:
        next(table)
        for line in table:
            fields = line.split()
            if int(fields[0]) == sysv_key:
                return SegmentStatus(int(fields[1]), int(fields[3]), int(fields[6]), int(fields[4]), int(fields[7]))
    return None


def _semaphore_owner(semid: int) -> int | None:
    with open("/proc/sysvipc/sem") as table:
        next(table)
        for line in table:
            fields = line.split()
            if int(fields[1]) == semid:
                return int(fields[4])
    return None


def remove_segment(shmid: int) -> None:
    """Mark a segment for removal; processes that map it keep their mapping.

    Linux frees the key at once, so a new segment can be created under it.
    """
    _libc.shmctl(shmid, _IPC_RMID, None)


def process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reclaim(key: str) -> bool:
    """Remove what a crashed program left under ``key``: segment, semaphore, key files.

    Does nothing while any process is attached, nor to another user's segment.
    Returns True if anything was removed.
    """
    return _reclaim(key_file(key))


def sweep(prefix: str) -> int:
    """Reclaim every key whose key file in ``$TMPDIR`` starts with ``prefix``'s letters.

    Keys reach the file name only through their letters, so ``prefix`` should be
    distinctive.  Returns how many keys were reclaimed.
    """
    tmp = key_file(DEFAULT_KEY).parent
    letters = "".join(c for c in prefix if c.isalpha())
    names = {p.name.removeprefix(_SEM_PREFIX) for p in tmp.glob(f"{_SEM_PREFIX}{letters}*")}
    names |= {p.name.removeprefix(_SHM_PREFIX) for p in tmp.glob(f"{_SHM_PREFIX}{letters}*")}
    return sum(_reclaim(tmp / (_SHM_PREFIX + name)) for name in sorted(names))


def _reclaim(shm_key_file: Path) -> bool:
    status = _status(shm_key_file)
    if status is not None and (status.attached > 0 or status.owner_uid != os.geteuid()):
        return False
    removed = False
    if status is not None:
        _remove_ring_pins(status)
        remove_segment(status.shmid)
        removed = True
    sem_file = _semaphore_key_file(shm_key_file)
    sem_key = _sysv_key(sem_file)
    if sem_key is not None:
        semid = _libc.semget(sem_key, 0, 0)
        if semid != -1:
            _libc.semctl(semid, 0, _IPC_RMID)
            removed = True
    for path in (shm_key_file, sem_file):
        try:
            path.unlink()
            removed = True
        except FileNotFoundError:
            pass
    return removed


_SHM_RDONLY = 0o10000
_libc.shmat.restype = ctypes.c_void_p
_libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
_libc.shmdt.argtypes = [ctypes.c_void_p]


def _remove_ring_pins(status: SegmentStatus) -> None:
    """A raw ring's pins are a semaphore set of their own, named only inside the segment: look there."""
    from .ring import remove_pins  # the ring's module builds on this one

    address = _libc.shmat(status.shmid, None, _SHM_RDONLY)
    if address in (None, ctypes.c_void_p(-1).value):
        return
    try:
        remove_pins(memoryview((ctypes.c_char * status.size).from_address(address)).cast("B"))
    finally:
        _libc.shmdt(address)


class _SemBuf(ctypes.Structure):
    _fields_ = [("sem_num", ctypes.c_ushort), ("sem_op", ctypes.c_short), ("sem_flg", ctypes.c_short)]


class _TimeSpec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


_SEM_UNDO = 0x1000
_GETVAL = 12
_libc.semtimedop.argtypes = [ctypes.c_int, ctypes.POINTER(_SemBuf), ctypes.c_size_t, ctypes.POINTER(_TimeSpec)]
_libc.semop.argtypes = [ctypes.c_int, ctypes.POINTER(_SemBuf), ctypes.c_size_t]


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
    """

    def __init__(self, key: str) -> None:
        self._key = key
        self._sem_file = _semaphore_key_file(key_file(key))
        self._held: int | None = None  # the semid taken

    def _semid(self) -> int | None:
        sem_key = _sysv_key(self._sem_file)
        if sem_key is None:
            return None
        semid = _libc.semget(sem_key, 0, 0)
        return None if semid == -1 else semid

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
            spec = _TimeSpec(int(left), int((left % 1) * 1e9))
            if _libc.semtimedop(semid, ctypes.byref(_SemBuf(0, -1, _SEM_UNDO)), 1, ctypes.byref(spec)) == 0:
                self._held = semid
                return True
            failure = ctypes.get_errno()
            if failure == errno.EACCES:
                owner = _semaphore_owner(semid)
                if owner is not None and owner != os.geteuid():
                    raise KeyOfAnotherUser(self._key, owner)
            if failure not in (errno.EAGAIN, errno.EINTR, errno.EIDRM, errno.EINVAL):
                raise OSError(failure, os.strerror(failure))

    def release(self) -> None:
        if self._held is not None:
            # EINVAL if Qt removed that semaphore meanwhile: then there is nothing to give back.
            _libc.semop(self._held, ctypes.byref(_SemBuf(0, 1, _SEM_UNDO)), 1)
            self._held = None

    def forget(self) -> None:
        """Drop the lock without giving it back: Qt reset the semaphore (SETVAL), which gave it back."""
        self._held = None

    def wait_until_free(self, timeout: float | None = None) -> None:
        """Return once nobody holds the lock (or there is none), without taking it.

        Only looking: a thread that took the lock to see it free would then need
        the GIL to give it back, which another thread of ours may hold inside
        Qt's attach() or detach(), waiting for that very lock.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while deadline is None or time.monotonic() < deadline:
            semid = self._semid()
            if semid is None or _libc.semctl(semid, 0, _GETVAL) != 0:
                return
            time.sleep(0.001)


_GETPID = 11


def lock_holder(key: str) -> int | None:
    """The pid holding the lock of ``key`` (its semaphore at 0: the last to change it took it); None if free or absent.

    ``semval`` and ``sempid`` through ``semctl``, which Qt does not expose.
    """
    semid = SegmentLock(key)._semid()
    if semid is None or _libc.semctl(semid, 0, _GETVAL) != 0:
        return None
    pid = _libc.semctl(semid, 0, _GETPID)
    return pid if pid > 0 else None
