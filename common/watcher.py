"""Follow the segment under a key and hand over each new image once.

A shareimg segment announces a new image by its trailer's ``committed``
generation, 8 aligned bytes that the watcher polls without the lock while it
stays attached: polling costs no system call and no decoding.  Only a new
generation is read (under the lock) and decoded.  When the provider leaves the
segment (the *retired* flag) the watcher detaches and looks for the next one,
so it never keeps a provider from moving to a larger segment.

Segments of other Qt programs carry no generation; those are read once per
segment and never kept attached, because such a writer can only replace its
image by creating a new segment, which our attachment would block.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from PySide6.QtCore import QSharedMemory

from . import layout
from .channel import DEFAULT_KEY, SegmentLock, native_key, process_alive, segment_status, validate_key
from .codecs import FrameBuffers
from .errors import KeyOfAnotherUser, Overwritten, SharedMemoryFailure
from .reader import SharedImage, decode_extracted, extract
from .steps import StepObserver, step

#: How often an attached watcher looks at ``committed`` during a stream, and when
#: nothing has changed for a second: both well inside one 60 Hz frame.  A look
#: costs microseconds, so during a stream a new frame waits half a millisecond
#: on average; idle, the second is cheap enough to watch an image all day.
POLL_SECONDS = 0.001
IDLE_POLL_SECONDS = 0.01
#: How often it looks for a segment while it has none, and checks the provider.
SEARCH_SECONDS = 0.02
_CHECK_SECONDS = 0.5

# Why a watcher waits (Watcher.waiting).
NOTHING_SHARED, STOPPED, GONE, ANOTHER_USER = "nothing-shared", "stopped", "gone", "another-user"


@dataclass(frozen=True)
class Frame:
    """One image the watcher received, and when."""

    shared: SharedImage
    received_ns: int

    @property
    def latency_ms(self) -> float | None:
        """From the start of the provider's copy to the end of our decode."""
        meta = self.shared.metadata
        return (self.received_ns - meta.publish_ns) / 1e6 if meta else None


class Watcher:
    """Polls one key; :meth:`next_frame` returns each new image once, in order.

    Not thread-safe: use one watcher from one thread.
    """

    def __init__(self, key: str = DEFAULT_KEY, observer: StepObserver | None = None) -> None:
        self.key = validate_key(key)
        #: Called with each shared-memory step of a read (see common.steps); polling is not a step.
        self.observer = observer
        self._shm = QSharedMemory(native_key(key))
        self._lock = SegmentLock(key)
        self._view: memoryview | None = None  # our segment, while attached to it
        self._shmid = -1  # the segment last attached (another program's: read once)
        self._seen = 0  # the generation last handed over from the attached segment
        self._buffers = FrameBuffers()  # raw frames are copied into memory used before
        self._active_until = 0.0
        self._checked = 0.0
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
        self._detach()

    def next_frame(self, timeout: float | None = None, stop: threading.Event | None = None) -> Frame | None:
        """Wait for the next new image; None on timeout or when ``stop`` is set.

        Errors in the data of one publication (:class:`NotAnImage`) are raised;
        the watcher goes on with the next one when called again.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while not (stop and stop.is_set()):
            frame = self.poll()
            if frame is not None:
                self._active_until = time.monotonic() + 1.0
                return frame
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                return None
            if self._view is None:
                time.sleep(SEARCH_SECONDS)
            else:
                time.sleep(POLL_SECONDS if now < self._active_until else IDLE_POLL_SECONDS)
        return None

    def poll(self) -> Frame | None:
        """Look once, without waiting (except for the lock when something is new)."""
        if self._view is not None:
            return self._poll_attached()
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
        try:
            with step(self.observer, "attach"):
                self._lock.wait_until_free()  # Qt's attach() locks too, with the GIL held
                if not self._shm.attach(QSharedMemory.AccessMode.ReadOnly):
                    raise SharedMemoryFailure(f"cannot attach to key '{self.key}'", self._shm.errorString())
        except SharedMemoryFailure:
            return None  # removed in between: look again next time
        segment = self._shm.constData()
        if layout.unpack(segment) is not None:
            self._view, self._shmid, self._seen = segment, status.shmid, 0
            return self._poll_attached()
        if not any(segment[:4]) and not any(segment[-layout.TRAILER_SIZE :]):
            # Zeros: a provider created it and has not written yet, or another
            # program shares a null image.  Look again later.
            self._detach()
            return None
        try:
            return self._read()
        finally:
            self._detach()
            self._shmid = status.shmid  # read once: not again until it is replaced

    def _detach(self) -> None:
        self._view = None
        self._shmid = -1
        self._buffers = FrameBuffers()  # the next segment may carry other sizes: free these
        if self._shm.isAttached():
            with step(self.observer, "detach"):
                self._lock.wait_until_free()
                self._shm.detach()

    def _poll_attached(self) -> Frame | None:
        view = self._view
        if layout.is_retired(view):
            self._detach()
            self.waiting = (STOPPED, 0)
            return None
        committed = layout.committed(view)
        if committed == 0 or committed == self._seen:
            self._check_provider(view)
            return None
        return self._read()

    def _check_provider(self, segment: memoryview) -> None:
        """Now and then: is the provider alive, and is this still the key's segment?"""
        now = time.monotonic()
        if now - self._checked < _CHECK_SECONDS:
            return
        self._checked = now
        status = segment_status(self.key)
        if status is None or status.shmid != self._shmid:
            # Replaced without a word (a new provider evicting a dead one's segment).
            self._detach()
            return
        meta = layout.unpack(segment)
        if meta is not None and not process_alive(meta.pid):
            self.waiting = (GONE, meta.pid)
        else:
            self.waiting = None

    def _read(self) -> Frame | None:
        size = self._shm.size()
        with step(self.observer, "lock"):
            self._lock.acquire()
        try:
            with step(self.observer, "read", f"{size:,} B"):
                segment = self._shm.constData()
                meta = layout.unpack(segment)
                try:
                    meta, codec, extracted = extract(self.key, segment, self._buffers)
                except Overwritten:
                    return None  # a newer one is being written: take that at the next poll
                finally:
                    # Seen even if it fails to decode: report a bad publication once, not at every poll.
                    self._seen = meta.committed if meta else 0
        finally:
            with step(self.observer, "unlock"):
                self._lock.release()
        shared = SharedImage(self.key, decode_extracted(self.key, codec, extracted), meta, size)
        self.waiting = None
        return Frame(shared, time.monotonic_ns())
