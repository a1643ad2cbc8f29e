"""The provider's window: load an image, show it, share it.

Like Qt's Shared Memory Example, one slot per user action.  The slow parts
(reading the file, encoding, locking the segment) run on a worker thread, so
the window never freezes; results come back as signals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from shareimg.common import CODECS, QT, ImageCodec, InvalidKey, Publication, Publisher, ShareImgError, validate_key
from shareimg.common.background import BackgroundJobs
from shareimg.common.display import Placement, prepare
from shareimg.common.i18n import translated_message
from shareimg.common.steplog import StepLogModel
from shareimg.common.steps import StepTracker

from .loading import file_dialog_filter, is_animated, load_image
from .streams import Frames, Player, animation


class ScaledImage(QLabel):
    """An image scaled to the label, keeping its aspect ratio, re-scaled on resize.

    A stream's frames come scaled already (:meth:`prepare`, on the player's thread).
    """

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(QSize(160, 120))
        self._source = QImage()
        self._placement = Placement()

    def prepare(self, image: QImage) -> QImage:
        """``image`` scaled to the label, in the screen's format; safe to call from any thread."""
        return prepare(image, self._placement)

    def set_image(self, image: QImage, shown: QImage | None = None) -> None:
        """Show ``image``; ``shown`` is it made ready by :meth:`prepare`, if that was done elsewhere."""
        self._source = image
        self._show(shown)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        ratio = self.devicePixelRatioF()
        self._placement = Placement(round(self.width() * ratio), round(self.height() * ratio), device_pixel_ratio=ratio)
        self._show()

    def _show(self, shown: QImage | None = None) -> None:
        if self._source.isNull():
            return
        if shown is None or shown.size() != self._placement.shown_size(self._source.size()):
            shown = self.prepare(self._source)
        self.setPixmap(QPixmap.fromImage(shown))


# After this long waiting for the segment's lock, the window says so.
LOCK_PATIENCE_SECONDS = 1.0
RECENT_FILES = 8
VERSION = "0.1.0"


class Cancelled(Exception):
    pass


