"""A :class:`~common.watcher.Watcher` on its own thread, feeding the window.

The window takes the newest frame when it is ready to draw; frames that came
while it was busy are skipped, so a slow screen never builds up a queue.  Raw
frames come as views into the provider's slot: this thread copies each once,
straight into what the screen shows, and gives the slot back at once.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from shareimg.common import SharedImage, ShareImgError
from shareimg.common.steps import StepObserver
from shareimg.common.watcher import Frame, Watcher

from .view import needs_conversion


class FrameFeed(QObject):
    arrived = Signal()  # a frame is waiting in take()
    problem = Signal(str)  # one publication could not be read
    waiting = Signal(object)  # why nothing new comes: Watcher.waiting, None once a provider is live again

    def __init__(self, key: str, observer: StepObserver | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._observer = observer
        self._latest: Frame | None = None
        self._guard = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="shareimg-watch", daemon=True)
        self._watcher = Watcher(key, observer)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._watcher.wake()
        if self._thread.is_alive():
            self._thread.join()

    def take(self) -> Frame | None:
        with self._guard:
            frame, self._latest = self._latest, None
        return frame

    def _run(self) -> None:
        watcher = self._watcher
        reason: tuple[str, int] | None = ("", 0)
        try:
            while not self._stop.is_set():
                try:
                    frame = watcher.next_frame(timeout=1.0, stop=self._stop, view=True)
                except ShareImgError as error:
                    self.problem.emit(str(error))
                    continue
                if watcher.waiting != reason:
                    reason = watcher.waiting
                    self.waiting.emit(reason)
                if frame is not None:
                    frame = _displayable(frame)
                    with self._guard:
                        idle, self._latest = self._latest is None, frame
                    if idle:
                        self.arrived.emit()
        finally:
            watcher.close()


def _displayable(frame: Frame) -> Frame:
    """A view's pixels copied once, in a form a pixmap takes; the slot goes back at once."""
    if not frame.pinned:
        return frame
    with frame:
        shared = frame.shared
        if not needs_conversion(shared.image):
            return frame.copy()  # one copy, with Python's lock let go: the window's thread paints meanwhile
        image = shared.image.convertToFormat(QImage.Format.Format_RGB32)
    return Frame(SharedImage(shared.key, image, shared.metadata, shared.segment_bytes), frame.received_ns)
