"""Read an image file into a QImage, or say plainly why not."""

from __future__ import annotations

import stat
from pathlib import Path

from PySide6.QtGui import QImage, QImageReader

from shareimg import ImageLoadError, NotAnImage
from shareimg.wire.limits import LIMITS


def open_image(path: str | Path) -> QImageReader:
    """A reader for ``path`` once it is known to be a readable regular file.

    The checks come first because opening a named pipe or a device could block
    forever.  EXIF orientation is applied and huge images are refused.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ImageLoadError(path, ImageLoadError.MISSING) from None
    except OSError as error:
        raise ImageLoadError(path, ImageLoadError.UNREADABLE, error.strerror or "") from None
    if stat.S_ISDIR(mode):
        raise ImageLoadError(path, ImageLoadError.FOLDER)
    if not stat.S_ISREG(mode):
        raise ImageLoadError(path, ImageLoadError.NOT_A_FILE)
    try:
        with open(path, "rb"):
            pass
    except OSError as error:
        raise ImageLoadError(path, ImageLoadError.UNREADABLE, error.strerror or "") from None
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    LIMITS.configure(reader)
    size = reader.size()
    if size.isValid():
        try:
            LIMITS.check(size.width(), size.height(), size.width() * size.height() * 4)
        except NotAnImage as error:
            raise ImageLoadError(path, ImageLoadError.UNDECODABLE, str(error)) from None
    return reader


def load_image(path: str | Path) -> QImage:
    """The (first) image in ``path``; :class:`ImageLoadError` saying why not."""
    reader = open_image(path)
    image = reader.read()
    if image.isNull():
        raise ImageLoadError(path, ImageLoadError.UNDECODABLE, reader.errorString())
    return image


def is_animated(path: str | Path) -> bool:
    """True for a GIF or WebP with more than one frame."""
    reader = open_image(path)
    return reader.supportsAnimation() and reader.imageCount() != 1
