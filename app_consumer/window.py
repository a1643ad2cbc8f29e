"""The consumer's window: read the shared image and show it.

One slot per user action, as in Qt's Shared Memory Example.  The read (attach,
lock, copy, unlock, detach, decode) runs on a worker thread, so a provider that
holds the lock never freezes this window.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

from common import NothingShared, SharedImage, ShareImgError, read_shared
from common.background import BackgroundJobs

from .view import ImageView


class ConsumerWindow(QMainWindow):
    displayed = Signal(object)  # SharedImage
    failed = Signal(str)

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        self.setWindowTitle(f"shareimg consumer — key '{key}'")
        self._jobs = BackgroundJobs(self)
        self._jobs.finished.connect(self._show_image)
        self._jobs.failed.connect(self._show_failure)

        self.message = QLabel(f"Press the button to display the image shared under key '{key}'.")
        self.message.setWordWrap(True)
        self.image_view = ImageView()
        self.display_button = QPushButton("Display Image From Shared Memory")
        self.display_button.clicked.connect(self.display_from_shared_memory)
        self.status_line = QLabel(f"key '{key}' · no image yet")
        self.statusBar().addWidget(self.status_line, 1)

        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.message)
        column.addWidget(self.image_view, 1)
        column.addWidget(self.display_button)
        self.setCentralWidget(body)
        self.resize(640, 520)

    def display_from_shared_memory(self) -> None:
        """The button's slot: read the segment off the GUI thread."""
        if self._jobs.busy:
            return
        self.message.setText(f"Reading key '{self.key}'…")
        self._jobs.run(self.key, lambda: read_shared(self.key))

    def _show_image(self, key: str, shared: SharedImage) -> None:
        image = shared.image
        self.image_view.set_image(image)
        self.message.setText(f"Showing the image shared under key '{key}'.")
        self.status_line.setText(
            f"key '{key}' · {image.width()}×{image.height()} · {shared.codec} codec · {shared.segment_bytes:,} bytes"
        )
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
        self._jobs.shutdown()
        super().closeEvent(event)
