"""Follow the segment under a key and hand over each new image once.

A shareimg segment announces a new image by its trailer's ``committed``
generation; the provider then rings (a futex on that word, common/doorbell.py),
so a watcher attached to it sleeps in the kernel until a frame is complete and
wakes within a fraction of a millisecond, using no CPU meanwhile.  Only a new
generation is read: a ``qt`` payload under the lock, then decoded; a ``raw``
frame from the ring's newest slot, pinned, as a copy or as a view into the slot
(common/frame.py).  When the provider leaves the segment (the *retired* flag)
the watcher detaches and looks for the next one, so it never keeps a provider
from moving to a larger segment; a segment some view still reads stays mapped
until that view is released.

Segments of other Qt programs carry no generation and never ring; those are
read once per segment and never kept attached, because such a writer can only
replace its image by creating a new segment, which our attachment would block.
"""

from __future__ import annotations

import struct
import threading
import time
from collections.abc import Callable
from functools import partial

import shiboken6
from PySide6.QtCore import QSharedMemory

from shareimg.errors import KeyOfAnotherUser, NothingShared, Overwritten, SharedMemoryFailure, ShareImgError
from shareimg.native.order import load_acquire
from shareimg.native.processes import process_running
from shareimg.transport import doorbell, mapped
from shareimg.transport.codecs import FrameBuffers
from shareimg.transport.frame import Frame, ring_frame, view_ahead
from shareimg.transport.keys import DEFAULT_KEY, native_key, validate_key
from shareimg.transport.lock import SegmentLock
from shareimg.transport.reader import read_locked
from shareimg.transport.ring import RingReader
from shareimg.transport.segment import segment_status
from shareimg.transport.steps import StepObserver, report, step
from shareimg.wire import layout
from shareimg.wire.ring_layout import MAGIC as RING_MAGIC
from shareimg.wire.ring_layout import NO_SLOT, Slot, slot_metadata

#: How often it looks for a segment while it has none.
SEARCH_SECONDS = 0.02
#: How often an attached watcher checks that its provider lives and still owns the key.
_CHECK_SECONDS = 0.5
#: ... and once nothing came for a while: a check costs a third of a millisecond of a cold CPU,
#: which an image watched all day should not spend twice a second.
_QUIET_CHECK_SECONDS, _QUIET_AFTER_SECONDS = 2.0, 5.0

_U32 = struct.Struct("<I")

# Why a watcher waits (Watcher.waiting).
NOTHING_SHARED, STOPPED, GONE, ANOTHER_USER = "nothing-shared", "stopped", "gone", "another-user"

__all__ = ["Frame", "Watcher", "NOTHING_SHARED", "STOPPED", "GONE"]


class _Attachment:
    """The segment we map, and how many views still reach into it: it is unmapped only when none does.

    A view's memory -- and every array or image made from it -- holds a loan;
    the last loan to go unmaps a segment the watcher has left.
    """

    def __init__(
        self, shm: QSharedMemory, shmid: int, trailer: layout.Metadata, ring: RingReader | None, lock: SegmentLock
    ) -> None:
        self.shm, self.shmid, self.trailer, self.ring = shm, shmid, trailer, ring
        self.segment = mapped.readonly(shm)
        self.size = len(self.segment)
        self.doorbell = doorbell.address_in(self.segment)  # the trailer's ``committed``, read at every look
        self.flags_at = layout.flags_offset(self.segment)  # read at every look: worked out once
        self._lock = lock
        self._loans = 0
        self._leaving = False
        self._guard = threading.Lock()

    def lend(self) -> object:
        with self._guard:
            self._loans += 1
        return _Loan(self._give_back)

    def _give_back(self) -> None:
        with self._guard:
            self._loans -= 1
            last = self._leaving and self._loans == 0
        if last:
            _unmap(self.shm, self._lock)

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
        _unmap(self.shm, self._lock)
        return True


