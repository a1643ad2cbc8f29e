"""Keys: which names are usable, and where Qt puts a key's files.

Keys are Qt *legacy* keys, so that a C++ program calling
``QSharedMemory::setKey("shareimg")`` (Qt 5 or Qt 6) finds the same System V
segment.  Qt turns the key into a file in ``$TMPDIR`` (``/tmp`` when unset) and
the segment's System V key is ``ftok(that file, 'Q')``: both programs must see
the same ``$TMPDIR``.  The lock's semaphore has a key file of its own beside it.
"""

from __future__ import annotations

import ctypes
import functools
import os
import stat
import string
from pathlib import Path

from PySide6.QtCore import QNativeIpcKey, QSharedMemory

from shareimg.errors import KEY_MAX_LENGTH, InvalidKey
from shareimg.native import libc

DEFAULT_KEY = "shareimg"

_KEY_FIRST = frozenset(string.ascii_letters + string.digits)
_KEY_CHARACTERS = _KEY_FIRST | frozenset("._-")
SHM_PREFIX = "qipc_sharedmemory_"
SEM_PREFIX = "qipc_systemsem_"


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
    return [p for p in (path, semaphore_key_file(path)) if p.exists()]


def system_v_keys(key: str) -> tuple[int | None, int | None]:
    """The segment's and the lock's System V keys, unsigned as ``ipcs`` lists them; None where no key file exists."""
    path = key_file(key)
    segment, lock = sysv_key(path), sysv_key(semaphore_key_file(path))
    return (None if segment is None else segment & 0xFFFFFFFF, None if lock is None else lock & 0xFFFFFFFF)


def semaphore_key_file(shm_key_file: Path) -> Path:
    """The lock's key file beside the segment's."""
    return shm_key_file.with_name(SEM_PREFIX + shm_key_file.name.removeprefix(SHM_PREFIX))


def sysv_key(path: Path) -> int | None:
    """ftok(path, 'Q'), as Qt computes it; None if the key file does not exist."""
    value = libc.ftok(os.fsencode(path), ord("Q"))
    return None if value == -1 else ctypes.c_int32(value).value


def foreign_key_file(path: Path) -> bool:
    """Whether the key file ``path`` is another user's, or a link: then nothing under its key is touched."""
    try:
        found = path.lstat()
    except FileNotFoundError:
        return False
    return found.st_uid != os.geteuid() or stat.S_ISLNK(found.st_mode)


def remove_key_file(path: Path) -> bool:
    """Remove the key file ``path`` if it is there and ours (never another user's, never a link); True if removed."""
    if foreign_key_file(path):
        return False
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
