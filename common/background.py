"""Run shared-memory work off the GUI thread, hear back on it, and stop it in time.

Locking, attaching and encoding can each take long (another process holds the
lock, an 8K image encodes for seconds); a window that waited for them would
freeze.  Jobs run one at a time, in order, on one worker thread.

A worker thread uses Qt objects its owner made (a segment, a window's models):
it must be stopped and joined before they are destroyed.  Each worker says when
it starts and stops (:func:`worker_started`, :func:`worker_stopped`), so that
:func:`stop_workers` can end, on any way out, errors included, those its owner
did not stop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

from .errors import LockTimeout
from .steps import StepTracker

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


class BackgroundJobs(QObject):
    """One worker thread; ``finished`` and ``failed`` arrive on the owner's thread."""

    finished = Signal(object, object)  # the job's tag, its result
    failed = Signal(object, object)  # the job's tag, the exception it raised
    _completed = Signal(object, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = _executor()
        self._pending = 0
        # Queued even when a quick job is done before run() returns (the callback then runs here):
        # results never arrive inside run(), and never ahead of signals the job emitted.
        self._completed.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(self, tag: object, job: Callable[[], object]) -> None:
        """Queue ``job``; its result or exception is emitted with ``tag``."""
        self._pending += 1
        self._submit(job).add_done_callback(lambda future: self._completed.emit(tag, *_outcome(future)))

    def run_now(self, job: Callable[[], object]) -> object:
        """Run ``job`` on the worker, after what is queued, and wait for it."""
        return self._submit(job).result()

    def stop(self) -> None:
        """Let the queued jobs finish, then end the worker thread (a later job starts a new one)."""
        executor, self._executor = self._executor, _executor()
        executor.shutdown(wait=True)
        worker_stopped(self)

    def _submit(self, job: Callable[[], object]) -> Future:
        worker_started(self)
        return self._executor.submit(job)

    def _deliver(self, tag: object, result: object, error: object) -> None:
        self._pending -= 1
        if error is None:
            self.finished.emit(tag, result)
        else:
            self.failed.emit(tag, error)


def _executor() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="shareimg")


def _outcome(future: Future) -> tuple[object, BaseException | None]:
    error = future.exception()
    return (None, error) if error is not None else (future.result(), None)


def with_lock_patience(key: str, tracker: StepTracker, job: Callable[[], T], patience: float) -> T:
    """Run ``job`` but give up once it has waited ``patience`` seconds for the segment's lock.

    ``tracker`` must be the observer of the steps ``job`` takes.  Qt's lock
    cannot be interrupted, so the job runs on a daemon thread that is abandoned
    on timeout: the caller can report and exit instead of hanging.
    """
    outcome: list = []

    def work() -> None:
        try:
            outcome.append((job(), None))
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
            outcome.append((None, error))

    thread = threading.Thread(target=work, name="shareimg-patient", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.05)
        if thread.is_alive() and tracker.lock_wait_seconds() > patience:
            raise LockTimeout(
                f"another process has held the lock of key '{key}' for more than {patience:g} s; "
                "it may be stuck: close it, or choose another key"
            )
    result, error = outcome[0]
    if error is not None:
        raise error
    return result
