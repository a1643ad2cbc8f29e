"""Help ▸ About, with the version of the installed package."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from shareimg.version import VERSION


def show_about(parent: QWidget, title: str, text: str) -> None:
    """``text`` holds one ``{}``, for the version."""
    QMessageBox.about(parent, title, text.format(VERSION))
