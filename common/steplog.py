"""The shared-memory steps as a Qt item model, for a window's steps panel.

Rows are appended as the steps really happen (see common.steps); the model is
fed from any thread and updates on its own thread.  Step names are Qt's own
(setKey, lock, ...), as in the article; results and headers are translated.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from .steps import Step

_MAX_ROWS = 500


class StepLogModel(QStandardItemModel):
    """Columns: step, detail, result (ok or Qt's error string), duration in ms."""

    _arrived = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(0, 4, parent)
        translate = QCoreApplication.translate
        self.setHorizontalHeaderLabels(
            [translate("StepLog", "Step"), translate("StepLog", "Detail"), translate("StepLog", "Result"), "ms"]
        )
        self._arrived.connect(self._add)

    def observe(self, current: Step) -> None:
        """A StepObserver: call from any thread."""
        if not current.running:
            self._arrived.emit(current)

    def _add(self, done: Step) -> None:
        result = QStandardItem(QCoreApplication.translate("StepLog", "ok") if done.error is None else done.error)
        if done.error is not None:
            result.setForeground(QBrush(QColor("#c0392b")))
        self.appendRow(
            [QStandardItem(done.name), QStandardItem(done.detail), result, QStandardItem(f"{done.duration_ms:.2f}")]
        )
        if self.rowCount() > _MAX_ROWS:
            self.removeRows(0, self.rowCount() - _MAX_ROWS)
