"""The segment a provider owns under its key: created, laid out, retired, renewed and closed.

The order of steps is the article's and Qt's example's: detach if attached,
create, lock, copy, unlock.  Two changes make it safe with several processes:
a segment that is still large enough is reused (no detach, no create), and
``create()`` is called only when no segment exists under the key, because a
failed ``create()`` re-initialises the key's lock under a reader's feet.
"""

from __future__ import annotations

import os
from dataclasses import replace

import shiboken6
from PySide6.QtCore import QSharedMemory

from shareimg.errors import SharedMemoryFailure
from shareimg.transport import doorbell, mapped, pins, tmpdir
from shareimg.transport.codecs import RAW
from shareimg.transport.eviction import evict
from shareimg.transport.keys import key_file, native_key, remove_key_file
from shareimg.transport.lock import SegmentLock, stuck
from shareimg.transport.ownership import owned_status
from shareimg.transport.ring import RingWriter
from shareimg.transport.segment import remove_segment, segment_status
from shareimg.transport.steps import StepObserver, step
from shareimg.wire import layout
from shareimg.wire.ring_layout import PAGE, plan

# A segment more than this many times larger than needed is given back.
_SHRINK_FACTOR = 4
_CLAIM_ATTEMPTS = 50


class OwnedSegment:
    """The QSharedMemory objects under ``key`` and, while attached, the segment's view, doorbell and ring."""

    def __init__(self, key: str, observer: StepObserver | None, slots: int) -> None:
        self.key = key
        self.observer = observer
        with step(observer, "setKey", key):
            self.shm = QSharedMemory(native_key(key))
        self.lock = SegmentLock(key)
        self.slots = slots
        self.ring: RingWriter | None = None  # while the segment is a raw ring
        self.view = memoryview(b"")  # the segment, while attached
        self.doorbell = 0  # where in it watchers sleep
        self._spent: list[QSharedMemory] = []  # earlier segments' objects: they own the lock semaphore
        self._created = False
        #: How long to wait for the key's lock before :class:`LockTimeout`; None: for as long as it takes.
        self.lock_timeout: float | None = None

    def fits(self, size: int) -> bool:
        """Whether the attached segment can take ``size`` bytes without wasting most of itself."""
        if not self.shm.isAttached():
            return False
        return size <= self.shm.size() < size * _SHRINK_FACTOR

    def ring_fits(self, nbytes: int) -> bool:
        """Whether the ring's slots take frames of ``nbytes`` without wasting most of themselves."""
        assert self.ring is not None  # asked of a ring only
        slot_bytes = self.ring.header.slot_bytes
        return nbytes <= slot_bytes <= max(nbytes * _SHRINK_FACTOR, PAGE)

    def acquire(self) -> None:
        with step(self.observer, "lock"):
            self._take()

    def _take(self, missing_grace: float = 0.5) -> None:
        if not self.lock.acquire(self.lock_timeout, missing_grace):
            raise stuck(self.key, self.lock_timeout or 0)

    def release(self) -> None:
        with step(self.observer, "unlock"):
            self.lock.release()

    def renew(self, size: int, ring_frame_bytes: int | None = None, ring_slots: int | None = None) -> None:
        """A new segment of ``size`` bytes; laid out as a ring for frames of ``ring_frame_bytes`` if given,
        of ``ring_slots`` slots (default :attr:`slots`)."""
        if self.shm.isAttached():
            self.retire()
        for _ in range(_CLAIM_ATTEMPTS):
            status = owned_status(self.key)  # another user's key files, lock or segment: refused at once
            if status is None:
                if self._create(size):
                    self.view = mapped.writable(self.shm)
                    self.doorbell = doorbell.address_in(self.view)
                    if ring_frame_bytes is not None:
                        # Under the lock (not a step of the article's): a reclaimer holding it
                        # knows that pins under the key with no segment are no live provider's.
                        self._take()
                        try:
                            self._lay_out_ring(ring_frame_bytes, ring_slots or self.slots)
                        finally:
                            self.lock.release()
                    return
                continue
            evict(self.key, status, self.lock_timeout)
        raise SharedMemoryFailure(f"could not claim key '{self.key}': other programs kept creating segments under it")

    def retire(self) -> None:
        """Leave the segment so that readers still mapping it know to look again.

        A lock held past :attr:`lock_timeout` does not keep the segment: it is
        left all the same, then :class:`LockTimeout` says who held the lock.
        """
        view = mapped.writable(self.shm)  # ours, or one the step-through created by hand on the same object
        with step(self.observer, "lock"):
            held = self.lock.acquire(self.lock_timeout)
        stuck_lock = None if held else stuck(self.key, self.lock_timeout or 0)  # while it names the holder
        try:
            layout.retire(view)  # the holder is stuck if not held: nobody else writes it
        finally:
            if held:
                self.release()
        doorbell.ring(doorbell.address_in(view))
        if self.ring is not None:
            # Views of readers still mapping it stay valid: nobody writes this segment again.
            pins.remove(self.ring.header.pins)
            self.ring = None
        with step(self.observer, "detach"):
            if stuck_lock is None and not self.lock.wait_until_free(self.lock_timeout):
                stuck_lock = stuck(self.key, self.lock_timeout or 0)
            if stuck_lock is not None:
                self.lock.remove()  # Qt's detach() would wait for it for ever (at exit too): Qt makes a new one
            self.shm.detach()
        # Readers still attached keep the segment alive, and Qt's detach then
        # leaves the key file: free both for the next segment.
        status = segment_status(self.key)
        if status is not None:
            remove_segment(status.shmid)
            remove_key_file(key_file(self.key))
        if stuck_lock is not None:
            raise stuck_lock

    def close(self) -> None:
        """Retire the segment if attached, and delete every QSharedMemory made for it."""
        if self.shm.isAttached():
            self.retire()
        # Qt removes the lock's semaphore only when the object that created it is
        # destroyed; do it now rather than whenever Python collects it.  The new object
        # is in place first: another thread may ask for ``shm`` meanwhile (the
        # step-through's picture), and must never be handed a deleted one.
        leaving = [*self._spent, self.shm]
        self._spent.clear()
        self._created = False
        self.shm = QSharedMemory(native_key(self.key))
        for shm in leaving:
            shiboken6.delete(shm)
        self.view, self.doorbell = memoryview(b""), 0

    def _create(self, size: int) -> bool:
        """Create the segment with a QSharedMemory of its own; False if someone else just did.

        A QSharedMemory that creates twice first removes the lock semaphore it
        made and makes another, under the feet of every process waiting on it;
        so each segment gets a new object and the earlier ones are kept (until
        :meth:`close`), which keeps the semaphore.  ``create()`` also resets the
        semaphore to 1: holding the lock meanwhile keeps readers out, and the
        reset hands it back.
        """
        if self.shm.isAttached() or self._created:
            self._spent.append(self.shm)
            self.shm = QSharedMemory(native_key(self.key))
        self._created = True
        try:
            with step(self.observer, "create", f"{size:,} B"):
                self._take(missing_grace=0)
                try:
                    if self.shm.create(size):
                        return True
                    if self.shm.error() == QSharedMemory.SharedMemoryError.AlreadyExists:
                        return False
                    raise SharedMemoryFailure(
                        f"cannot create a segment of {size} bytes under key '{self.key}'", self.shm.errorString()
                    )
                finally:
                    self.lock.forget()
        except SharedMemoryFailure:
            tmpdir.check()  # the step shows Qt's words, which do not name a folder it cannot use: ours do
            raise

    def _lay_out_ring(self, frame_bytes: int, slots: int) -> None:
        """Header, pins and a ring-version trailer (last: until then readers take the segment for empty)."""
        view = self.view
        _, first_slot, slot_bytes = plan(frame_bytes, slots)
        self.ring = RingWriter(view, slots, first_slot, slot_bytes, pins.create(key_file(self.key), self.key, slots))
        trailer = layout.Metadata(RAW.codec_id, 0, self.ring.ring_bytes, 0, 0, 0, 0, os.getpid(), 0, 0, 0)
        layout.write(view, replace(trailer, version=layout.RING_VERSION))
