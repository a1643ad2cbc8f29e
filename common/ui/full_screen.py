"""Full screen for a main window: the image alone, everything else back as it was on leaving."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMargins, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget


class FullScreen:
    """``action`` (checkable, F11) shows ``image`` alone on the whole screen; unchecked, or Esc, comes back.

    The panels, menus, status line and the controls around the image are hidden
    while it lasts, and come back where they were (the panels' tabs and sizes too).
    """

    def __init__(self, window: QMainWindow, image: QWidget, action: QAction) -> None:
        self.window, self.image, self.action = window, image, action
        self._hidden: list[QWidget] = []
        self._panels = QByteArray()
        self._margins = QMargins()
        # Kept on the window itself: its shortcut must work while the menu bar is hidden.
        window.addAction(action)
        self.leave = QAction(window)
        self.leave.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.leave.setEnabled(False)
        self.leave.triggered.connect(lambda: action.setChecked(False))
        window.addAction(self.leave)
        action.toggled.connect(self._set)

    def _set(self, on: bool) -> None:
        window, body = self.window, self.window.centralWidget()
        if on:
            self._panels = window.saveState()
            around = [child for child in body.findChildren(QWidget) if child.parentWidget() is body]
            bars = [window.menuBar(), window.statusBar(), *around]
            self._hidden = [widget for widget in bars if widget is not self.image and widget.isVisible()]
            for widget in self._hidden:
                widget.hide()
            for dock in window.findChildren(QDockWidget):
                dock.hide()
            self._margins = body.layout().contentsMargins()
            body.layout().setContentsMargins(0, 0, 0, 0)
            window.showFullScreen()
        else:
            window.showNormal()
            body.layout().setContentsMargins(self._margins)
            for widget in self._hidden:
                widget.show()
            window.restoreState(self._panels)
        self.leave.setEnabled(on)
