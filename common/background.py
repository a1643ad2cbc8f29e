"""Run shared-memory work off the GUI thread and hear back on it.

Locking, attaching and encoding can each take long (another process holds the
lock, an 8K image encodes for seconds); a window that waited for them would
freeze.  Jobs run one at a time, in order, on one worker thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, Signal

from .errors import LockTimeout
from .steps import StepTracker

T = TypeVar("T")


class BackgroundJobs(QObject):
    """One worker thread; ``finished`` and ``failed`` arrive on the owner's thread."""

    finished = Signal(object, object)  # the job's tag, its result
    failed = Signal(object, object)  # the job's tag, the exception it raised
    _completed = Signal(object, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shareimg")
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
        self._executor.submit(job).add_done_callback(lambda future: self._completed.emit(tag, *_outcome(future)))

    def run_now(self, job: Callable[[], object]) -> object:
        """Run ``job`` on the worker, after what is queued, and wait for it."""
        return self._executor.submit(job).result()

    def _deliver(self, tag: object, result: object, error: object) -> None:
        self._pending -= 1
        if error is None:
            self.finished.emit(tag, result)
        else:
            self.failed.emit(tag, error)


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
