"""Moving pictures for the provider: a test pattern and animated image files.

A stream yields frames with the time to show each; :class:`Player` publishes
them at that pace on its own thread, so a window stays free to draw.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter

from shareimg import ImageLoadError, Publication, Publisher
from shareimg.provider.loading import open_image
from shareimg.qt.background import WorkerThread

Frames = Iterator[tuple[QImage, float]]  # each frame and the seconds it stays


def pattern_colour(index: int) -> QColor:
    """Frame ``index``'s background: red and green carry the index, so a reader can check it."""
    return QColor(index & 0xFF, (index >> 8) & 0xFF, 0x80)


def pattern_index(image: QImage, x: int, y: int) -> int:
    """The frame index a test-pattern pixel carries (inverse of :func:`pattern_colour`)."""
    colour = image.pixelColor(x, y)
    return colour.red() | colour.green() << 8


def moving_pattern(width: int, height: int, fps: float, frames: int | None = None) -> Frames:
    """A white bar sweeping over a background that changes every frame.

    The bar covers the middle half of the rows only, so the four corners always
    show the background: equal corners mean an untorn frame.
    """
    image = QImage(width, height, QImage.Format.Format_RGB32)
    bar = max(width // 40, 2)
    index = 0
    while frames is None or index < frames:
        image.fill(pattern_colour(index))
        x = (index * bar) % max(width - bar, 1)
        painter = QPainter(image)
        painter.fillRect(QRect(x, height // 4, bar, height // 2), QColor("white"))
        painter.end()
        # The same QImage every frame: no 33 MB allocation per 4K frame.
        yield image, 1.0 / fps
        index += 1


def animation(path: str | Path) -> Frames:
    """Every frame of an animated image (GIF, WebP, APNG...) at its own timing, looping."""
    while True:
        reader = open_image(path)
        count = 0
        while reader.canRead():
            image = reader.read()
            if image.isNull():
                break
            count += 1
            # Qt gives 0 for "no delay"; browsers show such frames for 100 ms.
            delay = reader.nextImageDelay()
            yield image, (delay if delay > 0 else 100) / 1000
        if count == 0:
            raise ImageLoadError(path, ImageLoadError.UNDECODABLE, reader.errorString())


class Player:
    """Publishes a stream's frames at their pace on a worker thread; pause, resume, stop.

    ``on_frame`` and ``on_error`` are called on that thread.
    """

    def __init__(
        self,
        publisher: Publisher,
        frames: Frames,
        on_frame: Callable[[QImage, Publication], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._publisher = publisher
        self._frames = frames
        self._on_frame = on_frame
        self._on_error = on_error
        self._running = threading.Event()
        self.published = 0
        self._worker = WorkerThread("shareimg-player", self._run)

    def start(self) -> None:
        self._running.set()
        self._worker.start()

    @property
    def playing(self) -> bool:
        return self._running.is_set() and not self._worker.stopping.is_set()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self, timeout: float | None = None) -> None:
        """Stop after the frame being published; wait for that at most ``timeout`` seconds."""
        self._worker.stopping.set()
        self._running.set()
        self._worker.join(timeout)

    def _run(self, stopping: threading.Event) -> None:
        due = time.monotonic()
        try:
            for image, seconds in self._frames:
                self._running.wait()
                if stopping.is_set():
                    return
                publication = self._publisher.publish(image)
                self.published += 1
                if self._on_frame is not None:
                    self._on_frame(image, publication)
                due = max(due + seconds, time.monotonic() - seconds)  # late frames do not pile up
                if stopping.wait(max(due - time.monotonic(), 0)):
                    return
        except Exception as error:  # noqa: BLE001 - reported to the window or the command line
            if self._on_error is not None:
                self._on_error(error)
