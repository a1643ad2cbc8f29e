"""What a window remembers between runs: its geometry, its key, the folder files came from."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QMainWindow

from ..channel import DEFAULT_KEY


def restore_geometry(window: QMainWindow, settings: QSettings) -> None:
    geometry = settings.value("geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)


def save_geometry(window: QMainWindow, settings: QSettings) -> None:
    settings.setValue("geometry", window.saveGeometry())


def remembered_key(given: str | None, settings: QSettings) -> str:
    """The key given on the command line, else the one last set in the window, else the default."""
    return given or str(settings.value("key", DEFAULT_KEY))


def remembered_folder(settings: QSettings) -> str:
    """Where the last file was opened or saved; the pictures folder at first."""
    folder = settings.value("folder")
    if folder and Path(str(folder)).is_dir():
        return str(folder)
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation) or str(Path.home())


def remember_folder(settings: QSettings, path: str | Path) -> None:
    settings.setValue("folder", str(Path(path).parent))
