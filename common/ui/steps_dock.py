"""The Shared-memory steps panel: the steps of common.steplog in a table, with Clear."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolButton, QTreeView, QVBoxLayout, QWidget

from shareimg.qt.steplog import StepLogModel

translate = QCoreApplication.translate


class StepsDock(QDockWidget):
    """Docked at the bottom of ``window``, hidden at first; the model is refreshed only while it shows."""

    def __init__(self, model: StepLogModel, window: QMainWindow) -> None:
        super().__init__(translate("StepsDock", "Shared-memory steps"), window)
        self.setObjectName("steps")
        self.model = model
        self.view = QTreeView()
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setModel(model)
        self.clear_action = QAction(translate("StepsDock", "C&lear Steps"), self)
        self.clear_action.triggered.connect(model.clear)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.view.addAction(self.clear_action)
        clear = QToolButton()
        clear.setDefaultAction(self.clear_action)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.view)
        column.addWidget(clear, 0, Qt.AlignmentFlag.AlignRight)
        self.setWidget(body)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self)
        self.hide()
        model.rowsInserted.connect(self._rows_came)
        if model.rowCount():  # steps taken before the window had its panel (a provider's setKey)
            self._rows_came(QModelIndex(), 0, model.rowCount() - 1)
        self.visibilityChanged.connect(model.set_shown)
        model.set_shown(False)

    def _rows_came(self, _parent: QModelIndex, first: int, last: int) -> None:
        """Columns widen for the rows that come, never measuring the others.

        A header sized to its contents would measure every row of the log at every frame.
        """
        header = self.view.header()
        for column in range(self.model.columnCount()):
            indexes = (self.model.index(row, column) for row in range(first, last + 1))
            wanted = max(self.view.sizeHintForIndex(index).width() for index in indexes)
            header.resizeSection(column, max(header.sectionSize(column), wanted, header.sectionSizeHint(column)))
        self.view.scrollToBottom()
