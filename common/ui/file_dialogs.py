"""Open and Save As: the folder remembered, PNG proposed, the chosen type's extension added.

The dialogs are opened window-modal (``open()``), not run in a nested event
loop, and call back with the path chosen.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

from shareimg.qt.saving import readable_formats, writable_formats
from shareimg.ui.window_state import remember_folder, remembered_folder

translate = QCoreApplication.translate


def _dialog(parent: QWidget, title: str, settings: QSettings, chosen: Callable[[str], None]) -> QFileDialog:
    dialog = QFileDialog(parent, title, remembered_folder(settings))

    def take(path: str) -> None:
        remember_folder(settings, path)
        chosen(path)

    dialog.fileSelected.connect(take)
    dialog.finished.connect(dialog.deleteLater)
    return dialog


def open_image_dialog(parent: QWidget, settings: QSettings, chosen: Callable[[str], None]) -> QFileDialog:
    """Ask for an image file in any format Qt reads; ``chosen(path)`` once one is picked."""
    dialog = _dialog(parent, translate("FileDialogs", "Choose an image to share"), settings, chosen)
    patterns = " ".join(f"*.{fmt}" for fmt in readable_formats())
    dialog.setNameFilters(
        [translate("FileDialogs", "Images ({})").format(patterns), translate("FileDialogs", "All files (*)")]
    )
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.open()
    return dialog


def free_name(folder: Path, stem: str, suffix: str) -> str:
    """``stem.suffix``, else ``stem-2.suffix``, ``stem-3.suffix``…: the first name not taken in ``folder``, so
    that Enter in Save As never asks to replace a file."""
    stem = re.sub(r"[/\x00]", "_", stem).strip() or "shared"
    name, number = f"{stem}.{suffix}", 2
    while (folder / name).exists():
        name, number = f"{stem}-{number}.{suffix}", number + 1
    return name


def save_image_dialog(
    parent: QWidget, settings: QSettings, chosen: Callable[[str], None], name: str = "shared"
) -> QFileDialog:
    """Ask where to save an image; PNG first, named after ``name`` (a free name), and a name without an
    extension gets the chosen type's."""
    dialog = _dialog(parent, translate("FileDialogs", "Save Image As"), settings, chosen)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    filters = [f"{fmt.upper()} (*.{fmt})" for fmt in writable_formats()]
    dialog.setNameFilters(filters)
    dialog.selectNameFilter("PNG (*.png)")
    dialog.setDefaultSuffix("png")
    dialog.filterSelected.connect(lambda name: dialog.setDefaultSuffix(name.split("*.")[-1].rstrip(")")))
    folder = Path(remembered_folder(settings))
    dialog.selectFile(str(folder / free_name(folder, name, "png")))
    dialog.open()
    return dialog
