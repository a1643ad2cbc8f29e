"""What both windows are: a key, a message, the image, a status line, the steps panel, the shared menus.

The provider's and the consumer's windows add their own actions to this.
Work on the segment runs off the GUI thread (``self.jobs``), so the window
never freezes; a wait for another process's lock is said in the message.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QMenu, QPushButton, QVBoxLayout, QWidget

from shareimg.errors import InvalidKey, ShareImgError
from shareimg.qt.background import BackgroundJobs
from shareimg.qt.steplog import StepLogModel
from shareimg.transport.keys import validate_key
from shareimg.transport.steps import StepTracker
from shareimg.ui.about import show_about
from shareimg.ui.image_view import ImageView
from shareimg.ui.key_dialog import KeyDialog
from shareimg.ui.labels import ElidedLabel, MessageLabel
from shareimg.ui.steps_dock import StepsDock
from shareimg.ui.teach_dock import TeachDock
from shareimg.ui.translations import translated_message
from shareimg.ui.window_state import restore_geometry, save_geometry

translate = QCoreApplication.translate
# How long a closing window waits for what its step-through let go: the other program may keep the lock.
_LETTING_GO_SECONDS = 2.0


# After this long waiting for the segment's lock, the window says so.
LOCK_PATIENCE_SECONDS = 1.0
RETRY_MS = 1000  # how often a window tries a taken key again
# Panels give way before the image gets narrower than this (logical pixels).
IMAGE_LEAST = 400


class SharingWindow(QMainWindow):
    def __init__(self, key: str, settings: QSettings) -> None:
        super().__init__()
        self.key = key
        self.settings = settings
        self.lock_wait_note = ""  # what happens once the lock is free: each window its own sentence
        self.steps_model = StepLogModel(self)
        self.steps = StepTracker(self.steps_model.observe)
        self.jobs = BackgroundJobs(self)
        self.message = MessageLabel()
        self.change_key_button = QPushButton(translate("SharingWindow", "Change Key…"))
        self.change_key_button.clicked.connect(self.ask_for_key)
        self.change_key_button.hide()
        self.image_view = ImageView()
        self.status_line = ElidedLabel()
        self.statusBar().addWidget(self.status_line, 1)
        self.steps_dock = StepsDock(self.steps_model, self)
        self.teach: TeachDock | None = None  # each window's step-through panel
        #: The window's own ways to share or read: paused while the step-through has the segment.
        self.sharing_controls: list[QAction | QWidget] = []
        self._lock_watch = QTimer(self)
        self._lock_watch.setInterval(250)
        self._lock_watch.timeout.connect(self._report_lock_wait)
        self._lock_watch.start()
        self._retry = QTimer(self)
        self._retry.setInterval(RETRY_MS)
        self._retry_with: Callable[[], None] | None = None
        self._retry.timeout.connect(self._try_again)

    def place(self, controls: QHBoxLayout) -> None:
        """The window's body: the message (with Change Key when offered), the image, then ``controls``."""
        body = QWidget()
        column = QVBoxLayout(body)
        # The rows around the image are widgets of their own, which full screen hides as a whole.
        said = QWidget()
        row = QHBoxLayout(said)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.message, 1)
        row.addWidget(self.change_key_button)
        column.addWidget(said)
        column.addWidget(self.image_view, 1)
        below = QWidget()
        controls.setContentsMargins(0, 0, 0, 0)
        below.setLayout(controls)
        column.addWidget(below)
        self.setCentralWidget(body)
        restore_geometry(self, self.settings)

    def give_way(self) -> None:
        """Make room for the image, once the window's panels are shown: each window hides or tabs its own."""

    def end_file_menu(self, menu: QMenu) -> None:
        self.sharing_controls.append(menu.addAction(translate("SharingWindow", "Change &Key…"), self.ask_for_key))
        menu.addSeparator()
        menu.addAction(translate("SharingWindow", "&Quit"), QKeySequence.StandardKey.Quit, self.close)

    def end_view_menu(self, menu: QMenu) -> None:
        menu.addAction(self.steps_dock.toggleViewAction())
        menu.addAction(self.steps_dock.clear_action)
        if self.teach is not None:
            menu.addAction(self.teach.action)
            self.menuBar().addMenu(self.teach.mistakes_menu)

    def add_help_menu(self, title: str, text: str) -> None:
        """Help ▸ About with ``title`` and ``text`` (one ``{}`` for the version)."""
        help_menu = self.menuBar().addMenu(translate("SharingWindow", "&Help"))
        help_menu.addAction(translate("SharingWindow", "&About"), lambda: show_about(self, title, text))

    @property
    def stepping(self) -> bool:
        """True while the step-through has the segment (the user makes the calls by hand)."""
        return self.teach is not None and self.teach.action.isChecked()

    def set_stepping(self, on: bool) -> None:
        """The step-through takes the segment (``on``) or gives it back: the window's own controls pause meanwhile."""
        for control in self.sharing_controls:
            control.setEnabled(not on)

    # --- what both windows say --------------------------------------------------------------

    def say(self, text: str, offer_key_change: bool = False) -> None:
        """Show ``text`` in the message line; with a button to change the key if that is the way out."""
        self.message.setText(text)
        self.change_key_button.setVisible(offer_key_change)

    def wait_for_key(self, text: str, retry: Callable[[], None]) -> None:
        """The key is taken: say ``text``, offer Change Key, and ``retry`` every second until it works."""
        self.say(text, offer_key_change=True)
        self._retry_with = retry
        self._retry.start()

    def stop_waiting_for_key(self) -> None:
        self._retry.stop()
        self._retry_with = None
        self.change_key_button.hide()

    def _try_again(self) -> None:
        if self._retry_with is not None and not self.jobs.busy:
            self._retry_with()

    def error_text(self, error: BaseException) -> str:
        """A sentence for ``error``, in the window's language."""
        if isinstance(error, ShareImgError):
            return translate("SharingWindow", "Error: {}.").format(translated_message(error))
        return translate("SharingWindow", "Unexpected error: {}.").format(error)

    def _report_lock_wait(self) -> None:
        waited = self.steps.lock_wait_seconds()
        if waited >= LOCK_PATIENCE_SECONDS:
            self.say(
                translate(
                    "SharingWindow", "Waiting for the lock of key '{}': another process has held it for {:.0f} s."
                ).format(self.key, waited)
                + " "
                + self.lock_wait_note
            )

    # --- the key ------------------------------------------------------------------------------

    def ask_for_key(self) -> KeyDialog:
        """File ▸ Change Key: a dialog that accepts only a valid key, then :meth:`change_key`."""
        dialog = KeyDialog(self.key, self)
        dialog.accepted.connect(lambda: self.change_key(dialog.key()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def change_key(self, key: str) -> bool:
        """Use ``key`` from now on, and remember it; False, and a message saying why, if it is invalid."""
        try:
            validate_key(key)
        except InvalidKey as error:
            self.say(self.error_text(error))
            return False
        self.stop_waiting_for_key()
        self.use_key(key)
        self.settings.setValue("key", key)
        return True

    def use_key(self, key: str) -> None:
        """Each window's own move to another key."""
        raise NotImplementedError

    def stop_work(self) -> None:
        """Stop and join the window's worker threads (they use its objects); called first when it closes."""
        if self.teach is not None:
            self.teach.action.setChecked(False)  # gives back a lock held by hand, removes what was made by hand
            self.teach.calls.finish_letting_go(_LETTING_GO_SECONDS)
        self.stop_waiting_for_key()
        self.jobs.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop_work()
        save_geometry(self, self.settings)
        super().closeEvent(event)
