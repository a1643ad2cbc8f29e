"""Follow the segment under a key and hand over each new image once.

A shareimg segment announces a new image by its trailer's ``committed``
generation; the provider then rings (a futex on that word, transport/doorbell.py),
so a watcher attached to it sleeps in the kernel until a frame is complete and
wakes within a fraction of a millisecond, using no CPU meanwhile.  Only a new
generation is read: a ``qt`` payload under the lock, then decoded; a ``raw``
frame from the ring's newest slot, pinned, as a copy or as a view into the slot
(transport/frame.py).  When the provider leaves the segment (the *retired* flag)
the watcher detaches and looks for the next one, so it never keeps a provider
from moving to a larger segment (one that views still read stays mapped for
them: transport/attachment.py).  Segments of other Qt programs carry no
generation and never ring; those are read once per segment and never kept
attached, because such a writer can only replace its image by creating a new
segment, which our attachment would block.
"""

from __future__ import annotations

import struct
import threading
import time
from functools import partial

import shiboken6
from PySide6.QtCore import QSharedMemory

from shareimg.errors import KeyOfAnotherUser, NothingShared, Overwritten, ShareImgError
from shareimg.native.order import load_acquire
from shareimg.native.processes import process_running
from shareimg.transport import doorbell, mapped
from shareimg.transport.attachment import Attachment, attach, unmap
from shareimg.transport.codecs import FrameBuffers
from shareimg.transport.frame import Frame, ring_frame
from shareimg.transport.keys import DEFAULT_KEY, native_key, validate_key
from shareimg.transport.lock import SegmentLock
from shareimg.transport.ownership import owned_status
from shareimg.transport.provider_checks import ProviderChecks
from shareimg.transport.reader import read_locked
from shareimg.transport.segment import segment_status
from shareimg.transport.steps import StepObserver, report, step
from shareimg.transport.unclosed import close_unclosed
from shareimg.transport.waiting import ANOTHER_USER, GONE, NOTHING_SHARED, STOPPED, waiting_reason
from shareimg.wire import layout
from shareimg.wire.ring_layout import MAGIC as RING_MAGIC
from shareimg.wire.ring_layout import NO_SLOT, Slot

#: How often it looks for a segment while it has none.
SEARCH_SECONDS = 0.02

_U32 = struct.Struct("<I")


