"""Images dropped on the provider's window or pasted into it: a local file first, else the image itself."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QDragEnterEvent, QImage


def dropped(mime: QMimeData | None) -> Path | QImage | None:
    """What a drop or the clipboard brings: a local file, else an image from another program, else None."""
    if mime is None:
        return None
    files = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
    if files:
        return Path(files[0])
    image = QImage(mime.imageData()) if mime.hasImage() else QImage()
    return None if image.isNull() else image


def accept_drag(event: QDragEnterEvent) -> None:
    """Take a drag that brings a local file or an image."""
    mime = event.mimeData()
    if mime.hasImage() or any(url.isLocalFile() for url in mime.urls()):
        event.acceptProposedAction()
