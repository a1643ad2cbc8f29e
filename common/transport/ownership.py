"""Whose a key is: its key files in ``$TMPDIR``, its lock's semaphore and its segment must all be ours.

``$TMPDIR`` is shared, so another local user can make a key's files first --
and, behind the lock's file, a semaphore at 0 that they never give back.  Qt
would use them as it finds them, and wait for that lock for ever; root would
even remove the other user's files when it stops.  So, before a key is used,
everything under it is looked at (``lstat``, ``IPC_STAT``): what is not ours is
refused at once, and never used, removed or followed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from shareimg.errors import KeyFileIsALink, KeyOfAnotherUser
from shareimg.native import libc, sysv
from shareimg.transport.keys import key_file, semaphore_key_file, sysv_key
from shareimg.transport.segment import SegmentStatus, segment_status


def owned_status(key: str) -> SegmentStatus | None:
    """The segment under ``key`` (None if there is none), once everything under the key is found to be ours.

    Raises :class:`KeyOfAnotherUser` for another user's key file, semaphore or
    segment, and :class:`KeyFileIsALink` for a link of our own where a key file goes.
    """
    shm_file = key_file(key)
    sem_file = semaphore_key_file(shm_file)
    for path in (shm_file, sem_file):
        check_key_file(key, path)
    sem_key = sysv_key(sem_file)
    if sem_key is not None:
        semid = libc.semget(sem_key, 0, 0)
        if semid != -1:
            check_semaphore(key, semid)
    status = segment_status(key)
    if status is not None:
        status.check_owner(key)
    return status


def check_key_file(key: str, path: Path) -> None:
    """Refuse a key file that is another user's, or a link (followed, it would lead anywhere)."""
    try:
        found = path.lstat()
    except FileNotFoundError:
        return
    if found.st_uid != os.geteuid():
        raise KeyOfAnotherUser(key, found.st_uid, str(path) if stat.S_ISLNK(found.st_mode) else None)
    if stat.S_ISLNK(found.st_mode):
        raise KeyFileIsALink(key, str(path))


def check_semaphore(key: str, semid: int) -> None:
    """Refuse the semaphore set ``semid`` if another user owns or created it (root too: it passes every check)."""
    owners = sysv.semaphore_owners(semid)
    foreign = [uid for uid in owners or () if uid != os.geteuid()]
    if foreign:
        raise KeyOfAnotherUser(key, foreign[0])
