"""Answering the windows' own dialogs (file, key), as a user would: fill them in, press OK or Cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget


def open_dialog(qtbot, parent: QWidget, kind: type[QDialog] = QFileDialog) -> QDialog:
    """The dialog of ``kind`` that ``parent`` shows now."""
    shown: list[QDialog] = []

    def found() -> bool:
        shown[:] = [d for d in parent.findChildren(kind) if d.isVisible()]
        return bool(shown)

    qtbot.waitUntil(found, timeout=5_000)
    return shown[-1]


def answer_file_dialog(qtbot, parent: QWidget, path: Path | str | None) -> QFileDialog:
    """Choose ``path`` in the file dialog ``parent`` shows, or cancel it (None)."""
    dialog = open_dialog(qtbot, parent)
    if path is None:
        dialog.reject()
    else:
        dialog.selectFile(str(path))
        dialog.accept()
    return dialog
