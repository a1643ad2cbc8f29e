"""Writing an image to a file, and saying why when it cannot be written."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QImage, QImageReader, QImageWriter

from shareimg.errors import ImageSaveError


def writable_formats() -> tuple[str, ...]:
    """The extensions Qt writes here (its image plugins decide), sorted."""
    return _names(QImageWriter.supportedImageFormats())


def readable_formats() -> tuple[str, ...]:
    """The extensions Qt reads here (its image plugins decide), sorted."""
    return _names(QImageReader.supportedImageFormats())


def _names(formats: list[QByteArray]) -> tuple[str, ...]:
    return tuple(sorted(bytes(name.data()).decode() for name in formats))


def save_image(image: QImage, path: str | Path) -> None:
    """Write ``image`` to ``path`` in the format its extension names; :class:`ImageSaveError` says why not."""
    writer = QImageWriter(str(path))
    if not writer.write(image):
        raise _why_not(Path(path), writer.errorString())


def _why_not(path: Path, qt_error: str) -> ImageSaveError:
    """Why a write failed, looked for after Qt's refusal, whose words ("Device not writable") name no cause."""
    folder = path.absolute().parent
    if path.is_dir():
        return ImageSaveError(path, ImageSaveError.IS_FOLDER)
    if not folder.exists():
        return ImageSaveError(path, ImageSaveError.NO_FOLDER, str(folder))
    if not folder.is_dir():
        return ImageSaveError(path, ImageSaveError.NOT_A_FOLDER, str(folder))
    if path.exists() and not os.access(path, os.W_OK):
        return ImageSaveError(path, ImageSaveError.NO_PERMISSION, str(path))
    if not path.exists() and not os.access(folder, os.W_OK | os.X_OK):
        return ImageSaveError(path, ImageSaveError.NO_PERMISSION, str(folder))
    extension = path.suffix.removeprefix(".").lower()
    if not extension:
        return ImageSaveError(path, ImageSaveError.NO_EXTENSION)
    if extension not in writable_formats():
        return ImageSaveError(path, ImageSaveError.FORMAT, extension, writable_formats())
    return ImageSaveError(path, ImageSaveError.QT, qt_error)