class Watcher:
    """Follows one key; :meth:`next_frame` returns each new image once, in order.

    Not thread-safe: use one watcher from one thread (views may be closed from any).  Close it, or use
    ``with``: one dropped while attached detaches when collected, with a :class:`ResourceWarning`.
    """

    def __init__(self, key: str = DEFAULT_KEY, observer: StepObserver | None = None) -> None:
        self.key = validate_key(key)
        #: Called with each shared-memory step of a read (see common.steps); waiting is not a step.
        self.observer = observer
        self._lock = SegmentLock(key)
        self._shm = QSharedMemory(native_key(key))
        self._attached: Attachment | None = None  # our segment, while attached to it
        self._shmid = -1  # the segment last attached (another program's: read once)
        self._seen = 0  # the generation last handed over from the attached segment
        self._buffers = FrameBuffers()  # frames of a segment without a ring are copied into memory used before
        self._checks = ProviderChecks()
        #: Why no image is coming, None while a provider is live: (NOTHING_SHARED | STOPPED | GONE, pid),
        #: or (ANOTHER_USER, uid) while the key's segment belongs to another user.
        self.waiting: tuple[str, int] | None = None

    @property
    def waiting_reason(self) -> str | None:
        """:attr:`waiting` in English words, for a command line."""
        return None if self.waiting is None else waiting_reason(self.key, *self.waiting)

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        # A safety net, not the way.  (At exit Qt may have destroyed the object first, detaching as it went.)
        attached = getattr(self, "_attached", None)
        if attached is not None and shiboken6.isValid(attached.shm):
            close_unclosed(self, self.close)

    def __repr__(self) -> str:
        return f"<Watcher of key {self.key!r}, {'attached' if self._attached is not None else 'detached'}>"

    def close(self) -> None:
        """Detach; a segment that a view still reads is unmapped when the last such view goes."""
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
        slot, pinned until closed (use ``with``); other frames are copies.
        Errors in the data of one publication (:class:`NotAnImage`) are raised;
        the watcher goes on with the next one when called again.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        longest = self._checks.interval()
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
            self._checks.last_frame_ns = frame.received_ns
            return frame
        finally:
            # Not kept while nobody waits.  (A frame handed over took it, or gave it back.)
            if frame is None and self._attached is not None and self._attached.ring is not None:
                self._attached.ring.drop_ahead()

    def _wait_in_ring(self, attached: Attachment, left: float, view: bool) -> Frame | None:
        """Sleep until a frame comes, with the slot it should come to pinned; that frame, if it came there.

        Most frames of a stream come so, and this is their way from the wake to
        the caller: the view, its unpin and all that can be made beforehand are
        made before the sleep, so that after it there are three loads and the
        frame's making.  None otherwise: the caller looks the usual way.
        """
        ring = attached.ring
        assert ring is not None  # called for rings only
        index = ring.pin_ahead()
        ready = None
        if view and index != NO_SLOT:
            ready, unpin = ring.view(index, attached.lend), partial(ring.unpin, index)
        doorbell.wait(attached.doorbell, self._seen, left)
        slot = ring.take_ahead(self._seen)
        if slot is None:
            return None
        if ready is None:
            return self._hand_over(attached, index, slot, view)
        return self._handed(Frame(self.key, attached.size, ready, attached.trailer, slot, unpin), slot[0])

    def poll(self, view: bool = False) -> Frame | None:
        """Look once, without waiting (except for the lock of a ``qt`` segment when something is new)."""
        if self._attached is not None:
            return self._poll_attached(view)
        try:
            status = owned_status(self.key)
        except KeyOfAnotherUser as refusal:
            self.waiting = (ANOTHER_USER, refusal.uid)  # and keep looking: the key may be freed
            return None
        if status is None:
            # Keep a more telling reason ("the provider stopped sharing") while there is one.
            if self.waiting is None or self.waiting[0] == ANOTHER_USER:
                self.waiting = (NOTHING_SHARED, 0)
            return None
        if status.shmid == self._shmid:
            return None  # another program's segment, already read
        shm = self._shm
        if not attach(self.key, shm, self._lock, self.observer):
            return None  # removed in between: look again next time
        segment = mapped.readonly(shm)
        meta = layout.unpack(segment)
        if meta is not None:
            try:
                attached = Attachment.of(self.key, shm, status.shmid, meta, self._lock)
            except ShareImgError:
                self._shmid = status.shmid  # a broken ring: not again until it is replaced
                raise
            if attached is None:
                return None  # its provider left it (and took its pins): look for the next
            self._attached, self._shmid, self._seen = attached, status.shmid, 0
            return self._poll_attached(view)
        try:
            if not any(segment[:4]) and not any(segment[-layout.TRAILER_SIZE :]):
                return None  # zeros: not written yet, or another program's null image; look again later
            if segment[: len(RING_MAGIC)] == RING_MAGIC:
                return None  # a provider laying out its ring: the trailer comes last
            self._shmid = status.shmid  # read once: not again until it is replaced
            return self._read_locked(shm, 0)
        finally:
            unmap(shm, self._lock)

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

    def _check_provider(self, segment: memoryview) -> None:
        """Now and then: is the provider alive, and is this still the key's segment?"""
        if not self._checks.due():
            return
        status = segment_status(self.key)
        if status is None or status.shmid != self._shmid:
            self._detach()  # replaced without a word (a new provider evicting a dead one's segment)
            return
        meta = layout.unpack(segment)
        self.waiting = (GONE, meta.pid) if meta is not None and not process_running(meta.pid) else None

    def _read_ring(self, attached: Attachment, view: bool) -> Frame | None:
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

    def _hand_over(self, attached: Attachment, index: int, slot: Slot, view: bool) -> Frame:
        """The frame in slot ``index`` (pinned, described by ``slot``): a view, or copied out."""
        assert attached.ring is not None  # called for rings only
        frame = ring_frame(self.key, attached.trailer, attached.size, attached.ring, index, slot, view, attached.lend)
        return self._handed(frame, slot.generation)

    def _handed(self, frame: Frame, generation: int) -> Frame:
        """``frame``, of ``generation``, goes to the caller: seen, and a provider is there."""
        self._seen, self.waiting = generation, None
        if self.observer is not None:
            size = lambda: f"{getattr(frame.metadata, 'payload_length', 0):,} B"  # noqa: E731 -- made only if shown
            report(self.observer, "read", size, frame.received_ns)
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
        self.waiting = None
        return Frame(self.key, copied.segment_bytes, shared=copied.decode())
