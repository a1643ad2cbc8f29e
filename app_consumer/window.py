"""The consumer's window: read the shared image and show it.

One slot per user action, as in Qt's Shared Memory Example.  Reads (attach,
lock, copy, unlock, detach, decode) run on a worker thread, so a provider that
holds the lock never freezes this window.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton

from shareimg import ImageSaveError, KeyOfAnotherUser, NothingShared, SharedImage, read_shared
from shareimg.consumer.details import DetailsDock
from shareimg.consumer.feed import FrameFeed
from shareimg.consumer.lesson import consumer_lesson
from shareimg.consumer.sources_panel import SourcesDock
from shareimg.consumer.stats import StreamStats
from shareimg.consumer.status import status_text, waiting_text
from shareimg.discovery.recent_keys import remember_key
from shareimg.qt.saving import save_image
from shareimg.transport.waiting import ANOTHER_USER
from shareimg.ui.file_dialogs import save_image_dialog
from shareimg.ui.full_screen import FullScreen
from shareimg.ui.sharing_window import IMAGE_LEAST, SharingWindow

# During a stream the status bar and the details change at most this often: nobody reads 60 numbers a second.
REFRESH_NS = 250_000_000


class ConsumerWindow(SharingWindow):
    displayed = Signal(object)  # SharedImage
    failed = Signal(str)
    # What the message line said before a save failed, while it shows that failure.
    _said_before_failed_save: tuple[str, str] | None = None

    def __init__(self, key: str, settings: QSettings | None = None) -> None:
        super().__init__(key, settings or QSettings("shareimg", "consumer"))
        self.lock_wait_note = self.tr("The image will be read when the lock is free.")
        self._feed: FrameFeed | None = None
        self._stats = StreamStats()
        self._status_ns = 0  # when the status bar last changed
        self.shared: SharedImage | None = None  # the image shown
        self.image_view.zoom_changed.connect(self._show_zoom)
        self.image_view.frame_painted.connect(self._count_painted)
        self.display_button = QPushButton(self.tr("Display Image From Shared Memory"))
        self.display_button.clicked.connect(self.display_from_shared_memory)
        self.watch_box = QCheckBox(self.tr("Watch"))
        self.watch_box.setToolTip(self.tr("Show each new image by itself"))
        self.watch_box.toggled.connect(self.set_watching)
        self.zoom_label = QLabel()
        self.statusBar().addPermanentWidget(self.zoom_label)
        self._show_zoom(self.image_view.zoom())
        controls = QHBoxLayout()
        controls.addWidget(self.display_button)
        controls.addWidget(self.watch_box)
        controls.addStretch(1)
        self.details = DetailsDock(self)
        self.sources_dock = SourcesDock(self.settings, self)
        self.sources_dock.chosen.connect(self.watch_source)
        self._source_title = ""
        self.sources_dock.current_title.connect(self._show_title)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.sources_dock)
        self.sources_dock.hide()
        self.resize(760, 560)
        self.place(controls)
        self.teach = consumer_lesson(self)
        self._build_menus()
        self.use_key(key)
        self.startTimer(REFRESH_NS // 1_000_000)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        display = file_menu.addAction(self.tr("&Display"), QKeySequence("F5"), self.display_from_shared_memory)
        display.setStatusTip(self.display_button.text())
        self.watch_action = file_menu.addAction(self.tr("&Watch"))
        self.watch_action.setCheckable(True)
        self.watch_action.toggled.connect(self.watch_box.setChecked)
        self.watch_box.toggled.connect(self.watch_action.setChecked)
        self.sharing_controls += [self.display_button, display, self.watch_box, self.watch_action]
        self.sharing_controls += [self.sources_dock.widget(), self.sources_dock.menu.menuAction()]
        file_menu.addSeparator()
        self.save_action = file_menu.addAction(self.tr("&Save As…"), QKeySequence.StandardKey.SaveAs, self.save_as)
        self.save_action.setShortcuts([QKeySequence("Ctrl+S"), QKeySequence(QKeySequence.StandardKey.SaveAs)])
        self.end_file_menu(file_menu)
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        self.copy_action = edit_menu.addAction(self.tr("&Copy"), QKeySequence.StandardKey.Copy, self.copy_image)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        view_menu.addAction(self.tr("&Fit to Window"), QKeySequence("Ctrl+0"), self.image_view.fit_to_window)
        view_menu.addAction(self.tr("&Actual Size (100 %)"), QKeySequence("Ctrl+1"), self.actual_size)
        zoom_in = view_menu.addAction(self.tr("Zoom &In"), self.image_view.zoom_in)
        zoom_in.setShortcuts([QKeySequence(k) for k in ("+", "=", "Ctrl++", "Ctrl+=")])
        zoom_out = view_menu.addAction(self.tr("Zoom &Out"), self.image_view.zoom_out)
        zoom_out.setShortcuts([QKeySequence(k) for k in ("-", "Ctrl+-")])
        self.full_screen_action = view_menu.addAction(self.tr("F&ull Screen"), QKeySequence("F11"))
        self.full_screen_action.setCheckable(True)
        self.full_screen = FullScreen(self, self.image_view, self.full_screen_action)
        view_menu.addSeparator()
        view_menu.addAction(self.details.toggleViewAction())
        view_menu.addActions([self.sources_dock.toggleViewAction(), self.sources_dock.network_action])
        self.end_view_menu(view_menu)
        self.menuBar().addMenu(self.sources_dock.menu)
        self.add_help_menu(
            self.tr("About shareimg consumer"),
            self.tr(
                "<b>shareimg consumer</b> {}<p>Shows the image another process shares through a Qt "
                "QSharedMemory segment, as program B of the classic Qt IPC article.</p>"
            ),
        )

    def give_way(self) -> None:
        """The panels beside the image make room when it would get less than IMAGE_LEAST across: Details goes
        behind Sources as a tab, then both out of sight (the View and Sources menus bring them back)."""
        width = self.width()  # a dock moved grows the window to its least width: back to this one after
        if self._image_room(width) >= IMAGE_LEAST:
            return
        beside = [dock for dock in (self.sources_dock, self.details) if not dock.isHidden()]  # (maybe not shown yet)
        if len(beside) == 2 and not self.tabifiedDockWidgets(self.details):
            self.tabifyDockWidget(self.sources_dock, self.details)
            self.sources_dock.raise_()
        if self._image_room(width) < IMAGE_LEAST:
            for dock in beside:
                dock.hide()
        layout = self.layout()
        assert layout is not None  # a main window's own
        layout.activate()  # its least width as the panels are now, which the resize respects
        self.resize(width, self.height())

    def _image_room(self, width: int) -> int:
        """The width the image gets beside the panels shown, in a window ``width`` across."""
        layout, body = self.layout(), self.centralWidget()
        assert layout is not None and body is not None  # a main window's own layout, and place()'s body
        layout.invalidate()  # the hints of the panels as they are now, tabs included
        return width - (self.sizeHint().width() - body.sizeHint().width())

    def display_from_shared_memory(self) -> None:
        """The button's slot: read the segment off the GUI thread."""
        if self.jobs.busy:
            return
        self.say(self.tr("Reading key '{}'…").format(self.key))
        key = self.key
        self.jobs.run(lambda: self._read_and_prepare(key), lambda read: self._show_image(*read), self._show_failure)

    def _read_and_prepare(self, key: str) -> tuple[SharedImage, QImage]:
        """On the worker thread: the shared image, and it made ready for the view."""
        shared = read_shared(key, self.steps)
        return shared, self.image_view.prepare(shared.image)

    def set_watching(self, on: bool) -> None:
        """The checkbox's slot: follow the key, showing each new image as it comes."""
        if self._feed is not None:
            self._feed.stop()
            self._feed = None
        self.steps_model.follow_stream(on)
        if on:
            self.stop_waiting_for_key()  # the watcher looks for the key from now on, and says why it waits
            self._stats = StreamStats()
            self._feed = FrameFeed(self.key, self.steps, self.image_view.prepare_frame, self)
            self._feed.arrived.connect(self._take_frame)
            self._feed.problem.connect(self._show_failure)
            self._feed.waiting.connect(self._show_waiting)
            self._feed.start()
            self.say(self.tr("Watching key '{}'…").format(self.key))
        else:
            self._show_status()  # without the rate of a stream no longer watched

    def save_as(self) -> None:
        """Save what is shown, in any format Qt writes (PNG unless another is chosen)."""
        if self.shared is None:
            self.statusBar().showMessage(self.tr("Nothing to save yet."), 5000)
            return
        image = self.shared.image
        # Named after the source ("sample.png" proposes sample.png), else the key.
        name = Path(self._source_title).stem if self._source_title else self.key
        save_image_dialog(self, self.settings, lambda path: self._save(image, path), name)

    def _save(self, image: QImage, path: str) -> None:
        """Save, or say why not; a save that works takes a failed one's message away."""
        try:
            save_image(image, path)
        except ImageSaveError as error:
            before = self._said_before_failed_save[0] if self._said_before_failed_save else self.message.text()
            self._said_before_failed_save = before, self.error_text(error)
            self.say(self._said_before_failed_save[1])
            return
        if self._said_before_failed_save is not None:
            before, failure = self._said_before_failed_save
            self._said_before_failed_save = None
            if self.message.text() == failure:  # nothing newer said since
                self.say(before)
        self.statusBar().showMessage(self.tr("Saved {}.").format(path), 5000)

    def copy_image(self) -> None:
        if self.shared is not None:
            QGuiApplication.clipboard().setImage(self.shared.image)
            self.statusBar().showMessage(self.tr("Image copied to the clipboard."), 5000)

    def actual_size(self) -> None:
        self.image_view.set_zoom(1.0)

    def use_key(self, key: str) -> None:
        """Read from ``key`` from now on (and watch it, if watching)."""
        watching = self.watch_box.isChecked()
        self.watch_box.setChecked(False)
        self.key = key
        remember_key(key)
        self.sources_dock.set_current_key(key)  # names the source in the title
        self.say(self.tr("Press the button to display the image shared under key '{}'.").format(key))
        self.status_line.setText(self.tr("key '{}' · no image yet").format(key))
        self.watch_box.setChecked(watching)

    def watch_source(self, key: str) -> None:
        """A source chosen in the Sources panel or menu: show it live."""
        if key != self.key or not self.watch_box.isChecked():
            self.change_key(key)
            self.watch_box.setChecked(True)

    def _show_title(self, source_title: str) -> None:
        self._source_title = source_title
        # In the step-through the window shows what it read by hand, not a source: a segment made by hand
        # is nobody's announced source, and "Qt program" would name the user's own provider a stranger.
        if source_title and not self.stepping:
            self.setWindowTitle(self.tr("{} — shareimg consumer — key '{}'").format(source_title, self.key))
        else:
            self.setWindowTitle(self.tr("shareimg consumer — key '{}'").format(self.key))

    def set_stepping(self, on: bool) -> None:
        super().set_stepping(on)
        self._show_title(self._source_title)

    def _take_frame(self) -> None:
        taken = self._feed.take() if self._feed else None
        if taken is not None:
            frame, shown = taken
            self._show_image(frame.shared, shown, frame=True)

    def _count_painted(self, shared: SharedImage) -> None:
        """A frame of the stream reached the screen: that is what fps and latency measure."""
        meta, now = shared.metadata, time.monotonic_ns()
        self._stats.record(meta.generation if meta else 0, meta.publish_ns if meta else None, now)
        if now - self._status_ns >= REFRESH_NS:
            self._show_status()

    def timerEvent(self, event: object) -> None:
        if self._feed is not None:
            self._show_status()  # the rate falls to 0 when frames stop
        if self.shared is not None:
            self.details.show_image(self.shared, self._stats if self._feed else None)

    def _show_waiting(self, waiting: tuple[str, int] | None) -> None:
        if waiting is not None:
            kept = self.tr(" The image shown is the last one read.") if self.image_view.has_image else ""
            self.say(waiting_text(self.key, *waiting) + kept, waiting[0] == ANOTHER_USER)

    def _show_zoom(self, scale: float) -> None:
        fit = self.tr("fit") + " · " if self.image_view.fitting else ""
        self.zoom_label.setText(f"{fit}{scale * 100:.0f} %")

    def _show_image(self, shared: SharedImage, shown: QImage | None, frame: bool = False) -> None:
        """Show ``shared``, whose image ``shown`` is made ready for the view; a ``frame`` of the stream watched."""
        self.shared = shared
        self.stop_waiting_for_key()
        if frame:
            self.image_view.set_frame(shared.image, shown, shared)
        else:
            self.image_view.set_image(shared.image, shown)
            self._show_status()
            self.details.show_image(shared, self._stats if self._feed else None)
        self.say(self.tr("Showing the image shared under key '{}'.").format(shared.key))
        self.displayed.emit(shared)

    def _show_status(self) -> None:
        if self.shared is not None:
            self.status_line.set_fields(status_text(self.shared, self._stats if self._feed else None))
            self._status_ns = time.monotonic_ns()

    def _show_failure(self, error: BaseException) -> None:
        kept = self.tr(" The image shown is the last one read.") if self.image_view.has_image else ""
        if isinstance(error, NothingShared):
            text = self.tr("Nothing is shared under key '{}' yet — start the provider and load an image.")
            text = text.format(self.key)
        else:
            text = self.error_text(error)
        if isinstance(error, KeyOfAnotherUser) and self._feed is None:
            # Read again by itself once the other user frees the key.
            self.wait_for_key(text + kept, self.display_from_shared_memory)
        else:
            self.say(text + kept)
        self.failed.emit(text + kept)

    def stop_work(self) -> None:
        self.full_screen_action.setChecked(False)  # the geometry saved next is the window's, not the screen's
        # The worker threads first: they use this window's objects.
        self.watch_box.setChecked(False)
        self.sources_dock.stop()
        super().stop_work()
