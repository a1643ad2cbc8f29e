"""The article's QSharedMemory calls made one at a time, by hand, for the step-through mode.

Each call is exactly that Qt call on the window's own QSharedMemory under its
key, and the lock is the segment's one semaphore, as in normal operation.
Calls run on a worker thread: Qt's ``lock()``, ``attach()``, ``create()`` and
``detach()`` wait for the lock with Python's global lock held, which would
freeze the window; so the worker first waits through :class:`SegmentLock`
(without it), visibly, then makes Qt's call.  Between that wait and Qt's call
another process could take the lock; with two people clicking, it does not.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSharedMemory, Signal, qInstallMessageHandler
from PySide6.QtGui import QImage

from . import layout
from .background import WorkerThread
from .channel import SegmentLock, lock_holder, native_key, segment_status
from .codecs import EncodedImage
from .errors import ShareImgError
from .publisher import write_publication
from .reader import copy_publication

# Qt takes the lock inside these: wait for it first, without the global lock.
_WAITS = {"lock", "create", "attach", "detach"}


@dataclass(frozen=True)
class Outcome:
    call: str
    ok: bool
    answer: str  # what Qt said: its error() and errorString(), or its warning
    ms: float
    image: QImage | None = None  # what "read" read


@dataclass(frozen=True)
class SegmentFacts:
    attached: bool  # this window's QSharedMemory
    size: int  # the segment's bytes, from the kernel; 0 when there is none
    processes: int  # attached, from the kernel
    lock_pid: int | None  # who holds the lock
    payload: int  # bytes of image written, from the trailer (0 if none, or not attached)


class HandCalls(QObject):
    """One call at a time on ``memory()``; ``finished`` brings each :class:`Outcome` to the owner's thread."""

    finished = Signal(object)
    _done = Signal(object)  # from the worker

    def __init__(self, key: str, memory: Callable[[], QSharedMemory], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._memory = memory
        self.holding = False  # Qt's lockedByMe: this object's lock() succeeded, no unlock() yet
        self.waiting_since: float | None = None  # monotonic, while a call waits for the lock
        self._worker: WorkerThread | None = None
        self._running = False
        self._done.connect(self._arrived)
        self._generation = 0
        self._seen = (False, 0)  # attached, and bytes of image written, as last seen
        self._lock_set_up: QSharedMemory | None = None  # the object whose attach() or create() was tried

    @property
    def busy(self) -> bool:
        return self._running

    def _arrived(self, outcome: Outcome) -> None:
        self._running = False
        self.finished.emit(outcome)

    def call(self, name: str, argument: object = None) -> bool:
        """Start ``name`` (setKey, create, attach, lock, copy, read, unlock, detach); False while one runs."""
        if self.busy:
            return False
        method = getattr(self, "_" + name.lower())

        def work(stopping: threading.Event) -> None:
            shm = self._memory()
            # Only a segment this object attached to or created has its lock set up in Qt: before
            # that, Qt's lock() fails at once, and waiting first would hide that.
            if name in _WAITS and not self.holding and (name != "lock" or shm is self._lock_set_up):
                self.waiting_since = time.monotonic()
                lock = SegmentLock(self.key)
                while not stopping.is_set() and not lock.acquire(timeout=0.25, missing_grace=0):
                    pass
                lock.release()
                self.waiting_since = None
                if stopping.is_set():
                    return
            warnings: list[str] = []
            # The handler is the whole process's: only QSharedMemory's own words are this call's.
            previous = qInstallMessageHandler(
                lambda _kind, _context, text: warnings.append(text) if text.startswith("QSharedMemory") else None
            )
            started = time.perf_counter()
            if name in ("attach", "create"):
                self._lock_set_up = shm
            try:
                ok, answer, image = method(shm, argument)
            finally:
                qInstallMessageHandler(previous)
            ms = (time.perf_counter() - started) * 1000
            self._done.emit(Outcome(name, ok, "; ".join([*warnings, answer] if answer else warnings), ms, image))

        if self._worker is not None:
            self._worker.join()  # it has sent its outcome: only its last lines may run
        self._running = True
        self._worker = WorkerThread("shareimg-hand-call", work)
        self._worker.start()
        return True

    @property
    def keyed(self) -> bool:
        """Whether setKey() was made: before it, every call fails with KeyError."""
        return bool(self._memory().nativeKey())

    def stop(self) -> None:
        """Abandon a wait for the lock, give back a lock held by hand."""
        if self._worker is not None:
            self._worker.stop()
            self._worker = None
        self._running = False
        shm = self._memory()
        if self.holding:
            shm.unlock()
            self.holding = False

    def facts(self) -> SegmentFacts:
        status = segment_status(self.key)
        if not self.busy:  # while a call runs, its object is the worker's: what it was before that call
            shm = self._memory()
            attached = shm.isAttached()
            meta = layout.unpack(shm.constData()) if attached else None
            self._seen = attached, meta.payload_length if meta and meta.generation else 0
        attached, payload = self._seen
        size, processes = (status.size, status.attached) if status else (0, 0)
        return SegmentFacts(attached, size, processes, lock_holder(self.key), payload)

    # --- the calls: each returns (ok, Qt's answer, image) -----------------------------------

    @staticmethod
    def _qt(shm: QSharedMemory, ok: bool) -> tuple[bool, str, None]:
        if ok or shm.error() == QSharedMemory.SharedMemoryError.NoError:
            return ok, "", None
        return ok, f"{shm.error().name}: {shm.errorString()}", None

    def _setkey(self, shm: QSharedMemory, _: object) -> tuple[bool, str, None]:
        shm.setNativeKey(native_key(self.key))
        self.holding = False
        return True, "", None

    def _create(self, shm: QSharedMemory, size: int) -> tuple[bool, str, None]:
        return self._qt(shm, shm.create(size))

    def _attach(self, shm: QSharedMemory, _: object) -> tuple[bool, str, None]:
        return self._qt(shm, shm.attach())

    def _detach(self, shm: QSharedMemory, _: object) -> tuple[bool, str, None]:
        return self._qt(shm, shm.detach())

    def _lock(self, shm: QSharedMemory, _: object) -> tuple[bool, str, None]:
        ok = shm.lock()
        self.holding = self.holding or ok
        return self._qt(shm, ok)

    def _unlock(self, shm: QSharedMemory, _: object) -> tuple[bool, str, None]:
        ok = shm.unlock()  # sets no error when this object holds no lock: it says false, nothing more
        self.holding = self.holding and not ok
        return ok, "", None

    def _copy(self, shm: QSharedMemory, encoded: EncodedImage) -> tuple[bool, str, None]:
        view = shm.data()
        if view is None:
            return False, "data() is null: not attached", None
        if layout.segment_size(len(encoded.payload)) > len(view):
            return False, f"{len(encoded.payload):,} bytes do not fit in {len(view):,}", None
        self._generation += 1
        write_publication(view, encoded, self._generation)
        return True, f"{len(encoded.payload):,} B", None

    def _read(self, shm: QSharedMemory, _: object) -> tuple[bool, str, QImage | None]:
        view = shm.constData()
        if view is None:
            return False, "constData() is null: not attached", None
        try:
            image = copy_publication(self.key, view).decode().image
        except ShareImgError as error:
            return False, str(error), None
        return True, f"{image.width()}×{image.height()}", image
