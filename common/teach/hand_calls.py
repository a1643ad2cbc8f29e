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

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QSharedMemory, Signal, qInstallMessageHandler
from PySide6.QtGui import QImage

from shareimg.qt.background import WorkerThread
from shareimg.teach.qt_calls import GAVE_BACK, LOCK_GONE, QtCalls
from shareimg.transport import mapped
from shareimg.transport.keys import native_key
from shareimg.transport.lock import SegmentLock, lock_holder
from shareimg.transport.segment import segment_status
from shareimg.wire import layout

# Qt takes the lock inside these: wait for it first, without the global lock.
_WAITS = {"lock", "create", "attach", "detach"}


@dataclass(frozen=True)
class Outcome:
    call: str
    ok: bool
    reason: str  # one of qt_calls' reasons, or "" when Qt's own answer says it all
    qt: str  # what Qt said in this call: its error() and errorString(), and its warnings
    ms: float  # the call's own time
    waited_ms: float = 0.0  # waiting for the other program's unlock, before the call
    image: QImage | None = None  # what "read" read
    stand_in: bool = False  # made on the scene's second QSharedMemory, not the window's
    detail: str = ""  # what the call worked on: "1,234 B", "800×600"
    generation: int = 0  # what "copy" wrote

    @property
    def answer(self) -> str:
        """All of it, untranslated: for a log file or a program driving the window."""
        return "; ".join(part for part in (self.reason, self.detail, self.qt) if part)


@dataclass(frozen=True)
class SegmentFacts:
    attached: bool  # this window's QSharedMemory
    size: int  # the segment's bytes, from the kernel; 0 when there is none
    processes: int  # attachments, from the kernel
    lock_pid: int | None  # who holds the lock
    payload: int  # bytes of image written, from the trailer (0 if none, or not attached)


