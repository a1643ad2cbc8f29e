"""The shared-memory steps as a Qt item model, for a window's steps panel.

One-shot work (a Display, a Load) lists each step as it happens.  A stream
repeats the same few steps every frame: while one runs (:meth:`follow_stream`),
each step has one row, updated in place a few times a second with how often it
ran and its mean time, so the panel costs the same at any frame rate; a hidden
panel (:meth:`set_shown`) costs only the counting.  The model is fed from any
thread and changes on its own.  Step names are Qt's own (setKey, lock, ...), as
in the article; results and headers are translated.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from shareimg.transport.steps import Step

_MAX_ROWS = 500
# How often the rows of a stream change while the panel is shown.
REFRESH_MS = 250
TIME, STEP, DETAIL, RESULT, MS, REPEATS = range(6)
_ERROR = QColor("#c0392b")

Index = QModelIndex | QPersistentModelIndex


def step_word(call: str) -> str:
    """A step as the windows name it: Qt's calls as Qt spells them, the project's own (copy, read) translated."""
    ours = {
        "copy": QCoreApplication.translate("StepLog", "copy"),
        "read": QCoreApplication.translate("StepLog", "read"),
    }
    return ours.get(call, call)


@dataclass
class _Row:
    """A step as last seen, and for a stream how often it ran and for how long in all."""

    name: str
    detail: str
    error: str | None
    duration_ms: float
    at: float  # wall-clock time of its end (time.time())
    count: int = 0  # 0 for a step listed as it happened
    total_ms: float = 0.0

    def add(self, done: Step) -> None:
        assert done.duration_ms is not None  # only steps that ended are counted
        self.detail, self.error, self.duration_ms, self.at = done.detail, done.error, done.duration_ms, time.time()
        self.count += 1
        self.total_ms += done.duration_ms


class StepLogModel(QAbstractTableModel):
    """Columns: time, step, detail, result (ok or Qt's error string), ms, and for a stream count and mean."""

    _arrived = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        translate = QCoreApplication.translate
        self._headers = [
            translate("StepLog", "Time"),
            translate("StepLog", "Step"),
            translate("StepLog", "Detail"),
            translate("StepLog", "Result"),
            "ms",
            translate("StepLog", "Count · mean"),
        ]
        self._rows: list[_Row] = []
        self._guard = threading.Lock()
        self._tallies: dict[str, _Row] | None = None  # per step while a stream runs; any thread, under _guard
        self._stream_start = 0  # the stream's rows are the last ones, from here on
        self._refresh = QTimer(self)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self._show_tallies)
        self._shown = True
        self._arrived.connect(self._append)

    def observe(self, current: Step) -> None:
        """A StepObserver: call from any thread."""
        if current.running:
            return
        with self._guard:
            if self._tallies is not None:
                tally = self._tallies.get(current.name)
                if tally is None:
                    tally = self._tallies[current.name] = _Row(current.name, "", None, 0.0, 0.0)
                tally.add(current)
                return
        self._arrived.emit(current)

    def follow_stream(self, on: bool) -> None:
        """From now on (or no longer) count repeated steps instead of listing each."""
        if on == (self._tallies is not None):
            return
        if on:
            with self._guard:
                self._tallies = {}
            self._stream_start = len(self._rows)
        else:
            with self._guard:
                final, self._tallies = self._tallies, None
            assert final is not None  # following a stream, as the first line said
            self._show(list(final.values()))
        self._schedule()

    def clear(self) -> None:
        """Forget the rows shown; a stream that runs goes on being counted, afresh."""
        self.beginResetModel()
        self._rows.clear()
        self._stream_start = 0
        with self._guard:
            if self._tallies is not None:
                self._tallies = {}
        self.endResetModel()

    def set_shown(self, shown: bool) -> None:
        """Whether a view shows the model; hidden, a stream's rows wait until it is shown again."""
        self._shown = shown
        if shown:
            self._show_tallies()
        self._schedule()

    def _schedule(self) -> None:
        if self._shown and self._tallies is not None:
            self._refresh.start()
        else:
            self._refresh.stop()

    def _show_tallies(self) -> None:
        with self._guard:
            if self._tallies is None:
                return
            tallies = [replace(tally) for tally in self._tallies.values()]
        self._show(tallies)

    def _show(self, tallies: list[_Row]) -> None:
        """The stream's rows, in the order the steps first came, as ``tallies`` say."""
        known = len(self._rows) - self._stream_start
        if len(tallies) > known:
            self.beginInsertRows(QModelIndex(), len(self._rows), self._stream_start + len(tallies) - 1)
            self._rows.extend(tallies[known:])
            self.endInsertRows()
        self._rows[self._stream_start : self._stream_start + known] = tallies[:known]
        if known:
            last = self._stream_start + known - 1
            self.dataChanged.emit(self.index(self._stream_start, 0), self.index(last, REPEATS))

    def _append(self, done: Step) -> None:
        assert done.duration_ms is not None  # observe() hands over only steps that ended
        if len(self._rows) >= _MAX_ROWS:
            self.beginRemoveRows(QModelIndex(), 0, 0)
            del self._rows[0]
            self._stream_start = max(self._stream_start - 1, 0)
            self.endRemoveRows()
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(_Row(done.name, done.detail, done.error, done.duration_ms, time.time()))
        self.endInsertRows()

    # --- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.ForegroundRole and column == RESULT and row.error is not None:
            return QBrush(_ERROR)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == TIME:
            return time.strftime("%H:%M:%S", time.localtime(row.at)) + f".{int(row.at * 1000) % 1000:03d}"
        if column == STEP:
            return step_word(row.name)
        if column == DETAIL:
            return row.detail
        if column == RESULT:
            return QCoreApplication.translate("StepLog", "ok") if row.error is None else row.error
        if column == MS:
            return f"{row.duration_ms:.2f}"
        if row.count == 0:
            return ""
        return QCoreApplication.translate("StepLog", "×{:,} · mean {:.2f} ms").format(
            row.count, row.total_ms / row.count
        )
