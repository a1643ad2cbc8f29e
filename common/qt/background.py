"""Run shared-memory work off the GUI thread, hear back on it, and stop it in time.

Locking, attaching and encoding can each take long (another process holds the
lock, an 8K image encodes for seconds); a window that waited for them would
freeze.  There is one kind of worker, :class:`WorkerThread`: a thread with a
stop event.  Streams (playing, watching) are a WorkerThread each; a window's
one-shot jobs (:class:`BackgroundJobs`) run one at a time on one, and each
job's result or error comes back to the callback given for it, on the GUI
thread.

A worker thread uses Qt objects its owner made (a segment, a window's models):
it must be stopped and joined before they are destroyed.  Each worker is
registered while it runs, so that :func:`stop_workers` can end, on any way
out, errors included, those its owner did not stop.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

from shareimg.transport.lock import stuck
from shareimg.transport.steps import StepTracker

T = TypeVar("T")


class Worker(Protocol):
    def stop(self) -> None:
        """Stop the worker's thread and join it."""


_running: dict[int, Worker] = {}  # by id(): a Qt object need not be hashable
_running_guard = threading.Lock()


def worker_started(worker: Worker) -> None:
    with _running_guard:
        _running[id(worker)] = worker


def worker_stopped(worker: Worker) -> None:
    with _running_guard:
        _running.pop(id(worker), None)


def stop_workers() -> None:
    """Stop and join every worker still running; all of them, even when one fails (then raise its error)."""
    with _running_guard:
        workers = list(_running.values())
    errors = []
    for worker in workers:
        try:
            worker.stop()
        except Exception as error:  # noqa: BLE001 - the others must still stop
            errors.append(error)
        worker_stopped(worker)
    if errors:
        raise errors[0]


class WorkerThread:
    """``work(stopping)`` on a thread of its own, registered until joined; ``stopping`` is set by :meth:`stop`."""

    def __init__(self, name: str, work: Callable[[threading.Event], None]) -> None:
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=work, args=(self.stopping,), name=name, daemon=True)

    def start(self) -> None:
        worker_started(self)
        self._thread.start()

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the work to end by itself; True if it has."""
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)
        if not self._thread.is_alive():
            worker_stopped(self)
        return not self._thread.is_alive()

    def stop(self, timeout: float | None = None) -> None:
        """Ask the work to end and wait for that at most ``timeout`` seconds."""
        self.stopping.set()
        self.join(timeout)


class BackgroundJobs(QObject):
    """One worker thread running jobs in order; each job's outcome goes to its own callback, on the owner's thread."""

    _completed = Signal(object)  # a callable to run here

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._worker: WorkerThread | None = None
        self._pending = 0
        # Queued even when a quick job is done before run() returns: outcomes never arrive
        # inside run(), and never ahead of signals the job emitted.
        self._completed.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(
        self,
        job: Callable[[], T],
        done: Callable[[T], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Queue ``job``; ``done(result)`` or ``failed(error)`` is called on this object's thread."""
        self._pending += 1

        def work() -> None:
            try:
                result = job()
            except Exception as error:  # noqa: BLE001 - handed to the owner's thread
                self._completed.emit(lambda error=error: failed(error) if failed else None)
            else:
                self._completed.emit(lambda: done(result) if done else None)

        self._submit(work)

    def run_now(self, job: Callable[[], T]) -> T:
        """Run ``job`` on the worker, after what is queued, and wait for it."""
        finished = threading.Event()
        outcome: list = []

        def work() -> None:
            try:
                outcome.append((job(), None))
            except Exception as error:  # noqa: BLE001 - raised again on the caller's thread
                outcome.append((None, error))
            finished.set()

        self._submit(work)
        finished.wait()
        result, error = outcome[0]
        if error is not None:
            raise error
        return result

    def stop(self) -> None:
        """Let the queued jobs finish, then end the worker thread (a later job starts a new one)."""
        worker, self._worker = self._worker, None
        if worker is not None:
            self._queue.put(None)
            worker.stop()

    def _submit(self, work: Callable[[], None]) -> None:
        if self._worker is None:
            self._worker = WorkerThread("shareimg-jobs", self._work)
            self._worker.start()
        self._queue.put(work)

    def _work(self, stopping: threading.Event) -> None:
        # Queued jobs are done first; stopping ends the thread only once nothing is queued.
        while True:
            try:
                work = self._queue.get(timeout=0.05)
            except queue.Empty:
                if stopping.is_set():
                    return
                continue
            if work is None:
                return
            work()

    def _deliver(self, outcome: Callable[[], None]) -> None:
        self._pending -= 1
        outcome()


def with_lock_patience(key: str, tracker: StepTracker, job: Callable[[], T], patience: float) -> T:
    """Run ``job`` but give up once it has waited ``patience`` seconds for the segment's lock.

    ``tracker`` must be the observer of the steps ``job`` takes.  Qt's lock
    cannot be interrupted, so the job runs on a worker that is abandoned on
    timeout: the caller can report and exit instead of hanging.
    """
    outcome: list = []

    def work(stopping: threading.Event) -> None:
        try:
            outcome.append((job(), None))
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
            outcome.append((None, error))

    worker = WorkerThread("shareimg-patient", work)
    worker.start()
    while not worker.join(0.05):
        if tracker.lock_wait_seconds() > patience:
            raise stuck(key, patience)
    result, error = outcome[0]
    if error is not None:
        raise error
    return result
