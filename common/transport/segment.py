"""The segment under a key: the System V facts Qt does not expose, and clearing what a crash left.

Qt can attach to, create and lock a segment, but cannot say how many processes
are attached to it, nor remove one that others still map.  A provider needs
both, to reclaim what a crashed provider left and to move to a larger segment
while consumers read, so this module asks Linux directly.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from shareimg.errors import KeyOfAnotherUser
from shareimg.native import libc, sysv
from shareimg.transport import pins
from shareimg.transport.keys import (
    DEFAULT_KEY,
    SEM_PREFIX,
    SHM_PREFIX,
    foreign_key_file,
    key_file,
    remove_key_file,
    semaphore_key_file,
    sysv_key,
)
from shareimg.transport.ring import remove_pins


@dataclass(frozen=True)
class SegmentStatus(sysv.SegmentEntry):
    """The segment under a key, as /proc/sysvipc lists it."""

    def check_owner(self, key: str) -> None:
        """Raise :class:`KeyOfAnotherUser` if the segment (under ``key``) belongs to, or was made by, another user.

        Segments are owner-only (0600): another user's can be neither read nor
        replaced, and saying so beats Qt's "permission denied" deep in a call.
        Root passes every permission check, so the owner is looked at for root too.
        """
        for uid in (self.owner_uid, self.creator_uid):
            if uid != os.geteuid():
                raise KeyOfAnotherUser(key, uid)


def segment_status(key: str) -> SegmentStatus | None:
    """What Linux knows of the segment under ``key``, or None if there is none."""
    return _status(key_file(key))


def _status(shm_key_file: Path) -> SegmentStatus | None:
    key = sysv_key(shm_key_file)
    entry = None if key is None else sysv.segment_entry(key)
    if entry is None:
        return None
    return SegmentStatus(**asdict(entry))


def remove_segment(shmid: int) -> None:
    """Mark a segment for removal; processes that map it keep their mapping.

    Linux frees the key at once, so a new segment can be created under it.
    """
    libc.shmctl(shmid, libc.IPC_RMID, None)


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
    names = {p.name.removeprefix(SEM_PREFIX) for p in tmp.glob(f"{SEM_PREFIX}{letters}*")}
    names |= {p.name.removeprefix(SHM_PREFIX) for p in tmp.glob(f"{SHM_PREFIX}{letters}*")}
    return sum(_reclaim(tmp / (SHM_PREFIX + name)) for name in sorted(names))


def _reclaim(shm_key_file: Path) -> bool:
    """Only what is ours: another user's segment, semaphore or key file is never removed (nor a link followed)."""
    sem_file = semaphore_key_file(shm_key_file)
    if foreign_key_file(shm_key_file) or foreign_key_file(sem_file):
        return False
    status = _status(shm_key_file)
    if status is not None and (status.attached > 0 or {status.owner_uid, status.creator_uid} != {os.geteuid()}):
        return False
    removed = False
    if status is not None:
        # A raw ring's pins are a semaphore set of their own, under the key file (older ones: named in the ring).
        with sysv.mapped(status.shmid, status.size) as view:
            if view is not None:
                remove_pins(view, pins.pins_key(shm_key_file))
        remove_segment(status.shmid)
        removed = True
    # Found from the key even where Qt removed the segment and its key file (its last reader detached).
    with contextlib.suppress(KeyOfAnotherUser):  # another user's set under our pins key is not ours to remove
        removed = pins.remove_under(shm_key_file, shm_key_file.name.removeprefix(SHM_PREFIX)) or removed
    sem_key = sysv_key(sem_file)
    if sem_key is not None:
        semid = libc.semget(sem_key, 0, 0)
        if semid != -1 and set(sysv.semaphore_owners(semid) or ()) == {os.geteuid()}:
            libc.semctl(semid, 0, libc.IPC_RMID)
            removed = True
    for path in (shm_key_file, sem_file):
        removed = remove_key_file(path) or removed
    return removed
