"""The consumer's window: read the shared image and show it.

One slot per user action, as in Qt's Shared Memory Example.  The read (attach,
lock, copy, unlock, detach, decode) runs on a worker thread, so a provider that
holds the lock never freezes this window.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

from common import NothingShared, SharedImage, ShareImgError, read_shared
from common.background import BackgroundJobs
from common.steps import StepTracker

from .feed import FrameFeed
from .stats import StreamStats
from .view import ImageView

#: After this long waiting for the segment's lock, the window says so.
LOCK_PATIENCE_SECONDS = 1.0


class ConsumerWindow(QMainWindow):
    displayed = Signal(object)  # SharedImage
    failed = Signal(str)

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        self.setWindowTitle(f"shareimg consumer — key '{key}'")
        self._steps = StepTracker()
        self._jobs = BackgroundJobs(self)
        self._jobs.finished.connect(self._show_image)
        self._jobs.failed.connect(self._show_failure)

        self.message = QLabel(f"Press the button to display the image shared under key '{key}'.")
        self.message.setWordWrap(True)
        self.image_view = ImageView()
        self.display_button = QPushButton("Display Image From Shared Memory")
        self.display_button.clicked.connect(self.display_from_shared_memory)
        self.watch_box = QCheckBox("Watch: show each new image by itself")
        self.watch_box.toggled.connect(self.set_watching)
        self._feed: FrameFeed | None = None
        self._stats = StreamStats()
        self.status_line = QLabel(f"key '{key}' · no image yet")
        self.statusBar().addWidget(self.status_line, 1)
        self._lock_watch = QTimer(self)
        self._lock_watch.setInterval(250)
        self._lock_watch.timeout.connect(self._report_lock_wait)
        self._lock_watch.start()

        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.message)
        column.addWidget(self.image_view, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.display_button, 1)
        buttons.addWidget(self.watch_box)
        column.addLayout(buttons)
        self.setCentralWidget(body)
        self.resize(640, 520)

    def display_from_shared_memory(self) -> None:
        """The button's slot: read the segment off the GUI thread."""
        if self._jobs.busy:
            return
        self.message.setText(f"Reading key '{self.key}'…")
        self._jobs.run(self.key, lambda: read_shared(self.key, self._steps))

    def set_watching(self, on: bool) -> None:
        """The checkbox's slot: follow the key, showing each new image as it comes."""
        if self._feed is not None:
            self._feed.stop()
            self._feed = None
        if on:
            self._stats = StreamStats()
            self._feed = FrameFeed(self.key, self._steps, self)
            self._feed.arrived.connect(self._take_frame)
            self._feed.problem.connect(lambda text: self._show_failure(self.key, ShareImgError(text)))
            self._feed.waiting.connect(self._show_waiting)
            self._feed.start()
            self.message.setText(f"Watching key '{self.key}'…")

    def _take_frame(self) -> None:
        frame = self._feed.take() if self._feed else None
        if frame is not None:
            self._show_image(self.key, frame.shared)

    def _report_lock_wait(self) -> None:
        waited = self._steps.lock_wait_seconds()
        if waited >= LOCK_PATIENCE_SECONDS:
            self.message.setText(
                f"Waiting for the lock of key '{self.key}': another process has held it for {waited:.0f} s. "
                "The image will be read when the lock is free."
            )

    def _show_waiting(self, reason: str) -> None:
        if reason:
            kept = " The image shown is the last one read." if self.image_view.has_image else ""
            self.message.setText(f"Watching key '{self.key}': {reason}.{kept}")

    def _show_image(self, key: str, shared: SharedImage) -> None:
        image = shared.image
        self.image_view.set_image(image)
        meta = shared.metadata
        self.message.setText(f"Showing the image shared under key '{key}'.")
        parts = [f"key '{key}'", f"{image.width()}×{image.height()}", f"{shared.codec} codec"]
        if meta is not None:
            parts.append(f"generation {meta.generation}")
        if self._feed is not None:
            self._stats.record(meta.generation if meta else 0, meta.publish_ns if meta else None, time.monotonic_ns())
            parts.append(self._stats.summary())
        else:
            parts.append(f"{shared.segment_bytes:,} bytes")
        self.status_line.setText(" · ".join(parts))
        self.displayed.emit(shared)

    def _show_failure(self, key: str, error: BaseException) -> None:
        if isinstance(error, NothingShared):
            text = f"Nothing is shared under key '{key}' yet — start the provider and load an image."
        elif isinstance(error, ShareImgError):
            text = f"Error: {error}."
        else:
            text = f"Unexpected error: {error}."
        if self.image_view.has_image:
            text += " The image shown is the last one read."
        self.message.setText(text)
        self.failed.emit(text)

    def closeEvent(self, event: object) -> None:
        self.watch_box.setChecked(False)
        super().closeEvent(event)
