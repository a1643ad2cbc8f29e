"""Images dropped on the provider's window or pasted into it: a local file first, else the image itself."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QMimeData
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QImage

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar

translate = QCoreApplication.translate


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


class ImageDrops:
    """For the provider's window: drag and drop, and Ctrl+V, share what they bring.

    A file is shared as a file (it may be animated), an image as it is.  The
    window has ``share_file(path)`` and ``share_image(image, name, title)``.
    """

    if TYPE_CHECKING:  # the window's, which this is mixed into

        def statusBar(self) -> QStatusBar: ...

        def share_file(self, path: str | Path) -> None: ...

        def share_image(self, image: QImage, name: str, title: str | None = None) -> None: ...

    def paste(self) -> None:
        """Ctrl+V: share the image (or image file) on the clipboard."""
        what = dropped(QGuiApplication.clipboard().mimeData())
        if not self._take(
            what, translate("ProviderWindow", "the clipboard image"), translate("ProviderWindow", "pasted image")
        ):
            self.statusBar().showMessage(translate("ProviderWindow", "The clipboard holds no image."), 5000)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        accept_drag(event)

    def dropEvent(self, event: QDropEvent) -> None:
        name, title = translate("ProviderWindow", "the dropped image"), translate("ProviderWindow", "dropped image")
        if self._take(dropped(event.mimeData()), name, title):
            event.acceptProposedAction()

    def _take(self, what: Path | QImage | None, name: str, title: str) -> bool:
        if isinstance(what, Path):
            self.share_file(what)
        elif what is not None:
            self.share_image(what, name, title)
        return what is not None
