"""Where a window stands, and what it remembers between runs: its geometry, its key, the folder files came from."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, QStandardPaths
from PySide6.QtWidgets import QMainWindow, QWidget

from shareimg.transport.keys import DEFAULT_KEY


def restore_geometry(window: QMainWindow, settings: QSettings) -> None:
    geometry = settings.value("geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)


def fit_on_screen(window: QWidget) -> None:
    """Move the window, and shrink it if it must, so that all of it, frame included, lies on its screen's free area.

    A ``--geometry`` made for a larger screen, or a window grown to the width its
    panels need, would otherwise run off the edge; a window larger than its
    least size is shrunk before it is moved.
    """
    free, least = window.screen().availableGeometry(), window.minimumSizeHint()
    frame, inside = window.frameGeometry(), window.geometry()
    border_x, border_y = frame.width() - inside.width(), frame.height() - inside.height()
    width = max(min(inside.width(), free.width() - border_x), least.width())
    height = max(min(inside.height(), free.height() - border_y), least.height())
    x = max(free.left(), min(frame.x(), free.right() + 1 - width - border_x))
    y = max(free.top(), min(frame.y(), free.bottom() + 1 - height - border_y))
    if (width, height) != (inside.width(), inside.height()):
        window.resize(width, height)
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)  # where the frame goes


def fit_on_screen_framed(window: QWidget) -> None:
    """:func:`fit_on_screen` now, and again once the window manager has framed the window.

    Until then Qt knows no frame (its title bar counts for nothing), and a
    window moved then would be placed by its inside.
    """
    fit_on_screen(window)
    if window.frameGeometry() == window.geometry():
        window.installEventFilter(_FitWhenFramed(window))


class _FitWhenFramed(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        framed = event.type() in (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show)
        assert isinstance(watched, QWidget)  # installed on a window only
        if framed and watched.frameGeometry() != watched.geometry():
            watched.removeEventFilter(self)
            self.deleteLater()
            fit_on_screen(watched)
        return False


def save_geometry(window: QMainWindow, settings: QSettings) -> None:
    settings.setValue("geometry", window.saveGeometry())


def remembered_key(given: str | None, settings: QSettings) -> str:
    """The key given on the command line, else the one last set in the window, else the default."""
    return given or str(settings.value("key", DEFAULT_KEY))


def remembered_folder(settings: QSettings) -> str:
    """Where the last file was opened or saved, else the pictures folder, else home: always a folder that exists.

    A file dialog given a folder that does not exist takes its last part for a
    file name, and a save there fails.
    """
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    for folder in (settings.value("folder"), pictures):
        if folder and Path(str(folder)).is_dir():
            return str(folder)
    return str(Path.home())


def remember_folder(settings: QSettings, path: str | Path) -> None:
    settings.setValue("folder", str(Path(path).parent))
