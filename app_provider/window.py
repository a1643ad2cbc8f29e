"""The provider's window: load an image, show it, share it.

Like Qt's Shared Memory Example, one slot per user action.  The slow parts
(reading the file, encoding, locking the segment) run on a worker thread, so
the window never freezes; results come back as signals.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from common import QT, ImageCodec, Publication, Publisher, ShareImgError
from common.background import BackgroundJobs

from .loading import file_dialog_filter, load_image


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


class ProviderWindow(QMainWindow):
    published = Signal(object)  # Publication
    failed = Signal(str)

    def __init__(self, key: str, codec: ImageCodec = QT) -> None:
        super().__init__()
        self.setWindowTitle(f"shareimg provider — key '{key}'")
        self._publisher = Publisher(key, codec)
        self._jobs = BackgroundJobs(self)
        self._jobs.finished.connect(self._show_published)
        self._jobs.failed.connect(self._show_failure)

        self.message = QLabel("Load an image to share it with the consumer.")
        self.message.setWordWrap(True)
        self.image_view = ScaledImage()
        self.load_button = QPushButton("Load Image From File…")
        self.load_button.clicked.connect(self.load_from_file)
        self.status_line = QLabel(f"key '{key}' · nothing shared yet")
        self.statusBar().addWidget(self.status_line, 1)

        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.message)
        column.addWidget(self.image_view, 1)
        column.addWidget(self.load_button)
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
        """Load ``path`` and share it; what was shared stays shared if this fails."""
        self.message.setText(f"Loading {Path(path).name}…")
        self.load_button.setEnabled(False)
        self._jobs.run(Path(path), lambda: self._load_and_publish(path))

    def _load_and_publish(self, path: str | Path) -> tuple[QImage, Publication]:
        image = load_image(path)
        return image, self._publisher.publish(image)

    def _show_published(self, path: Path, result: tuple[QImage, Publication]) -> None:
        image, publication = result
        self.load_button.setEnabled(True)
        self.image_view.set_image(image)
        self.message.setText(f"Sharing {path.name}.")
        self.status_line.setText(
            f"key '{publication.key}' · {publication.width}×{publication.height} · "
            f"{publication.payload_bytes:,} bytes shared"
        )
        self.published.emit(publication)

    def _show_failure(self, path: Path, error: BaseException) -> None:
        self.load_button.setEnabled(True)
        text = str(error) if isinstance(error, ShareImgError) else f"unexpected error: {error}"
        kept = " The image shared before is still shared." if self._publisher.sharing else ""
        self.message.setText(f"Error: {text}.{kept}")
        self.failed.emit(text)

    def closeEvent(self, event: object) -> None:
        self._jobs.run_now(self._publisher.close)
        self._jobs.shutdown()
        super().closeEvent(event)
