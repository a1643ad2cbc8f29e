"""Full screen for a main window: the image alone; on leaving, by any route, the window as it is meant to be."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QMargins, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget


class FullScreen(QObject):
    """``action`` (checkable, F11) shows ``image`` alone on the whole screen; unchecked, Esc, or the window
    manager's own way out comes back to the window as it was (maximized or not).

    The panels, menus and status line are hidden while it lasts, and the rows of
    the window's body around the image (``image``'s siblings) are hidden as a
    whole: a widget in them that the window shows or hides meanwhile (Change Key)
    keeps that state, out of sight until full screen ends.
    """

    def __init__(self, window: QMainWindow, image: QWidget, action: QAction) -> None:
        super().__init__(window)
        self.window, self.image, self.action = window, image, action
        self._hidden: list[QWidget] = []
        self._panels = QByteArray()
        self._margins = QMargins()
        self._before = Qt.WindowState.WindowNoState  # maximized or not, to come back to
        # Kept on the window itself: its shortcut must work while the menu bar is hidden.
        window.addAction(action)
        self.leave = QAction(window)
        self.leave.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.leave.setEnabled(False)
        self.leave.triggered.connect(lambda: action.setChecked(False))
        window.addAction(self.leave)
        action.toggled.connect(self._set)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The window manager (or a shortcut of its own) may end full screen: the window follows.
        if (
            event.type() == QEvent.Type.WindowStateChange
            and self.action.isChecked()
            and not self.window.windowState() & Qt.WindowState.WindowFullScreen
        ):
            self.action.setChecked(False)
        return False

    def _set(self, on: bool) -> None:
        window, body = self.window, self.window.centralWidget()
        layout = body.layout() if body is not None else None
        assert body is not None and layout is not None  # the windows this serves have a body, laid out
        if on:
            self._before = window.windowState() & Qt.WindowState.WindowMaximized
            self._panels = window.saveState()
            rows = [child for child in body.findChildren(QWidget) if child.parentWidget() is body]
            around = [window.menuBar(), window.statusBar(), *rows]
            self._hidden = [widget for widget in around if widget is not self.image and not widget.isHidden()]
            for widget in self._hidden:
                widget.hide()
            for dock in window.findChildren(QDockWidget):
                dock.hide()
            self._margins = layout.contentsMargins()
            layout.setContentsMargins(0, 0, 0, 0)
            window.showFullScreen()
        else:
            if not window.windowState() & Qt.WindowState.WindowFullScreen:
                pass  # left by the window manager, to the state it chose
            elif self._before:
                window.showMaximized()
            else:
                window.showNormal()
            layout.setContentsMargins(self._margins)
            for widget in self._hidden:
                widget.show()
            self._hidden = []
            window.restoreState(self._panels)
        self.leave.setEnabled(on)
