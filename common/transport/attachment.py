"""A watcher's hold on one segment: mapped read-only, and kept mapped while any view reads it.

A view of a ring slot (transport/frame.py) is memory of the mapping itself, and
so is every numpy array or QImage made from it.  Unmapping under one of them
would turn its next read into a crash, so the segment is unmapped only when
the watcher has left it *and* the last such view is gone (:class:`Loan`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QSharedMemory

from shareimg.errors import SharedMemoryFailure, ShareImgError
from shareimg.transport import doorbell, mapped, pins
from shareimg.transport.keys import key_file
from shareimg.transport.lock import SegmentLock
from shareimg.transport.ring import RingReader
from shareimg.transport.steps import StepObserver, step
from shareimg.wire import layout


class Attachment:
    """The segment we map, and how many views still reach into it: it is unmapped only when none does.

    A view's memory -- and every array or image made from it -- holds a loan;
    the last loan to go unmaps a segment the watcher has left.
    """

    def __init__(
        self, shm: QSharedMemory, shmid: int, trailer: layout.Metadata, ring: RingReader | None, lock: SegmentLock
    ) -> None:
        self.shm, self.shmid, self.trailer, self.ring = shm, shmid, trailer, ring
        self.segment: memoryview = mapped.readonly(shm)
        self.size = len(self.segment)
        self.doorbell = doorbell.address_in(self.segment)  # the trailer's ``committed``, read at every look
        self.flags_at = layout.flags_offset(self.segment)  # read at every look: worked out once
        self._lock = lock
        self._loans = 0
        self._leaving = False
        self._guard = threading.Lock()

    @classmethod
    def of(
        cls, key: str, shm: QSharedMemory, shmid: int, trailer: layout.Metadata, lock: SegmentLock
    ) -> Attachment | None:
        """``shm``'s segment, just mapped and carrying ``trailer``, with its ring if it has one.

        None if it is a ring its provider has already left (and taken its pins
        with it).  A ring that fails its checks is raised, under ``key``.  In either
        case it is unmapped first.
        """
        segment = mapped.readonly(shm)
        ring = None
        if trailer.version == layout.RING_VERSION:
            try:
                ring = RingReader(segment, pins.pins_key(key_file(key)))
            except ShareImgError as error:
                retired = layout.is_retired(segment)
                unmap(shm, lock)
                if retired:
                    return None
                raise error.under(key) from None
        return cls(shm, shmid, trailer, ring, lock)

    def lend(self) -> object:
        with self._guard:
            self._loans += 1
        return Loan(self._give_back)

    def _give_back(self) -> None:
        with self._guard:
            self._loans -= 1
            last = self._leaving and self._loans == 0
        if last:
            unmap(self.shm, self._lock)

    def leave(self) -> bool:
        """Unmap now if nothing reaches into it (True), else when the last loan goes (False)."""
        if self.ring is not None:
            self.ring.drop_ahead()
            # The slots' wrappers hold loans, and each loan this attachment: a cycle that only the
            # collector would break, late.  Dropped here, a loan stays only with a frame still held.
            self.ring.forget_views()
        with self._guard:
            self._leaving = True
            if self._loans:
                return False
        unmap(self.shm, self._lock)
        return True


class Loan:
    """Held by a view's memory; when the last reference to it goes, the loan is given back.

    This is the one finalizer that is the mechanism, not a safety net: the
    memory's users are numpy arrays and QImages, which have no close() and
    can be kept anywhere, however long.  Only the reference count knows when
    the last of them is gone, and a mapping that outlives them is memory
    safety, not a leak.  Closing a frame gives its pin back at once; this only
    decides when the mapping may go.
    """

    def __init__(self, give_back: Callable[[], None]) -> None:
        self._give_back = give_back

    def __del__(self) -> None:
        self._give_back()


def attach(key: str, shm: QSharedMemory, lock: SegmentLock, observer: StepObserver | None) -> bool:
    """Map the segment under ``key`` read-only with ``shm``; False if it was removed in between."""
    try:
        with step(observer, "attach"):
            lock.wait_until_free()  # Qt's attach() locks too, with the GIL held
            if not shm.attach(QSharedMemory.AccessMode.ReadOnly):
                raise SharedMemoryFailure(f"cannot attach to key '{key}'", shm.errorString())
    except SharedMemoryFailure:
        return False
    return True


def unmap(shm: QSharedMemory, lock: SegmentLock) -> None:
    if shm.isAttached():
        lock.wait_until_free()  # Qt's detach() locks too, with the GIL held
        shm.detach()