class HandCalls(QObject):
    """One call at a time on ``memory()``; ``finished`` brings each :class:`Outcome` to the owner's thread.

    A scene of the step-through may also call on a *stand-in*: a second
    QSharedMemory of this window under the same key, playing the other program.
    """

    finished = Signal(object)
    _done = Signal(object)  # from the worker

    def __init__(self, key: str, memory: Callable[[], QSharedMemory], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._memory = memory
        self._stand_in: QSharedMemory | None = None
        self._qt = QtCalls(key)
        self.waiting_since: float | None = None  # monotonic, while a call waits for the lock
        self.waiting_call = ""  # the call that waits
        self._worker: WorkerThread | None = None
        self._running = False
        self._done.connect(self._arrived)
        self._seen = (False, 0)  # attached, and bytes of image written, as last seen
        self._lock_set_up: list[QSharedMemory] = []  # the objects whose attach() or create() was tried
        self._leaving: list[QSharedMemory] = []  # after stop(): detached one after the other, then deleted
        self._kept: list[QSharedMemory] = []  # left attached by a detach that failed: never deleted, see _delete

    @property
    def busy(self) -> bool:
        return self._running

    @property
    def holding(self) -> bool:
        """Whether the window's object holds the lock: its lock() succeeded, no unlock() yet."""
        return self._qt.holding[False]

    @property
    def stand_in_attached(self) -> bool:
        return self._stand_in is not None and self._stand_in.isAttached()

    def _arrived(self, outcome: Outcome) -> None:
        self._running = False
        if self._leaving and outcome.call == "detach":  # only stop() makes calls while objects are leaving
            self._delete(self._leaving.pop(0))
            self.finished.emit(outcome)
            self._let_go_next()
            return
        self.finished.emit(outcome)

    def _target(self, stand_in: bool) -> QSharedMemory:
        if not stand_in:
            return self._memory()
        if self._stand_in is None:
            self._stand_in = QSharedMemory()
            self._stand_in.setNativeKey(native_key(self.key))
        return self._stand_in

    def call(self, name: str, argument: object = None, stand_in: bool = False) -> bool:
        """Start ``name`` (setKey, create, attach, lock, copy, read, unlock, detach); False while one runs."""
        if self.busy:
            return False
        self._start(name, argument, stand_in, self._target(stand_in))
        return True

    def _start(self, name: str, argument: object, stand_in: bool, shm: QSharedMemory) -> None:
        method = self._qt.call(name)

        def work(stopping: threading.Event) -> None:
            waited = 0.0
            # Only a segment this object attached to or created has its lock set up in Qt: before
            # that, Qt's lock() fails at once, and waiting first would hide that.
            set_up = any(shm is known for known in self._lock_set_up)
            if name in _WAITS and not self._qt.holding[stand_in] and (name != "lock" or set_up):
                self.waiting_call = name
                self.waiting_since = since = time.monotonic()
                lock = SegmentLock(self.key)
                while not stopping.is_set() and not lock.acquire(timeout=0.25, missing_grace=0):
                    pass
                lock.release()
                waited = (time.monotonic() - since) * 1000
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
                self._lock_set_up.append(shm)
            try:
                said = method(shm, argument, stand_in)
            finally:
                qInstallMessageHandler(previous)
            ms = (time.perf_counter() - started) * 1000
            if name in _WAITS and name != "lock" and any(GAVE_BACK in text for text in warnings):
                # Qt's own lock() inside found ours ("already locked") and its unlock() on the way out gave it back.
                self._qt.holding[stand_in] = False
            qt = warnings
            # Qt keeps error() from an earlier call where a call fails before trying: only a failure
            # without a reason of ours is Qt's, and only then is error() this call's.
            if not said.ok and not said.reason and shm.error() != QSharedMemory.SharedMemoryError.NoError:
                qt = [*warnings, f"{shm.error().name}: {shm.errorString()}"]
            reason = LOCK_GONE if "unable to set key on lock" in " ".join(qt) else said.reason
            self._done.emit(
                Outcome(
                    name, said.ok, reason, "; ".join(qt), ms, waited, said.image, stand_in, said.detail, said.generation
                )
            )

        if self._worker is not None:
            self._worker.join()  # it has sent its outcome: only its last lines may run
        self._running = True
        self._worker = WorkerThread("shareimg-hand-call", work)
        self._worker.start()

    @property
    def keyed(self) -> bool:
        """Whether setKey() was made: before it, every call fails with KeyError."""
        return bool(self._memory().nativeKey())

    def stop(self, window_too: bool = False) -> None:
        """Abandon a wait for the lock, give back the locks held by hand, and let the stand-in go.

        With ``window_too``, the window's object goes too (the consumer's own, not a publisher's);
        the window makes itself a new one. Never waits for the lock: what is still attached detaches
        as a call on the worker, which waits for the other program's unlock without the global lock,
        and is deleted after.
        """
        if self._worker is not None:
            self._worker.stop()
            self._worker = None
        self._running = False
        for stand_in in (False, True):
            if self._qt.holding[stand_in]:
                self._target(stand_in).unlock()  # unlock() never waits
                self._qt.holding[stand_in] = False
        for shm in (self._stand_in, self._memory() if window_too else None):
            if shm is not None and all(shm is not each for each in self._leaving):  # stopped again meanwhile
                self._leaving.append(shm)
        self._let_go_next()

    def finish_letting_go(self, seconds: float) -> None:
        """For a window that closes: wait at most ``seconds`` for the objects leaving to go.

        An object whose detach still waits then (the other program keeps the lock) stays attached
        until this process ends, when the kernel detaches it: deleting it would lock with the GIL held.
        """
        deadline = time.monotonic() + seconds
        while self._leaving and self._worker is not None:
            if not self._worker.join(max(deadline - time.monotonic(), 0.0)):
                self._worker.stop()  # its wait ends, and no call is made
                self._kept += self._leaving
                self._leaving = []
                return
            QCoreApplication.sendPostedEvents(self)  # its outcome, to _arrived, which starts the next

    def _let_go_next(self) -> None:
        """Detach the next object leaving (on the worker), or delete it at once if it is not attached."""
        while self._leaving:
            shm = self._leaving[0]
            if shm.isAttached():
                self._start("detach", None, shm is self._stand_in, shm)
                return
            self._delete(self._leaving.pop(0))

    def _delete(self, shm: QSharedMemory) -> None:
        if shm is self._stand_in:
            self.drop_stand_in()
        elif shm.isAttached():  # its detach failed: deleting it would lock with the GIL held
            self._kept.append(shm)
        else:
            self._lock_set_up = [known for known in self._lock_set_up if known is not shm]
            shiboken6.delete(shm)

    @property
    def stand_in_holding(self) -> bool:
        return self._qt.holding[True]

    def drop_stand_in(self) -> bool:
        """Delete the stand-in if it is not attached (deleting an attached one would lock with the GIL held).

        True if it is gone (or there was none).
        """
        stand_in = self._stand_in
        if stand_in is not None and (stand_in.isAttached() or self._qt.holding[True]):
            return False
        self._stand_in = None
        if stand_in is not None:
            self._lock_set_up = [known for known in self._lock_set_up if known is not stand_in]
            shiboken6.delete(stand_in)
        return True

    def facts(self) -> SegmentFacts:
        status = segment_status(self.key)
        if not self.busy:  # while a call runs, its object is the worker's: what it was before that call
            shm = self._memory()
            attached = shm.isAttached()
            meta = layout.unpack(mapped.readonly(shm)) if attached else None
            self._seen = attached, meta.payload_length if meta and meta.generation else 0
        attached, payload = self._seen
        size, processes = (status.size, status.attached) if status else (0, 0)
        return SegmentFacts(attached, size, processes, lock_holder(self.key), payload)
