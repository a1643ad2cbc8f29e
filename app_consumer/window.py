"""The consumer's window: read the shared image and show it.

One slot per user action, as in Qt's Shared Memory Example.  Reads (attach,
lock, copy, unlock, detach, decode) run on a worker thread, so a provider that
holds the lock never freezes this window.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QImage, QImageWriter, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from shareimg.common import (
    InvalidKey,
    KeyOfAnotherUser,
    NothingShared,
    SharedImage,
    ShareImgError,
    read_shared,
    validate_key,
)
from shareimg.common.background import BackgroundJobs
from shareimg.common.channel import process_alive
from shareimg.common.i18n import translated_message
from shareimg.common.recent_keys import remember_key
from shareimg.common.steplog import StepLogModel
from shareimg.common.steps import StepTracker
from shareimg.common.watcher import ANOTHER_USER, GONE, NOTHING_SHARED, STOPPED

from .feed import FrameFeed
from .sources_panel import SourcesDock
from .stats import StreamStats
from .view import ImageView

# After this long waiting for the segment's lock, the window says so.
LOCK_PATIENCE_SECONDS = 1.0
# During a stream the status bar and the details change at most this often: text is laid out
# on the GUI thread, and nobody reads 60 numbers a second.
REFRESH_NS = 250_000_000
VERSION = "0.1.0"


class ConsumerWindow(QMainWindow):
    displayed = Signal(object)  # SharedImage
    failed = Signal(str)

    def __init__(self, key: str, settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or QSettings("shareimg", "consumer")
        self.steps_model = StepLogModel(self)
        self._steps = StepTracker(self.steps_model.observe)
        self._jobs = BackgroundJobs(self)
        self._jobs.finished.connect(lambda key, read: self._show_image(key, *read))
        self._jobs.failed.connect(self._show_failure)
        self._feed: FrameFeed | None = None
        self._stats = StreamStats()
        self._status_ns = 0  # when the status bar last changed
        self._shared: SharedImage | None = None
        self.key = key

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.image_view = ImageView()
        self.image_view.zoom_changed.connect(self._show_zoom)
        self.image_view.frame_painted.connect(self._count_painted)
        self.display_button = QPushButton(self.tr("Display Image From Shared Memory"))
        self.display_button.clicked.connect(self.display_from_shared_memory)
        self.watch_box = QCheckBox(self.tr("Watch: show each new image by itself"))
        self.watch_box.toggled.connect(self.set_watching)
        self.status_line = QLabel()
        self.zoom_label = QLabel()
        self.statusBar().addWidget(self.status_line, 1)
        self.statusBar().addPermanentWidget(self.zoom_label)

        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.message)
        column.addWidget(self.image_view, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.display_button, 1)
        buttons.addWidget(self.watch_box)
        column.addLayout(buttons)
        self.setCentralWidget(body)

        self.details = self._details_dock()
        self.steps_dock = self._steps_dock()
        self.sources_dock = SourcesDock(self)
        self.sources_dock.chosen.connect(self.watch_source)
        self.sources_dock.current_title.connect(self._show_title)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.sources_dock)
        self.sources_dock.hide()
        self._build_menus()
        self._set_key(key)
        self.resize(760, 560)
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

        self._ticker = QTimer(self)
        self._ticker.setInterval(REFRESH_NS // 1_000_000)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()

    # --- building -------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.save_action = file_menu.addAction(self.tr("&Save As…"), QKeySequence.StandardKey.SaveAs, self.save_as)
        self.save_action.setShortcuts([QKeySequence("Ctrl+S"), QKeySequence(QKeySequence.StandardKey.SaveAs)])
        file_menu.addAction(self.tr("Change &Key…"), self.ask_for_key)
        file_menu.addSeparator()
        file_menu.addAction(self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close)
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        self.copy_action = edit_menu.addAction(self.tr("&Copy"), QKeySequence.StandardKey.Copy, self.copy_image)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        view_menu.addAction(self.tr("&Fit to Window"), QKeySequence("Ctrl+0"), self.image_view.fit_to_window)
        view_menu.addAction(self.tr("&Actual Size (100 %)"), QKeySequence("Ctrl+1"), self.actual_size)
        zoom_in = view_menu.addAction(self.tr("Zoom &In"), QKeySequence.StandardKey.ZoomIn, self.image_view.zoom_in)
        zoom_in.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        view_menu.addAction(self.tr("Zoom &Out"), QKeySequence.StandardKey.ZoomOut, self.image_view.zoom_out)
        view_menu.addSeparator()
        view_menu.addAction(self.details.toggleViewAction())
        view_menu.addAction(self.steps_dock.toggleViewAction())
        view_menu.addAction(self.sources_dock.toggleViewAction())
        self.menuBar().addMenu(self.sources_dock.menu)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.tr("&About"), self.about)

    def _details_dock(self) -> QDockWidget:
        dock = QDockWidget(self.tr("Details"), self)
        dock.setObjectName("details")
        panel = QWidget()
        form = QFormLayout(panel)
        self.detail_fields: dict[str, QLabel] = {}
        labels = {
            "size": self.tr("Width × height"),
            "format": self.tr("Format"),
            "bytes": self.tr("Bytes"),
            "codec": self.tr("Codec"),
            "generation": self.tr("Generation"),
            "provider": self.tr("Provider"),
            "age": self.tr("Age"),
        }
        for name, label in labels.items():
            self.detail_fields[name] = QLabel("–")
            form.addRow(label, self.detail_fields[name])
        dock.setWidget(panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    def _steps_dock(self) -> QDockWidget:
        dock = QDockWidget(self.tr("Shared-memory steps"), self)
        dock.setObjectName("steps")
        self.steps_view = QTreeView()
        dock.setWidget(self.steps_view)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.hide()
        self.steps_model.present(self.steps_view, dock)
        return dock

    # --- user actions ---------------------------------------------------------------------

    def display_from_shared_memory(self) -> None:
        """The button's slot: read the segment off the GUI thread."""
        if self._jobs.busy:
            return
        self.message.setText(self.tr("Reading key '{}'…").format(self.key))
        key = self.key
        self._jobs.run(key, lambda: self._read_and_prepare(key))

    def _read_and_prepare(self, key: str) -> tuple[SharedImage, QImage]:
        """On the worker thread: the shared image, and it made ready for the view."""
        shared = read_shared(key, self._steps)
        return shared, self.image_view.prepare(shared.image)

    def set_watching(self, on: bool) -> None:
        """The checkbox's slot: follow the key, showing each new image as it comes."""
        if self._feed is not None:
            self._feed.stop()
            self._feed = None
        self.steps_model.follow_stream(on)
        if on:
            self._stats = StreamStats()
            self._feed = FrameFeed(self.key, self._steps, self.image_view.prepare_frame, self)
            self._feed.arrived.connect(self._take_frame)
            self._feed.problem.connect(lambda text: self._show_failure(self.key, ShareImgError(text)))
            self._feed.waiting.connect(self._show_waiting)
            self._feed.start()
            self.message.setText(self.tr("Watching key '{}'…").format(self.key))
        else:
            self._show_status()  # without the rate of a stream no longer watched

    def save_as(self) -> None:
        """Save what is shown, in any format Qt writes."""
        if self._shared is None:
            self.statusBar().showMessage(self.tr("Nothing to save yet."), 5000)
            return
        formats = sorted(bytes(f.data()).decode() for f in QImageWriter.supportedImageFormats())
        filters = ";;".join(f"{fmt.upper()} (*.{fmt})" for fmt in formats)
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save Image As"), "shared.png", filters)
        if not path:
            return
        if self._shared.image.save(path):
            self.statusBar().showMessage(self.tr("Saved {}.").format(path), 5000)
        else:
            self.message.setText(self.tr("Error: cannot save the image to '{}'.").format(path))

    def copy_image(self) -> None:
        if self._shared is not None:
            QGuiApplication.clipboard().setImage(self._shared.image)
            self.statusBar().showMessage(self.tr("Image copied to the clipboard."), 5000)

    def actual_size(self) -> None:
        self.image_view.set_zoom(1.0)

    def ask_for_key(self) -> None:
        key, ok = QInputDialog.getText(self, self.tr("Shared-memory key"), self.tr("Key:"), text=self.key)
        if ok:
            self.change_key(key)

    def change_key(self, key: str) -> bool:
        """Read from another key from now on; refused with a message if the key is invalid."""
        try:
            validate_key(key)
        except InvalidKey as error:
            self.message.setText(self.tr("Error: {}.").format(error))
            return False
        watching = self.watch_box.isChecked()
        self.watch_box.setChecked(False)
        self._set_key(key)
        self.settings.setValue("key", key)
        self.watch_box.setChecked(watching)
        return True

    def watch_source(self, key: str) -> None:
        """A source chosen in the Sources panel or menu: show it live."""
        if key != self.key or not self.watch_box.isChecked():
            self.change_key(key)
            self.watch_box.setChecked(True)

    def about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About shareimg consumer"),
            self.tr(
                "<b>shareimg consumer</b> {}<p>Shows the image another process shares through a Qt "
                "QSharedMemory segment, as program B of the classic Qt IPC article.</p>"
            ).format(VERSION),
        )

    # --- results ------------------------------------------------------------------------------

    def _set_key(self, key: str) -> None:
        self.key = key
        remember_key(key)
        self.sources_dock.set_current_key(key)  # names the source in the title
        self.message.setText(self.tr("Press the button to display the image shared under key '{}'.").format(key))
        self.status_line.setText(self.tr("key '{}' · no image yet").format(key))

    def _show_title(self, source_title: str) -> None:
        if source_title:
            self.setWindowTitle(self.tr("{} — shareimg consumer — key '{}'").format(source_title, self.key))
        else:
            self.setWindowTitle(self.tr("shareimg consumer — key '{}'").format(self.key))

    def _take_frame(self) -> None:
        taken = self._feed.take() if self._feed else None
        if taken is not None:
            frame, shown = taken
            self._show_image(self.key, frame.shared, shown, frame=True)

    def _count_painted(self, shared: SharedImage) -> None:
        """A frame of the stream reached the screen: that is what fps and latency measure."""
        meta, now = shared.metadata, time.monotonic_ns()
        self._stats.record(meta.generation if meta else 0, meta.publish_ns if meta else None, now)
        if now - self._status_ns >= REFRESH_NS:
            self._show_status()

    def _tick(self) -> None:
        waited = self._steps.lock_wait_seconds()
        if waited >= LOCK_PATIENCE_SECONDS:
            self.message.setText(
                self.tr(
                    "Waiting for the lock of key '{}': another process has held it for {:.0f} s. "
                    "The image will be read when the lock is free."
                ).format(self.key, waited)
            )
        if self._feed is not None:
            self._show_status()  # the rate falls to 0 when frames stop
        self._show_details()

    def _show_waiting(self, waiting: tuple[str, int] | None) -> None:
        if waiting is None:
            return
        kind, number = waiting  # a pid, or the other user's uid
        reason = {
            NOTHING_SHARED: self.tr("nothing is shared yet"),
            STOPPED: self.tr("the provider stopped sharing"),
            GONE: self.tr("the provider (pid {}) is gone").format(number),
            ANOTHER_USER: translated_message(KeyOfAnotherUser(self.key, number)),
        }[kind]
        kept = self.tr(" The image shown is the last one read.") if self.image_view.has_image else ""
        self.message.setText(self.tr("Watching key '{}': {}.").format(self.key, reason) + kept)

    def _show_zoom(self, scale: float) -> None:
        fit = self.tr("fit") + " · " if self.image_view.fitting else ""
        self.zoom_label.setText(f"{fit}{scale * 100:.0f} %")

    def _show_image(self, key: str, shared: SharedImage, shown: QImage | None, frame: bool = False) -> None:
        """Show ``shared``, whose image ``shown`` is made ready for the view; a ``frame`` of the stream watched."""
        self._shared = shared
        if frame:
            self.image_view.set_frame(shared.image, shown, shared)
        else:
            self.image_view.set_image(shared.image, shown)
            self._show_status()
            self._show_details()
        self.message.setText(self.tr("Showing the image shared under key '{}'.").format(key))
        self.displayed.emit(shared)

    def _show_status(self) -> None:
        shared = self._shared
        if shared is None:
            return
        image, meta = shared.image, shared.metadata
        parts = [
            self.tr("key '{}'").format(shared.key),
            f"{image.width()}×{image.height()}",
            self.tr("{} codec").format(shared.codec),
        ]
        if meta is not None:
            parts.append(self.tr("generation {}").format(meta.generation))
        if self._feed is not None:
            now = time.monotonic_ns()
            latency_ms = self._stats.latency_ms(now)
            latency = f"{latency_ms:.1f} ms" if latency_ms is not None else "–"
            fps = self._stats.fps(now)
            parts.append(self.tr("{:.0f} fps · {} dropped · latency {}").format(fps, self._stats.dropped, latency))
        else:
            parts.append(self.tr("{:,} bytes").format(shared.segment_bytes))
        self.status_line.setText(" · ".join(parts))
        self._status_ns = time.monotonic_ns()

    def _show_details(self) -> None:
        shared = self._shared
        if shared is None:
            return
        image, meta = shared.image, shared.metadata
        fields = self.detail_fields
        fields["size"].setText(f"{image.width()} × {image.height()}")
        fields["format"].setText(image.format().name.removeprefix("Format_"))
        fields["bytes"].setText(f"{image.sizeInBytes():,}")
        fields["codec"].setText(shared.codec)
        if meta is None:
            fields["generation"].setText("–")
            fields["provider"].setText(self.tr("another Qt program (no metadata)"))
            fields["age"].setText("–")
            return
        fields["generation"].setText(str(meta.generation))
        alive = self.tr("running") if process_alive(meta.pid) else self.tr("gone")
        fields["provider"].setText(self.tr("pid {} ({})").format(meta.pid, alive))
        fields["age"].setText(self.tr("{:.1f} s").format((time.monotonic_ns() - meta.publish_ns) / 1e9))

    def _show_failure(self, key: str, error: BaseException) -> None:
        if isinstance(error, NothingShared):
            text = self.tr("Nothing is shared under key '{}' yet — start the provider and load an image.").format(key)
        elif isinstance(error, ShareImgError):
            text = self.tr("Error: {}.").format(translated_message(error))
        else:
            text = self.tr("Unexpected error: {}.").format(error)
        if self.image_view.has_image:
            text += self.tr(" The image shown is the last one read.")
        self.message.setText(text)
        self.failed.emit(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        # The worker threads first: they use this window's objects.
        self.watch_box.setChecked(False)
        self._jobs.stop()
        self.sources_dock.stop()
        self.settings.setValue("geometry", self.saveGeometry())
        super().closeEvent(event)
