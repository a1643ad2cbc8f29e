"""Read an image file into a QImage, or say plainly why not."""

from __future__ import annotations

import stat
from pathlib import Path

from PySide6.QtGui import QImage, QImageReader
from shareimg.common import ImageLoadError, NotAnImage
from shareimg.common.limits import LIMITS


def supported_formats() -> list[str]:
    return sorted(bytes(fmt.data()).decode() for fmt in QImageReader.supportedImageFormats())


def file_dialog_filter() -> str:
    patterns = " ".join(f"*.{fmt}" for fmt in supported_formats())
    return f"Images ({patterns});;All files (*)"


def open_image(path: str | Path) -> QImageReader:
    """A reader for ``path`` once it is known to be a readable regular file.

    The checks come first because opening a named pipe or a device could block
    forever.  EXIF orientation is applied and huge images are refused.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ImageLoadError(f"cannot load '{path}': no such file") from None
    except OSError as error:
        raise ImageLoadError(f"cannot load '{path}': {error.strerror}") from None
    if stat.S_ISDIR(mode):
        raise ImageLoadError(f"cannot load '{path}': it is a folder, not an image file")
    if not stat.S_ISREG(mode):
        raise ImageLoadError(f"cannot load '{path}': it is not a regular file")
    try:
        with open(path, "rb"):
            pass
    except OSError as error:
        raise ImageLoadError(f"cannot load '{path}': {error.strerror}") from None
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    LIMITS.configure(reader)
    size = reader.size()
    if size.isValid():
        try:
            LIMITS.check(size.width(), size.height(), size.width() * size.height() * 4)
        except NotAnImage as error:
            raise ImageLoadError(f"cannot load '{path}': {error}") from None
    return reader


def load_image(path: str | Path) -> QImage:
    """The (first) image in ``path``; :class:`ImageLoadError` saying why not."""
    reader = open_image(path)
    image = reader.read()
    if image.isNull():
        raise ImageLoadError(f"cannot load '{path}': {reader.errorString()}")
    return image


def is_animated(path: str | Path) -> bool:
    """True for a GIF or WebP with more than one frame."""
    reader = open_image(path)
    return reader.supportsAnimation() and reader.imageCount() != 1
