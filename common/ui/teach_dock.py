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
from dataclasses import dataclass, replace
from functools import partial
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QGridLayout,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from shareimg.teach.hand_calls import HandCalls, Outcome
from shareimg.ui.labels import MessageLabel
from shareimg.ui.mistake_run import MistakeRun, letting_go
from shareimg.ui.mistakes import Call, Mistake, mistakes, stand_in_image
from shareimg.ui.segment_picture import SegmentPicture
from shareimg.ui.step_notes import call_name, listed, note, result_lines, with_note
from shareimg.ui.teach_log import TeachLog

translate = QCoreApplication.translate
_RELEASING = {"unlock", "detach"}


@dataclass
class Lesson:
    """What a window brings to the step-through: its steps, and how it starts, ends and shows."""

    steps: list[tuple[str, str, str]]  # (call, button text, one sentence)
    calls: HandCalls
    argument: Callable[[str], object]  # the size for create, the image for copy
    begin: Callable[[], None]
    end: Callable[[], None]
    shown: Callable[[QImage], None]
    provider: bool  # program A's window, else program B's
    corrected: list[str] | None = None  # offered after a lock() that failed for want of attach()
    own_memory: bool = False  # the calls' QSharedMemory is the lesson's (let go on ending), not a publisher's


@runtime_checkable
class SteppingWindow(Protocol):
    """What the panel asks of the window it belongs to (a SharingWindow)."""

    def set_stepping(self, on: bool) -> None: ...

    def say(self, text: str) -> None: ...


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
            note = MessageLabel(sentence)
            note.setMinimumWidth(150)  # a sentence, not a column of syllables
            grid.addWidget(button, number, 0)
            grid.addWidget(note, number, 1)
            self.buttons[call] = button
        self.waiting = MessageLabel()  # never wider than the panel
        self.waiting.hide()
        self.explanation = MessageLabel()
        self.explanation.hide()
        self.correct_button = QPushButton(translate("TeachDock", "Run the corrected order"))
        self.correct_button.clicked.connect(lambda: self.run(list(lesson.corrected or []), corrected=True))
        self.correct_button.hide()
        self.picture = SegmentPicture()
        self.results = TeachLog()
        self.mistakes_menu = QMenu(translate("TeachDock", "Try a &Mistake"), window)
        for mistake in mistakes():
            self.mistakes_menu.addAction(mistake.title, partial(self._mistake, mistake))
        self.mistakes_menu.menuAction().setVisible(False)
        body = QWidget()
        column = QVBoxLayout(body)
        grid.setColumnStretch(1, 1)
        column.addLayout(grid)
        for widget in (self.waiting, self.explanation, self.correct_button, self.picture):
            column.addWidget(widget)
        column.addWidget(self.results, 1)  # what the panel has left, and at least the newest three rows
        rows = self.results.fontMetrics().height() + 6
        self.results.setMinimumHeight(self.results.header().sizeHint().height() + 3 * rows + 4)
        # On a short screen the panel scrolls rather than squeezing its sentences to half a line.
        self.scroll_area = scroll = QScrollArea()  # not `scroll`: that is QWidget.scroll()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumWidth(body.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
        self.setWidget(scroll)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)
        self.hide()
        self._queue: list[Call] = []
        self._running: MistakeRun | None = None
        self._failed: Outcome | None = None  # a call of a corrected order that failed, the order going on
        self._gave_back: list[Outcome] = []  # the calls that still ran after it
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)

    def run(self, calls: list[str], corrected: bool = False) -> None:
        """Make ``calls`` one after the other, on the window's QSharedMemory.

        In the corrected order, the calls that give back what it took (unlock, detach) run even
        after a call before them failed: else a failed read would leave the lock held.
        """
        if self.calls.busy:
            return
        self._queue = [Call(call, releases=corrected and call in _RELEASING) for call in calls]
        self._running, self._failed, self._gave_back = None, None, []
        self._explain("")
        self.correct_button.hide()
        self._next()

    def _mistake(self, mistake: Mistake) -> None:
        if self.calls.busy:
            return
        # Each scene starts from this window alone: the stand-in of the last mistake detaches first,
        # on the worker (it may wait for the other program's unlock).
        first = letting_go(self.calls)
        count = len(first)
        self._running = MistakeRun(mistake, count, self.calls.facts(), self.lesson.provider, [], letting_go=count)
        self._queue, self._failed, self._gave_back = first, None, []
        self._explain(translate("TeachDock", "Setting the scene…"))
        self.correct_button.hide()
        self._next()

    def _next(self) -> None:
        if not self._queue and self._running is not None and not self._running.planned:
            self._queue = self._running.plan(self.calls)
        if not self._queue:
            if self._running is not None:
                running, self._running = self._running, None
                if running.failure is not None:
                    self.calls.drop_stand_in()
                    self._explain(running.scene_failed(running.failure))
                else:
                    self._explain(running.said(self.calls.facts(), self.calls.stand_in_attached))
            elif self._failed is not None:
                self._explain(self._stopped_but_gave_back())
            return
        call = self._queue.pop(0)
        if call.unless_image:  # decided once, before the first of them: they write the image themselves
            rest = [later for later in self._queue if later.unless_image]
            self._queue = [later for later in self._queue if not later.unless_image]
            if self.calls.facts().payload:  # an image is there already: none of them is needed
                assert self._running is not None  # a mistake's scene runs
                self._running.scene_calls -= 1 + len(rest)
                self._next()
                return
            self._queue[:0] = [replace(later, unless_image=False) for later in rest]
        argument = stand_in_image() if call.stand_in and call.name == "copy" else self.lesson.argument(call.name)
        self.calls.call(call.name, argument, call.stand_in)
        self._enable(False)

    def _finished(self, outcome: Outcome) -> None:
        self.results.add(outcome)
        self._enable(True)
        self._tick()
        if outcome.image is not None:
            self.lesson.shown(outcome.image)
        running = self._running
        if running is not None:
            running.outcomes.append(outcome)
            if running.failure is None and running.setting_the_scene:
                if not outcome.ok:
                    # The mistake is not made; what the scene's stand-in took is given back at once.
                    running.failure, running.planned = outcome, True
                    self._queue = letting_go(self.calls)
                    running.scene_calls = len(running.outcomes) + len(self._queue)
                else:
                    running.before = self.calls.facts()
            self._next()
            return
        if self.lesson.corrected and outcome.call == "lock" and not outcome.ok and not self.calls.facts().attached:
            self._queue = []
            self._explain(
                translate(
                    "TeachDock",
                    "lock() failed: Qt sets up the key's lock only in attach() or create(), so the article's "
                    "order (lock, then attach) reads without the lock. The corrected order is attach, lock, "
                    "read, unlock, detach.",
                )
            )
            self.correct_button.show()
        elif self._failed is not None:
            self._gave_back.append(outcome)
        else:
            if not outcome.ok:
                # The calls after it were planned on its success; only those that give back still run.
                self._queue = [call for call in self._queue if call.releases]
                if self._queue:
                    self._failed = outcome
            self._explain(note(outcome, self.lesson.provider))
        self._next()

    def _stopped_but_gave_back(self) -> str:
        """The corrected order stopped at a failed call, and still gave back what it took."""
        failed, self._failed = self._failed, None
        assert failed is not None  # asked for once a call of the corrected order failed
        made = listed(f"{call_name(outcome)} {result_lines(outcome)[0]}" for outcome in self._gave_back)
        sentence = translate(
            "TeachDock",
            "{} returned false, so the order stopped there; the calls that give back what it took still ran: {}.",
        ).format(call_name(failed), made)
        return with_note(sentence, failed, self.lesson.provider)

    def _explain(self, text: str) -> None:
        self.explanation.setText(text)
        self.explanation.setVisible(bool(text))

    def _enable(self, on: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(on)
        self.mistakes_menu.setEnabled(on)

    def _tick(self) -> None:
        since = self.calls.waiting_since
        self.waiting.setVisible(since is not None)
        if since is None:
            self.waiting.setText("")
        else:
            other = (
                translate("TeachDock", "the consumer's")
                if self.lesson.provider
                else translate("TeachDock", "the provider's")
            )
            self.waiting.setText(
                translate("TeachDock", "{}() waits for {} unlock… {:.0f} s").format(
                    self.calls.waiting_call, other, time.monotonic() - since
                )
            )
        self.picture.show_facts(self.calls.facts())

    def _window(self) -> SteppingWindow:
        window = self.parentWidget()
        assert isinstance(window, SteppingWindow)  # the window that made this panel
        return window

    def _set_on(self, on: bool) -> None:
        if on:
            self.lesson.begin()
            self._window().set_stepping(True)
            self._window().say(translate("TeachDock", "Step-through: click the article's steps, in any order."))
            self._enable(True)
            self.show()
            self.raise_()  # in front of a panel it shares a place with
            self._timer.start()
            self._tick()
        else:
            self._timer.stop()
            self._queue, self._running, self._failed = [], None, None
            self.calls.stop(window_too=self.lesson.own_memory)
            self.lesson.end()
            self._window().set_stepping(False)
            self.hide()
        self.mistakes_menu.menuAction().setVisible(on)
