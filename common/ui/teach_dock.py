"""The step-through mode: the article's calls as numbered buttons, each one made by hand on the real segment.

Each window gives its own list of steps (app_provider/lesson.py,
app_consumer/lesson.py); this panel makes the calls through
:class:`HandCalls`, lists each result with its time, shows the segment's
picture after it, counts the seconds of a wait for the other program's lock,
and offers the common mistakes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..channel import segment_status
from ..hand_calls import HandCalls, Outcome
from .mistakes import READY, mistakes
from .segment_picture import SegmentPicture

translate = QCoreApplication.translate
_FIT = QHeaderView.ResizeMode.ResizeToContents


@dataclass
class Lesson:
    """What a window brings to the step-through: its steps, and how it starts, ends and shows."""

    steps: list[tuple[str, str, str]]  # (call, button text, one sentence)
    calls: HandCalls
    argument: Callable[[str], object]  # the size for create, the image for copy
    begin: Callable[[], None]
    end: Callable[[], None]
    shown: Callable[[QImage], None]
    corrected: list[str] | None = None  # offered after a lock() that failed for want of attach()


class TeachDock(QDockWidget):
    def __init__(self, lesson: Lesson, window: QMainWindow) -> None:
        # The words of the steps panel where they are the same.
        super().__init__(translate("TeachDock", "Step through the article"), window)
        self.setObjectName("teach")
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.lesson = lesson
        self.calls = lesson.calls
        self.calls.finished.connect(self._finished)
        self.action = QAction(translate("TeachDock", "S&tep Through the Article"), self, checkable=True)
        self.action.toggled.connect(self._set_on)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for number, (call, text, sentence) in enumerate(lesson.steps, 1):
            button = QPushButton(f"{number}. {text}")
            # Not focused by a click: a focused button that a call disables hands its focus on, and the
            # panel scrolls to where the focus went, moving the next step away from under the mouse.
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(lambda _=False, call=call: self.run([call]))
            note = QLabel(sentence)
            note.setWordWrap(True)
            note.setMinimumWidth(160)  # a sentence, not a column of syllables
            grid.addWidget(button, number, 0)
            grid.addWidget(note, number, 1)
            self.buttons[call] = button
        self.waiting = QLabel()
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.correct_button = QPushButton(translate("TeachDock", "Run the corrected order"))
        self.correct_button.clicked.connect(lambda: self.run(list(lesson.corrected or [])))
        self.correct_button.hide()
        self.picture = SegmentPicture()
        self.results = QTreeWidget()
        self.results.setRootIsDecorated(False)
        self.results.setMinimumHeight(120)
        self.results.setHeaderLabels(
            [
                translate("StepLog", "Time"),
                translate("StepLog", "Step"),
                translate("StepLog", "Result"),
                translate("TeachDock", "ms"),
            ]
        )
        self.mistakes_menu = QMenu(translate("TeachDock", "Try a &Mistake"), window)
        for title, sequence, sentence in mistakes():
            self.mistakes_menu.addAction(
                title, lambda sequence=sequence, sentence=sentence: self._mistake(sequence, sentence)
            )
        self.mistakes_menu.menuAction().setVisible(False)
        header = self.results.header()
        for section, mode in enumerate((_FIT, _FIT, QHeaderView.ResizeMode.Stretch, _FIT)):
            header.setSectionResizeMode(section, mode)  # the result column takes what is left, in view
        body = QWidget()
        column = QVBoxLayout(body)
        grid.setColumnStretch(1, 1)
        column.addLayout(grid)
        for widget in (self.waiting, self.explanation, self.correct_button, self.picture, self.results):
            column.addWidget(widget)
        # On a short screen the panel scrolls rather than squeezing its sentences to half a line.
        self.scroll = scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumWidth(body.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
        self.setWidget(scroll)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)
        self.hide()
        self._queue: list[str] = []
        self._note = ""
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)

    def run(self, calls: list[str], note: str = "") -> None:
        """Make ``calls`` one after the other; ``note`` is said once they are done."""
        if self.calls.busy:
            return
        self._queue, self._note = list(calls), note
        self.explanation.setText("")
        self.correct_button.hide()
        self._next()

    def _mistake(self, calls: list[str], sentence: str) -> None:
        # A mistake on a segment, not the missing key: setKey() first when it was not made.
        self.run(calls if self.calls.keyed else ["setKey", *calls], sentence)

    def _next(self) -> None:
        if not self._queue:
            self.explanation.setText(self._note or self.explanation.text())
            return
        call = self._queue.pop(0)
        if call == READY:
            attached = self.calls.facts().attached
            if attached:
                self._next()
                return
            call = "attach" if segment_status(self.calls.key) else "create"
        self.calls.call(call, self.lesson.argument(call))
        self._enable(False)

    def _finished(self, outcome: Outcome) -> None:
        result = translate("StepLog", "ok") if outcome.ok else translate("TeachDock", "false")
        row = QTreeWidgetItem(
            [time.strftime("%H:%M:%S"), outcome.call, f"{result} {outcome.answer}".strip(), f"{outcome.ms:.2f}"]
        )
        self.results.addTopLevelItem(row)
        self.results.scrollToItem(row)
        self._enable(True)
        self._tick()
        if outcome.image is not None:
            self.lesson.shown(outcome.image)
        if self.lesson.corrected and outcome.call == "lock" and not outcome.ok and not self.calls.facts().attached:
            self._queue = []
            self.explanation.setText(
                translate(
                    "TeachDock",
                    "lock() failed: Qt sets up the key's lock only in attach() or create(), so the article's "
                    "order (lock, then attach) reads without the lock. The corrected order is attach, lock, "
                    "read, unlock, detach.",
                )
            )
            self.correct_button.show()
        self._next()

    def _enable(self, on: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(on)
        self.mistakes_menu.setEnabled(on)

    def _tick(self) -> None:
        since = self.calls.waiting_since
        if since is None:
            self.waiting.setText("")
        else:
            self.waiting.setText(
                translate("TeachDock", "Waiting for the other program to unlock… {:.0f} s").format(
                    time.monotonic() - since
                )
            )
        self.picture.show_facts(self.calls.facts())

    def _set_on(self, on: bool) -> None:
        if on:
            self.lesson.begin()
            self.parentWidget().set_stepping(True)
            self.parentWidget().say(translate("TeachDock", "Step-through: click the article's steps, in any order."))
            self._enable(True)
            self.show()
            self.raise_()  # in front of a panel it shares a place with
            self._timer.start()
            self._tick()
        else:
            self._timer.stop()
            self._queue = []
            self.calls.stop()
            self.lesson.end()
            self.parentWidget().set_stepping(False)
            self.hide()
        self.mistakes_menu.menuAction().setVisible(on)
