"""Run shared-memory work off the GUI thread and hear back on it.

Locking, attaching and encoding can each take long (another process holds the
lock, an 8K image encodes for seconds); a window that waited for them would
freeze.  Jobs run one at a time, in order, on one worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QObject, Signal


class BackgroundJobs(QObject):
    """One worker thread; ``finished`` and ``failed`` arrive on the owner's thread."""

    finished = Signal(object, object)  # the job's tag, its result
    failed = Signal(object, object)  # the job's tag, the exception it raised
    _completed = Signal(object, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shareimg")
        self._pending = 0
        self._completed.connect(self._deliver)

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
