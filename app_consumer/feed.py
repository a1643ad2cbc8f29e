"""A :class:`~common.watcher.Watcher` on its own thread, feeding the window.

Each frame is also made ready for the screen on that thread (scaled to the
view, in the screen's format), so the window's thread only paints it.  The
window takes the newest frame when it is ready to draw; frames that came while
it was busy are skipped, so a slow screen never builds up a queue.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from shareimg.common import ShareImgError
from shareimg.common.background import worker_started, worker_stopped
from shareimg.common.steps import StepObserver
from shareimg.common.watcher import Frame, Watcher


class FrameFeed(QObject):
    arrived = Signal()  # a frame is waiting in take()
    problem = Signal(str)  # one publication could not be read
    waiting = Signal(object)  # why nothing new comes: Watcher.waiting, None once a provider is live again

    def __init__(
        self,
        key: str,
        observer: StepObserver | None = None,
        prepare: Callable[[QImage], QImage] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.key = key
        self._observer = observer
        self._prepare = prepare
        self._latest: tuple[Frame, QImage | None] | None = None
        self._guard = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="shareimg-watch", daemon=True)

    def start(self) -> None:
        worker_started(self)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        worker_stopped(self)

    def take(self) -> tuple[Frame, QImage | None] | None:
        """The newest frame, and it made ready for the screen (None without ``prepare``)."""
        with self._guard:
            frame, self._latest = self._latest, None
        return frame

    def _run(self) -> None:
        watcher = Watcher(self.key, self._observer)
        reason: tuple[str, int] | None = ("", 0)
        try:
            while not self._stop.is_set():
                try:
                    frame = watcher.next_frame(timeout=0.25, stop=self._stop)
                except ShareImgError as error:
                    self.problem.emit(str(error))
                    continue
                if watcher.waiting != reason:
                    reason = watcher.waiting
                    self.waiting.emit(reason)
                if frame is not None:
                    shown = self._prepare(frame.shared.image) if self._prepare else None
                    with self._guard:
                        idle, self._latest = self._latest is None, (frame, shown)
                    if idle:
                        self.arrived.emit()
        finally:
            watcher.close()
