"""Taking a key over from a provider that died: its segment retired and removed, never a live one's."""

from __future__ import annotations

from PySide6.QtCore import QSharedMemory

from shareimg.errors import KeyInUse
from shareimg.native.processes import process_running
from shareimg.transport import mapped, pins
from shareimg.transport.keys import key_file, native_key
from shareimg.transport.lock import SegmentLock
from shareimg.transport.ring import remove_pins
from shareimg.transport.segment import SegmentStatus, remove_segment, segment_status
from shareimg.wire import layout


def evict(key: str, status: SegmentStatus, lock_timeout: float | None = None) -> None:
    """Remove a segment a dead provider left; refuse if its provider is alive.

    A lock held past ``lock_timeout`` (None: wait for as long as it takes) is
    stuck: it is removed, for Qt's attach() and detach() would wait for it for ever.

    Consumers may still be attached to it: they keep reading their copy, and
    the retired flag tells watchers to look for the new segment.
    """
    probe = QSharedMemory(native_key(key))
    probe_lock = SegmentLock(key)
    if not probe_lock.wait_until_free(lock_timeout):
        probe_lock.remove()
    if probe.attach():
        try:
            meta = layout.unpack(mapped.readonly(probe))
            owner = meta.pid if meta else status.creator_pid
            if status.attached > 0 and process_running(owner):
                raise KeyInUse(
                    f"another program (pid {owner}) is already sharing under key '{key}'; "
                    "close it, or choose another key with --key"
                )
            # Under the lock, which a provider holds to create a segment and its pins: the pins under
            # the key are the dead one's only while its segment is still the one there.  Its provider
            # is dead: a lock not had within the timeout has a stuck holder, and is taken over below.
            probe_lock.acquire(lock_timeout)
            try:
                current = segment_status(key)
                if current is None or current.shmid != status.shmid:
                    return  # another provider took the key meanwhile: the caller looks again
                if meta is not None:
                    layout.retire(mapped.writable(probe))
                    remove_pins(mapped.readonly(probe), pins.pins_key(key_file(key)))
                pins.remove_under(key_file(key), key)  # found from the key even before a ring header named them
            finally:
                probe_lock.release()
        finally:
            if not probe_lock.wait_until_free(lock_timeout):
                probe_lock.remove()
            probe.detach()
    remove_segment(status.shmid)
