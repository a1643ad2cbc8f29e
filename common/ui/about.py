"""Help ▸ About, with the version of the installed package (one number, in pyproject.toml)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from PySide6.QtWidgets import QMessageBox, QWidget

try:
    VERSION = version("shareimg")
except PackageNotFoundError:  # run from a checkout that was never installed
    VERSION = "unknown"


def show_about(parent: QWidget, title: str, text: str) -> None:
    """``text`` holds one ``{}``, for the version."""
    QMessageBox.about(parent, title, text.format(VERSION))