class ProviderWindow(QMainWindow):
    published = Signal(object)  # Publication
    failed = Signal(str)
    stopped = Signal()  # Stop Sharing finished
    _frame_ready = Signal()  # the player left a frame to show
    _stream_failed = Signal(object)

    def __init__(
        self, key: str, codec: ImageCodec = QT, settings: QSettings | None = None, title: str | None = None
    ) -> None:
        super().__init__()
        self.settings = settings or QSettings("shareimg", "provider")
        self.steps_model = StepLogModel(self)
        self._steps = StepTracker(self.steps_model.observe)
        self._fixed_title = title  # --title; else the title follows what is shared
        self._publisher = Publisher(key, codec, self._steps, title)
        self._jobs = BackgroundJobs(self)
        self._jobs.finished.connect(self._show_published)
        self._jobs.failed.connect(self._show_failure)
        self._image: QImage | None = None  # the still image shared, to re-share in another codec or key
        self._player: Player | None = None
        self._pending_frame: tuple[QImage, Publication] | None = None
        self._frame_guard = threading.Lock()
        self._frame_ready.connect(self._show_frame)
        self._stream_failed.connect(lambda error: self._show_failure(None, error))
        self._cancel: threading.Event | None = None

        self.message = QLabel(self.tr("Load an image to share it with the consumer, or drop one here."))
        self.message.setWordWrap(True)
        self.image_view = ScaledImage()
        self.load_button = QPushButton(self.tr("Load Image From File…"))
        self.load_button.clicked.connect(self.load_from_file)
        self.play_button = QPushButton(self.tr("Pause"))
        self.play_button.setEnabled(False)
        self.play_button.clicked.connect(self.toggle_playing)
        self.codec_box = QComboBox()
        self.codec_box.addItem(self.tr("qt — Qt example format"), "qt")
        self.codec_box.addItem(self.tr("raw — pixels, fastest"), "raw")
        self.codec_box.setCurrentIndex(self.codec_box.findData(codec.name))
        self.codec_box.setToolTip(self.tr("How the image is written into the segment; C++ Qt programs read only 'qt'"))
        self.codec_box.currentIndexChanged.connect(self.choose_codec)
        self.status_line = QLabel()
        self.statusBar().addWidget(self.status_line, 1)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no steps to count: an indicator that work goes on
        self.busy.setMaximumWidth(120)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_loading)
        for widget in (self.busy, self.cancel_button):
            widget.hide()
            self.statusBar().addPermanentWidget(widget)

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
        self.setAcceptDrops(True)

        self.steps_dock = self._steps_dock()
        self._build_menus()
        self._show_key()
        self.resize(640, 560)
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

        self._lock_watch = QTimer(self)
        self._lock_watch.setInterval(250)
        self._lock_watch.timeout.connect(self._report_lock_wait)
        self._lock_watch.start()

    # --- building -------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.tr("&Open…"), QKeySequence.StandardKey.Open, self.load_from_file)
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        self._fill_recent_menu()
        file_menu.addAction(self.tr("&Paste Image"), QKeySequence.StandardKey.Paste, self.paste)
        file_menu.addSeparator()
        self.stop_action = file_menu.addAction(self.tr("&Stop Sharing"), self.stop_sharing)
        file_menu.addAction(self.tr("Change &Key…"), self.ask_for_key)
        file_menu.addSeparator()
        file_menu.addAction(self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        view_menu.addAction(self.steps_dock.toggleViewAction())
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.tr("&About"), self.about)

    def _steps_dock(self) -> QDockWidget:
        dock = QDockWidget(self.tr("Shared-memory steps"), self)
        dock.setObjectName("steps")
        self.steps_view = QTreeView()
        dock.setWidget(self.steps_view)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.hide()
        self.steps_model.present(self.steps_view, dock)
        return dock

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.recent_files():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, path=path: self.share_file(path))
        self.recent_menu.setEnabled(bool(self.recent_files()))

    @property
    def key(self) -> str:
        return self._publisher.key

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    # --- user actions ---------------------------------------------------------------------

    def load_from_file(self) -> None:
        """The button's slot: ask for a file, then share it."""
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose an image to share"), "", file_dialog_filter())
        if path:
            self.share_file(path)

    def share_file(self, path: str | Path) -> None:
        """Load ``path`` and share it (play it, if animated); what was shared stays shared if this fails."""
        path = Path(path)
        self._start_job(self.tr("Loading {}…").format(path.name), path, lambda *a: self._load_and_publish(path, *a))

    def share_image(self, image: QImage, name: str, title: str | None = None) -> None:
        """Share an image that came without a file (pasted, dropped from another app), as ``title``."""
        self._start_job(self.tr("Sharing {}…").format(name), name, lambda *a: self._publish(image, *a, title=title))

    def paste(self) -> None:
        """Ctrl+V: share the image (or image file) on the clipboard."""
        if not self._take_mime(
            QGuiApplication.clipboard().mimeData(), self.tr("the clipboard image"), self.tr("pasted image")
        ):
            self.statusBar().showMessage(self.tr("The clipboard holds no image."), 5000)

    def cancel_loading(self) -> None:
        """The Cancel button's slot: drop the image being loaded; what is shared stays."""
        if self._cancel is not None:
            self._cancel.set()
            self.message.setText(self.tr("Cancelling…"))

    def stop_sharing(self) -> None:
        """Detach and remove the segment: consumers then say that nothing is shared."""
        self._stop_player()
        self._image = None
        self._jobs.run("stop", self._publisher.close)

    def choose_codec(self) -> None:
        """The codec box's slot: later images use the chosen codec, the current one is shared again."""
        self._publisher.codec = CODECS[self.codec_box.currentData()]
        if self._image is not None and self._player is None:
            image = self._image
            self._jobs.run(None, lambda: (image, self._publisher.publish(image)))

    def ask_for_key(self) -> None:
        key, ok = QInputDialog.getText(self, self.tr("Shared-memory key"), self.tr("Key:"), text=self.key)
        if ok:
            self.change_key(key)

    def change_key(self, key: str) -> bool:
        """Share under another key from now on (the current image moves along); False if invalid."""
        try:
            validate_key(key)
        except InvalidKey as error:
            self.message.setText(self.tr("Error: {}.").format(error))
            return False
        self._stop_player()
        old, image = self._publisher, self._image
        self._publisher = Publisher(key, old.codec, self._steps, old.title)
        self._jobs.run("stop", old.close)
        self.settings.setValue("key", key)
        self._show_key()
        if image is not None:
            self.share_image(image, self.tr("the current image"))
        return True

    def play(self, frames: Frames, name: str) -> None:
        """Publish each frame of a stream at its own pace."""
        self._stop_player()
        self._image = None
        self._publisher.title = self._fixed_title or name
        self._player = Player(self._publisher, frames, self._frame_published, self._stream_failed.emit)
        self.steps_model.follow_stream(True)
        self._player.start()
        self.play_button.setEnabled(True)
        self.play_button.setText(self.tr("Pause"))
        self.message.setText(self.tr("Playing {}.").format(name))

    def toggle_playing(self) -> None:
        """The Play/Pause button's slot."""
        if self._player is None:
            return
        if self._player.playing:
            self._player.pause()
            self.play_button.setText(self.tr("Play"))
        else:
            self._player.resume()
            self.play_button.setText(self.tr("Pause"))

    def about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About shareimg provider"),
            self.tr(
                "<b>shareimg provider</b> {}<p>Shares an image with other processes through a Qt "
                "QSharedMemory segment, as program A of the classic Qt IPC article.</p>"
            ).format(VERSION),
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasImage() or any(url.isLocalFile() for url in mime.urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self._take_mime(event.mimeData(), self.tr("the dropped image"), self.tr("dropped image")):
            event.acceptProposedAction()

    # --- loading and sharing, off the GUI thread -----------------------------------------

    def _start_job(self, text: str, tag: object, job: Callable[[Player | None, threading.Event], tuple | None]) -> None:
        self.message.setText(text)
        self.load_button.setEnabled(False)
        self._cancel = cancel = threading.Event()
        self.busy.show()
        self.cancel_button.show()
        player = self._player
        self._jobs.run(tag, lambda: job(player, cancel))

    def _load_and_publish(
        self, path: Path, player: Player | None, cancel: threading.Event
    ) -> tuple[QImage, Publication] | None:
        """A still image is loaded, encoded and shared; an animation is left to :meth:`play`.

        Reading and encoding cannot be interrupted, but a cancel between them, or
        before the copy, leaves the shared image untouched.
        """
        if is_animated(path):
            return None
        image = load_image(path)
        if cancel.is_set():
            raise Cancelled
        return self._publish(image, player, cancel, path.name)

    def _publish(
        self, image: QImage, player: Player | None, cancel: threading.Event, title: str | None = None
    ) -> tuple[QImage, Publication]:
        """Share ``image``; with ``title``, consumers' lists of sources call it so from now on."""
        encoded = self._publisher.codec.encode(image)
        if cancel.is_set():
            raise Cancelled
        if player is not None:
            player.stop()  # only now: a file that fails to load leaves the stream playing
        before = self._publisher.title
        self._publisher.title = self._fixed_title or title or before
        try:
            return image, self._publisher.publish_encoded(encoded)
        except BaseException:
            self._publisher.title = before
            raise

    # --- results ------------------------------------------------------------------------------

    def _take_mime(self, mime: QMimeData | None, name: str, title: str) -> bool:
        if mime is None:
            return False
        files = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
        if files:
            self.share_file(files[0])
            return True
        if mime.hasImage():
            image = QImage(mime.imageData())
            if not image.isNull():
                self.share_image(image, name, title)
                return True
        return False

    def _finish_loading(self) -> None:
        self.load_button.setEnabled(True)
        self.busy.hide()
        self.cancel_button.hide()
        self._cancel = None

    def _show_key(self) -> None:
        self.setWindowTitle(self.tr("shareimg provider — key '{}'").format(self.key))
        self.status_line.setText(self.tr("key '{}' · nothing shared yet").format(self.key))

    def _report_lock_wait(self) -> None:
        waited = self._steps.lock_wait_seconds()
        if waited >= LOCK_PATIENCE_SECONDS:
            self.message.setText(
                self.tr(
                    "Waiting for the lock of key '{}': another process has held it for {:.0f} s. "
                    "The window keeps working; the image will be shared when the lock is free."
                ).format(self.key, waited)
            )

    def _show_published(self, tag: object, result: tuple[QImage, Publication] | None) -> None:
        if tag == "stop":
            if not self._publisher.sharing:
                self._show_key()
                self.message.setText(self.tr("Stopped sharing: the segment is removed."))
                self.stopped.emit()
            return
        self._finish_loading()
        if result is None:
            self.play(animation(tag), tag.name)
            return
        image, publication = result
        self._image = image
        self._stop_player()  # already stopped by the job, which replaced the stream
        self.image_view.set_image(image)
        if isinstance(tag, Path):
            self.message.setText(self.tr("Sharing {}.").format(tag.name))
            self._remember(tag)
        elif isinstance(tag, str):
            self.message.setText(self.tr("Sharing {}.").format(tag))
        self._show_publication(publication)

    def _remember(self, path: Path) -> None:
        recent = [str(path.resolve())] + [p for p in self.recent_files() if p != str(path.resolve())]
        self.settings.setValue("recent", recent[:RECENT_FILES])
        self._fill_recent_menu()

    def _show_publication(self, publication: Publication) -> None:
        self.status_line.setText(
            self.tr("key '{}' · {}×{} · {} codec · {:,} bytes shared · generation {}").format(
                publication.key,
                publication.width,
                publication.height,
                publication.codec,
                publication.payload_bytes,
                publication.generation,
            )
        )
        self.published.emit(publication)

    def _frame_published(self, image: QImage, publication: Publication) -> None:
        # On the player's thread: hand over the frame scaled for the screen, only when the last one was drawn.
        with self._frame_guard:
            idle = self._pending_frame is None
        if idle:
            shown = self.image_view.prepare(image)
            with self._frame_guard:
                self._pending_frame = (shown, publication)
            self._frame_ready.emit()

    def _show_frame(self) -> None:
        with self._frame_guard:
            pending, self._pending_frame = self._pending_frame, None
        if pending is not None:
            shown, publication = pending
            self.image_view.set_image(shown, shown)
            self._show_publication(publication)

    def _stop_player(self) -> None:
        if self._player is not None:
            self._player.stop()
            self._player = None
            self.play_button.setEnabled(False)
        self.steps_model.follow_stream(False)

    def _show_failure(self, tag: object, error: BaseException) -> None:
        self._finish_loading()
        kept = self.tr(" The image shared before is still shared.") if self._publisher.sharing else ""
        if isinstance(error, Cancelled):
            name = tag.name if isinstance(tag, Path) else str(tag)
            self.message.setText(self.tr("Loading {} was cancelled.").format(name) + kept)
            self.failed.emit("cancelled")
            return
        if isinstance(error, ShareImgError):
            text = translated_message(error)
        else:
            text = self.tr("unexpected error: {}").format(error)
        self.message.setText(self.tr("Error: {}.").format(text) + kept)
        self.failed.emit(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        # The worker threads first: they use the publisher and this window's objects.
        self._stop_player()
        self._jobs.run_now(self._publisher.close)
        self._jobs.stop()
        self.settings.setValue("geometry", self.saveGeometry())
        super().closeEvent(event)
