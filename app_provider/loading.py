"""Read an image file into a QImage, or say plainly why not.

Nothing is decoded before its size is known and checked: a file may claim any
size in its header.  A vector image (SVG) has no pixels of its own: it is drawn
at its declared size unless that is larger than ``svg_side`` on its long side
(an SVG of 100 bytes may declare 16000x16000), and then at that side instead.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader

from shareimg import ImageLoadError, NotAnImage
from shareimg.wire.limits import LIMITS

#: The long side, in pixels, an SVG is drawn at when it declares a larger one (--svg-size).
SVG_SIDE = 4096
_VECTOR_FORMATS = (b"svg", b"svgz")


@dataclass(frozen=True)
class Loaded:
    """An image read from a file; ``declared``: an SVG's own size, when it was drawn at another."""

    image: QImage
    declared: QSize | None = None


def open_image(path: str | Path, svg_side: int = SVG_SIDE) -> QImageReader:
    """A reader for ``path`` once it is known to be a readable regular file.

    The checks come first because opening a named pipe or a device could block
    forever.  EXIF orientation is applied; an SVG larger than ``svg_side`` is
    drawn smaller; an image too large for the limits, or for the memory free, is
    refused (:class:`ImageLoadError`) before it is decoded.
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
    if size.isValid() and reader.format() in _VECTOR_FORMATS and max(size.width(), size.height()) > svg_side:
        size = size.scaled(svg_side, svg_side, Qt.AspectRatioMode.KeepAspectRatio).expandedTo(QSize(1, 1))
        reader.setScaledSize(size)
    if size.isValid():
        try:
            LIMITS.check_decoding(size.width(), size.height())
        except NotAnImage as error:
            raise ImageLoadError(path, ImageLoadError.TOO_LARGE, str(error), cause=error) from None
    return reader


def load_image(path: str | Path, svg_side: int = SVG_SIDE) -> Loaded:
    """The (first) image in ``path``, and an SVG's declared size if drawn at another; :class:`ImageLoadError`
    saying why not."""
    reader = open_image(path, svg_side)
    declared = reader.size() if reader.scaledSize().isValid() else None  # set for a large SVG only
    image = reader.read()
    if image.isNull():
        raise ImageLoadError(path, ImageLoadError.UNDECODABLE, reader.errorString())
    return Loaded(image, declared)


def is_animated(path: str | Path) -> bool:
    """True for a GIF or WebP with more than one frame."""
    reader = open_image(path)
    return reader.supportsAnimation() and reader.imageCount() != 1
