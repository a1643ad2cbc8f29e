"""The provider's window: load an image, show it, share it.

Like Qt's Shared Memory Example, one slot per user action.  The slow parts
(reading the file, encoding, locking the segment) run on a worker thread, so
the window never freezes; results come back as signals.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from common import CODECS, QT, ImageCodec, Publication, Publisher, ShareImgError
from common.background import BackgroundJobs
from common.steps import StepTracker

from .loading import file_dialog_filter, is_animated, load_image
from .streams import Frames, Player, animation


class ScaledImage(QLabel):
    """An image scaled to the label, keeping its aspect ratio, re-scaled on resize."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(QSize(160, 120))
        self._source = QPixmap()

    def set_image(self, image: QImage) -> None:
        self._source = QPixmap.fromImage(image)
        self._rescale()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._source.isNull():
            return
        ratio = self.devicePixelRatioF()
        scaled = self._source.scaled(
            self.size() * ratio, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        scaled.setDevicePixelRatio(ratio)
        self.setPixmap(scaled)


#: After this long waiting for the segment's lock, the window says so.
LOCK_PATIENCE_SECONDS = 1.0


class Cancelled(Exception):
    pass


class ProviderWindow(QMainWindow):
    published = Signal(object)  # Publication
    failed = Signal(str)
    _frame_ready = Signal()  # the player left a frame to show
    _stream_failed = Signal(object)

    def __init__(self, key: str, codec: ImageCodec = QT) -> None:
        super().__init__()
        self.setWindowTitle(f"shareimg provider — key '{key}'")
        self._steps = StepTracker()
        self._publisher = Publisher(key, codec, self._steps)
        self._jobs = BackgroundJobs(self)
        self._jobs.finished.connect(self._show_published)
        self._jobs.failed.connect(self._show_failure)

        self.message = QLabel("Load an image to share it with the consumer.")
        self.message.setWordWrap(True)
        self.image_view = ScaledImage()
        self.load_button = QPushButton("Load Image From File…")
        self.load_button.clicked.connect(self.load_from_file)
        self.play_button = QPushButton("Pause")
        self.play_button.setEnabled(False)
        self.play_button.clicked.connect(self.toggle_playing)
        self.codec_box = QComboBox()
        self.codec_box.addItem("qt — Qt example format", "qt")
        self.codec_box.addItem("raw — pixels, fastest", "raw")
        self.codec_box.setCurrentIndex(self.codec_box.findData(codec.name))
        self.codec_box.setToolTip("How the image is written into the segment; C++ Qt programs read only 'qt'")
        self.codec_box.currentIndexChanged.connect(self.choose_codec)
        self._image: QImage | None = None  # the still image shared, to re-share in another codec
        self._player: Player | None = None
        self._pending_frame: tuple[QImage, Publication] | None = None
        self._frame_guard = threading.Lock()
        self._frame_ready.connect(self._show_frame)
        self._stream_failed.connect(lambda error: self._show_failure(None, error))
        self.status_line = QLabel(f"key '{key}' · nothing shared yet")
        self.statusBar().addWidget(self.status_line, 1)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no steps to count: an indicator that work goes on
        self.busy.setMaximumWidth(120)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_loading)
        for widget in (self.busy, self.cancel_button):
            widget.hide()
            self.statusBar().addPermanentWidget(widget)
        self._cancel: threading.Event | None = None
        self._lock_watch = QTimer(self)
        self._lock_watch.setInterval(250)
        self._lock_watch.timeout.connect(self._report_lock_wait)
        self._lock_watch.start()

        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.message)
        column.addWidget(self.image_view, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_button, 1)
        buttons.addWidget(self.play_button)
        buttons.addWidget(self.codec_box)
        column.addLayout(buttons)
        self.setCentralWidget(body)
        self.resize(640, 520)

    @property
    def key(self) -> str:
        return self._publisher.key

    def load_from_file(self) -> None:
        """The button's slot: ask for a file, then share it."""
        path, _ = QFileDialog.getOpenFileName(self, "Choose an image to share", "", file_dialog_filter())
        if path:
            self.share_file(path)

    def share_file(self, path: str | Path) -> None:
        """Load ``path`` and share it (play it, if animated); what was shared stays shared if this fails."""
        self.message.setText(f"Loading {Path(path).name}…")
        self.load_button.setEnabled(False)
        self._cancel = cancel = threading.Event()
        self.busy.show()
        self.cancel_button.show()
        player = self._player
        self._jobs.run(Path(path), lambda: self._load_and_publish(path, player, cancel))

    def cancel_loading(self) -> None:
        """The Cancel button's slot: drop the image being loaded; what is shared stays."""
        if self._cancel is not None:
            self._cancel.set()
            self.message.setText("Cancelling…")

    def choose_codec(self) -> None:
        """The codec box's slot: later images use the chosen codec, the current one is shared again."""
        self._publisher.codec = CODECS[self.codec_box.currentData()]
        if self._image is not None and self._player is None:
            image = self._image
            self._jobs.run(None, lambda: (image, self._publisher.publish(image)))

    def play(self, frames: Frames, name: str) -> None:
        """Publish each frame of a stream at its own pace."""
        self._stop_player()
        self._image = None
        self._player = Player(self._publisher, frames, self._frame_published, self._stream_failed.emit)
        self._player.start()
        self.play_button.setEnabled(True)
        self.play_button.setText("Pause")
        self.message.setText(f"Playing {name}.")

    def toggle_playing(self) -> None:
        """The Play/Pause button's slot."""
        if self._player is None:
            return
        if self._player.playing:
            self._player.pause()
            self.play_button.setText("Play")
        else:
            self._player.resume()
            self.play_button.setText("Pause")

    def _load_and_publish(
        self, path: str | Path, player: Player | None, cancel: threading.Event
    ) -> tuple[QImage, Publication] | None:
        """On the worker: a still image is loaded, encoded and shared; an animation is left to :meth:`play`.

        Reading and encoding cannot be interrupted, but a cancel between them, or
        before the copy, leaves the shared image untouched.
        """
        if is_animated(path):
            return None
        image = load_image(path)
        if cancel.is_set():
            raise Cancelled
        encoded = self._publisher.codec.encode(image)
        if cancel.is_set():
            raise Cancelled
        if player is not None:
            player.stop()  # only now: a file that fails to load leaves the stream playing
        return image, self._publisher.publish_encoded(encoded)

    def _finish_loading(self) -> None:
        self.load_button.setEnabled(True)
        self.busy.hide()
        self.cancel_button.hide()
        self._cancel = None

    def _report_lock_wait(self) -> None:
        waited = self._steps.lock_wait_seconds()
        if waited >= LOCK_PATIENCE_SECONDS:
            self.message.setText(
                f"Waiting for the lock of key '{self.key}': another process has held it for {waited:.0f} s. "
                "The window keeps working; the image will be shared when the lock is free."
            )

    def _show_published(self, path: Path | None, result: tuple[QImage, Publication] | None) -> None:
        self._finish_loading()
        if result is None:
            self.play(animation(path), path.name)
            return
        image, publication = result
        self._image = image
        self._player = None
        self.play_button.setEnabled(False)
        self.image_view.set_image(image)
        if path is not None:
            self.message.setText(f"Sharing {path.name}.")
        self._show_publication(publication)

    def _show_publication(self, publication: Publication) -> None:
        self.status_line.setText(
            f"key '{publication.key}' · {publication.width}×{publication.height} · {publication.codec} codec · "
            f"{publication.payload_bytes:,} bytes shared · generation {publication.generation}"
        )
        self.published.emit(publication)

    def _frame_published(self, image: QImage, publication: Publication) -> None:
        # On the player's thread: hand over a copy only when the last one was drawn.
        with self._frame_guard:
            idle = self._pending_frame is None
            if idle:
                self._pending_frame = (image.copy(), publication)
        if idle:
            self._frame_ready.emit()

    def _show_frame(self) -> None:
        with self._frame_guard:
            pending, self._pending_frame = self._pending_frame, None
        if pending is not None:
            self.image_view.set_image(pending[0])
            self._show_publication(pending[1])

    def _stop_player(self) -> None:
        if self._player is not None:
            self._player.stop()
            self._player = None

    def _show_failure(self, path: Path | None, error: BaseException) -> None:
        self._finish_loading()
        kept = " The image shared before is still shared." if self._publisher.sharing else ""
        if isinstance(error, Cancelled):
            self.message.setText(f"Loading {path.name} was cancelled.{kept}")
            self.failed.emit("cancelled")
            return
        text = str(error) if isinstance(error, ShareImgError) else f"unexpected error: {error}"
        self.message.setText(f"Error: {text}.{kept}")
        self.failed.emit(text)

    def closeEvent(self, event: object) -> None:
        self._stop_player()
        self._jobs.run_now(self._publisher.close)
        super().closeEvent(event)