class _Loan:
    """Held by a view's memory; when the last reference to it goes, the loan is given back."""

    def __init__(self, give_back: Callable[[], None]) -> None:
        self._give_back = give_back

    def __del__(self) -> None:
        self._give_back()


def _unmap(shm: QSharedMemory, lock: SegmentLock) -> None:
    if shm.isAttached():
        lock.wait_until_free()  # Qt's detach() locks too, with the GIL held
        shm.detach()


class Watcher:
    """Follows one key; :meth:`next_frame` returns each new image once, in order.

    Not thread-safe: use one watcher from one thread (views may be released from any).
    """

    def __init__(self, key: str = DEFAULT_KEY, observer: StepObserver | None = None) -> None:
        self.key = validate_key(key)
        #: Called with each shared-memory step of a read (see common.steps); waiting is not a step.
        self.observer = observer
        self._lock = SegmentLock(key)
        self._shm = QSharedMemory(native_key(key))
        self._attached: _Attachment | None = None  # our segment, while attached to it
        self._shmid = -1  # the segment last attached (another program's: read once)
        self._seen = 0  # the generation last handed over from the attached segment
        self._buffers = FrameBuffers()  # frames of a segment without a ring are copied into memory used before
        self._checked = 0.0
        self._last_frame = 0  # when the last frame came, in monotonic ns
        #: Why no image is coming, None while a provider is live: (NOTHING_SHARED | STOPPED | GONE, pid),
        #: or (ANOTHER_USER, uid) while the key's segment belongs to another user.
        self.waiting: tuple[str, int] | None = None

    @property
    def waiting_reason(self) -> str | None:
        """:attr:`waiting` in English words, for a command line."""
        if self.waiting is None:
            return None
        kind, number = self.waiting  # a pid, or the other user's uid
        return {
            NOTHING_SHARED: f"nothing is shared under key '{self.key}' yet",
            STOPPED: "the provider stopped sharing",
            GONE: f"the provider (pid {number}) is gone",
            ANOTHER_USER: str(KeyOfAnotherUser(self.key, number)),
        }[kind]

    def close(self) -> None:
        """Detach; a segment that a view still reads is detached when that view is released."""
        self._detach()
        # Qt removes a lock semaphore (and its key file) that this object had to make -- a detach
        # after the provider removed its own -- only when the object goes: now, not at collection.
        shiboken6.delete(self._shm)
        self._shm = QSharedMemory(native_key(self.key))

    def wake(self) -> None:
        """End a :meth:`next_frame` sleeping in another thread now, so that it sees its ``stop`` set.

        (It looks at ``stop`` at least every half second anyway.)  Other
        watchers of the segment wake too, look, and sleep again.
        """
        attached = self._attached
        if attached is not None:
            doorbell.ring(attached.doorbell)

    def next_frame(
        self, timeout: float | None = None, stop: threading.Event | None = None, view: bool = False
    ) -> Frame | None:
        """Wait for the next new image; None on timeout or when ``stop`` is set (then call :meth:`wake`).

        ``view=True`` hands a ``raw`` frame over as a view into the provider's
        slot, pinned until released (use ``with``); other frames are copies.
        Errors in the data of one publication (:class:`NotAnImage`) are raised;
        the watcher goes on with the next one when called again.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        longest = self._check_interval()
        frame = None
        try:
            while not (stop and stop.is_set()):
                frame = self._poll_attached(view) if self._attached is not None else self.poll(view)
                if frame is not None:
                    break
                left = longest if deadline is None else min(longest, deadline - time.monotonic())
                if left <= 0:
                    return None
                attached = self._attached
                if attached is None:
                    time.sleep(min(SEARCH_SECONDS, left))
                elif attached.ring is None:
                    doorbell.wait(attached.doorbell, self._seen, left)
                else:
                    frame = self._wait_in_ring(attached, left, view)
                    if frame is not None:
                        break
            else:
                return None
            self._last_frame = frame.received_ns
            return frame
        finally:
            # Not kept while nobody waits.  (A frame handed over took it, or gave it back.)
            if frame is None and self._attached is not None and self._attached.ring is not None:
                self._attached.ring.drop_ahead()

    def _wait_in_ring(self, attached: _Attachment, left: float, view: bool) -> Frame | None:
        """Sleep until a frame comes, with the slot it should come to pinned; that frame, if it came there.

        Most frames of a stream come so, and this is their way from the wake to
        the caller: the view, its unpin and all that can be made beforehand are
        made before the sleep, so that after it there are three loads and a few
        stores.  None otherwise: the caller looks the usual way.
        """
        ring = attached.ring
        assert ring is not None  # called for rings only
        index = ring.pin_ahead()
        ready = None
        if view and index != NO_SLOT:
            ready, unpin = view_ahead(self.key, ring, index, attached.size, attached.lend), partial(ring.unpin, index)
        doorbell.wait(attached.doorbell, self._seen, left)
        slot = ring.take_ahead(self._seen)
        if slot is None:
            return None
        if ready is None:
            return self._hand_over(attached, index, slot, view)
        return self._handed(ready.arrived(partial(slot_metadata, attached.trailer, slot), unpin), slot[0])

    def poll(self, view: bool = False) -> Frame | None:
        """Look once, without waiting (except for the lock of a ``qt`` segment when something is new)."""
        if self._attached is not None:
            return self._poll_attached(view)
        status = segment_status(self.key)
        if status is None:
            # Keep a more telling reason ("the provider stopped sharing") while there is one.
            if self.waiting is None or self.waiting[0] == ANOTHER_USER:
                self.waiting = (NOTHING_SHARED, 0)
            return None
        try:
            status.check_owner(self.key)
        except KeyOfAnotherUser as refusal:
            self.waiting = (ANOTHER_USER, refusal.uid)  # and keep looking: the key may be freed
            return None
        if status.shmid == self._shmid:
            return None  # another program's segment, already read
        shm = self._shm
        try:
            with step(self.observer, "attach"):
                self._lock.wait_until_free()  # Qt's attach() locks too, with the GIL held
                if not shm.attach(QSharedMemory.AccessMode.ReadOnly):
                    raise SharedMemoryFailure(f"cannot attach to key '{self.key}'", shm.errorString())
        except SharedMemoryFailure:
            return None  # removed in between: look again next time
        segment = mapped.readonly(shm)
        meta = layout.unpack(segment)
        if meta is not None:
            ring = None
            if meta.version == layout.RING_VERSION:
                try:
                    ring = RingReader(segment)
                except ShareImgError as error:
                    retired = layout.is_retired(segment)
                    _unmap(shm, self._lock)
                    if retired:
                        return None  # its provider left it (and took its pins): look for the next
                    self._shmid = status.shmid  # a broken ring: not again until it is replaced
                    raise error.under(self.key) from None
            self._attached, self._shmid, self._seen = (
                _Attachment(shm, status.shmid, meta, ring, self._lock),
                status.shmid,
                0,
            )
            return self._poll_attached(view)
        try:
            if not any(segment[:4]) and not any(segment[-layout.TRAILER_SIZE :]):
                # Zeros: a provider created it and has not written yet, or another
                # program shares a null image.  Look again later.
                return None
            if segment[: len(RING_MAGIC)] == RING_MAGIC:
                return None  # a provider laying out its ring: the trailer comes last
            self._shmid = status.shmid  # read once: not again until it is replaced
            return self._read_locked(shm, 0)
        finally:
            _unmap(shm, self._lock)

    def _detach(self) -> None:
        attached, self._attached = self._attached, None
        self._shmid = -1
        self._buffers = FrameBuffers()  # the next segment may carry other sizes: free these
        if attached is not None:
            with step(self.observer, "detach"):
                if not attached.leave():
                    self._shm = QSharedMemory(native_key(self.key))  # that one stays mapped for its views

    def _poll_attached(self, view: bool) -> Frame | None:
        attached = self._attached
        assert attached is not None  # called once attached
        ring = attached.ring
        segment = attached.segment
        if _U32.unpack_from(segment, attached.flags_at)[0] & layout.FLAG_RETIRED:
            self._detach()
            self.waiting = (STOPPED, 0)
            return None
        if ring is not None:
            frame = self._read_ring(attached, view)
            if frame is not None:
                return frame
        committed = load_acquire(attached.doorbell)
        if committed == 0 or committed == self._seen:
            self._check_provider(segment)
            return None
        if committed < self._seen:
            # Gone back: not its provider's doing (generations only grow).  Start afresh from what
            # it holds now, rather than wake at once on every wait for a generation it never reaches.
            self._detach()
            return None
        if ring is not None:
            return None  # committed as we looked: the next look takes it
        return self._read_locked(attached.shm, committed)

    def _check_interval(self) -> float:
        quiet = time.monotonic_ns() - self._last_frame > _QUIET_AFTER_SECONDS * 1e9
        return _QUIET_CHECK_SECONDS if quiet else _CHECK_SECONDS

    def _check_provider(self, segment: memoryview) -> None:
        """Now and then: is the provider alive, and is this still the key's segment?"""
        now = time.monotonic()
        if now - self._checked < self._check_interval():
            return
        self._checked = now
        status = segment_status(self.key)
        if status is None or status.shmid != self._shmid:
            # Replaced without a word (a new provider evicting a dead one's segment).
            self._detach()
            return
        meta = layout.unpack(segment)
        if meta is not None and not process_running(meta.pid):
            self.waiting = (GONE, meta.pid)
        else:
            self.waiting = None

    def _read_ring(self, attached: _Attachment, view: bool) -> Frame | None:
        """The ring's newest frame if we have not had it, else None."""
        assert attached.ring is not None  # called for rings only
        try:
            taken = attached.ring.pin_newest(newer_than=self._seen)
        except ShareImgError as error:
            # Seen, whatever went wrong: a bad publication is reported once, not at every look.
            self._seen = max(self._seen, load_acquire(attached.doorbell))
            if isinstance(error, (Overwritten, NothingShared)):
                return None  # the provider outran us, or has not finished a frame: look again at the next ring
            raise error.under(self.key) from None
        return None if taken is None else self._hand_over(attached, *taken, view)

    def _hand_over(self, attached: _Attachment, index: int, slot: Slot, view: bool) -> Frame:
        """The frame in slot ``index`` (pinned, described by ``slot``): a view, or copied out."""
        assert attached.ring is not None  # called for rings only
        frame = ring_frame(self.key, attached.trailer, attached.size, attached.ring, index, slot, view, attached.lend)
        return self._handed(frame, slot.generation)

    def _handed(self, frame: Frame, generation: int) -> Frame:
        """``frame``, of ``generation``, goes to the caller: seen, and a provider is there."""
        self._seen, self.waiting = generation, None
        if self.observer is not None:
            report(self.observer, "read", lambda: f"{_payload_length(frame):,} B", frame.received_ns)
        return frame

    def _read_locked(self, shm: QSharedMemory, committed: int) -> Frame | None:
        """Read a version 1 segment (or another program's) whose last complete generation was ``committed``."""
        # Seen even if it fails: report a bad publication once, not at every poll.
        self._seen = committed
        try:
            copied = read_locked(self.key, mapped.readonly(shm), self._lock, self.observer, self._buffers)
        except Overwritten:
            return None  # a newer one is being written: take that at the next poll
        if copied.metadata is not None:
            self._seen = copied.metadata.committed  # a newer one than looked for, perhaps
        frame = Frame(copied.decode(), time.monotonic_ns())
        self.waiting = None
        return frame


def _payload_length(frame: Frame) -> int:
    meta = frame.metadata
    assert meta is not None  # a ring's frames carry their slot's
    return meta.payload_length
