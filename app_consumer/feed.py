"""A :class:`~common.watcher.Watcher` on a worker thread, feeding the window.

Each frame is also made ready for the screen on that thread (scaled to the
view, in the screen's format), so the window's thread only paints it.  Frames
go through a :class:`~common.ui.mailbox.LatestFrame`: the window takes the
newest when it is ready to draw, so a slow screen never builds up a queue.  Raw frames come as views into the
provider's slot: this thread copies each once and gives the slot back at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from shareimg import ShareImgError
from shareimg.qt.background import WorkerThread
from shareimg.transport.frame import Frame
from shareimg.transport.steps import StepObserver
from shareimg.transport.watcher import Watcher
from shareimg.ui.mailbox import LatestFrame


class FrameFeed(QObject):
    problem = Signal(object)  # one publication could not be read: the ShareImgError
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
        self._prepare = prepare
        # Each Frame, and its image made ready for the screen (None without ``prepare``).
        self.frames: LatestFrame[tuple[Frame, QImage | None]] = LatestFrame(self)
        self.arrived = self.frames.arrived
        self._worker = WorkerThread("shareimg-watch", self._run)
        self._watcher = Watcher(key, observer)

    def start(self) -> None:
        self._worker.start()

    def stop(self) -> None:
        self._worker.stopping.set()
        self._watcher.wake()  # out of its wait for the doorbell at once
        self._worker.stop()

    def take(self) -> tuple[Frame, QImage | None] | None:
        """The newest frame, and it made ready for the screen (None without ``prepare``)."""
        return self.frames.take()

    def _run(self, stopping: threading.Event) -> None:
        watcher = self._watcher
        reason: tuple[str, int] | None = ("", 0)
        try:
            while not stopping.is_set():
                try:
                    frame = watcher.next_frame(timeout=1.0, stop=stopping, view=True)
                except ShareImgError as error:
                    self.problem.emit(error)
                    continue
                if watcher.waiting != reason:
                    reason = watcher.waiting
                    self.waiting.emit(reason)
                if frame is not None:
                    frame = _owned(frame)
                    self.frames.put((frame, self._prepare(frame.shared.image) if self._prepare else None))
        finally:
            watcher.close()


def _owned(frame: Frame) -> Frame:
    """A view's pixels copied once, with Python's lock let go; the slot goes back at once."""
    if not frame.pinned:
        return frame
    with frame:
        return frame.copy()
