"""The step-through's results: a row for each call, its own time apart from its wait for the lock."""

from __future__ import annotations

import time
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

from shareimg.teach.hand_calls import Outcome
from shareimg.ui.step_notes import call_name, result_lines, result_text

translate = QCoreApplication.translate
_FIT = QHeaderView.ResizeMode.ResizeToContents
_STAND_IN_MARK = "↳ "  # a row of the stand-in's, in the log


class TeachLog(QTreeWidget):
    """The results, asking for no more height than its minimum: the panel's height goes first to the steps."""

    def __init__(self) -> None:
        super().__init__()
        self.setRootIsDecorated(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the tooltip has it all
        self.setHeaderLabels(
            [
                translate("StepLog", "Time"),
                translate("StepLog", "Step"),
                translate("StepLog", "Result"),
                translate("TeachDock", "wait s"),
                translate("TeachDock", "ms"),
            ]
        )
        # The result needs the width more than the times do: the clock time is in each row's tooltip, and
        # the wait's column shows once a call waited.
        self.setColumnHidden(0, True)
        self.setColumnHidden(3, True)
        # The newest row stays in view when rows come and when the panel's other parts grow.
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(lambda _least, most: bar.setValue(most))
        header = self.header()
        for section, mode in enumerate((_FIT, _FIT, QHeaderView.ResizeMode.Stretch, _FIT, _FIT)):
            header.setSectionResizeMode(section, mode)  # the result column takes what is left, in view
        header.setStretchLastSection(False)  # else the ms column takes half of what is left

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.minimumHeight())

    def add(self, outcome: Outcome) -> None:
        """A row for the call: its own duration apart from its wait for the lock; the whole result in a tooltip."""
        waited = f"{outcome.waited_ms / 1000:.1f}" if outcome.waited_ms >= 50 else ""
        text = result_text(outcome)
        # The stand-in's calls are marked, not named at length: the result needs the width (the sentence
        # names the stand-in, and the tooltip says it).
        step = call_name(replace(outcome, stand_in=False), False)
        step = f"{_STAND_IN_MARK}{step}" if outcome.stand_in else step
        row = QTreeWidgetItem([time.strftime("%H:%M:%S"), step, text, waited, f"{outcome.ms:.2f}"])
        whole = "\n".join([f"{row.text(0)} {call_name(outcome, False)}", *result_lines(outcome)])
        for column in range(self.columnCount()):
            row.setToolTip(column, whole)
        if outcome.stand_in:
            italic = row.font(1)
            italic.setItalic(True)
            row.setFont(1, italic)
        if not outcome.ok:
            row.setForeground(2, QBrush(QColor("#c0392b")))
        if waited:
            self.setColumnHidden(3, False)
        self.addTopLevelItem(row)
        self.scrollToBottom()
