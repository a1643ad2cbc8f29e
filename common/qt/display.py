"""Frames made ready for the screen on the thread that has them, not on the GUI thread.

Scaling a 4K frame down to a window and converting its pixels to the format the
screen draws take milliseconds each.  Done by the thread that read or made the
frame, a window's GUI thread only copies the result to the screen, and keeps up
with 60 frames a second.  How a window shows images is a :class:`Placement` that
its GUI thread replaces (never changes) on resize or zoom, so that any thread can
read it at any time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QImage, QPainter

# About a millisecond of drawing: how often another thread may take Python's global lock.
STRIP_PIXELS = 1 << 18


@dataclass(frozen=True)
class Placement:
    """Fit into a box of device pixels, or show at a fixed zoom (device pixels per image pixel).

    Fitting shrinks a larger image and shows a smaller one at 100 %, as image
    viewers do: enlarged, a small image only shows blur.
    """

    box_width: int = 0  # 0: not fitting
    box_height: int = 0
    zoom: float = 1.0
    device_pixel_ratio: float = 1.0

    @property
    def fitting(self) -> bool:
        return self.box_width > 0 and self.box_height > 0

    def scale(self, size: QSize) -> float:
        """Device pixels per image pixel for an image of ``size``."""
        if not self.fitting or size.isEmpty():
            return self.zoom
        return min(self.box_width / size.width(), self.box_height / size.height(), 1.0)

    def shown_size(self, size: QSize) -> QSize:
        """The image's size on the screen, in device pixels."""
        return _scaled(size, self.scale(size))

    def prepared_size(self, size: QSize) -> QSize:
        """What :func:`prepare` makes: the shown size, but never enlarged at a fixed zoom.

        Zoomed in, the painter enlarges only the part in view; preparing the
        whole image at 8 times its size would take memory and time for nothing.
        """
        scale = self.scale(size)
        return _scaled(size, scale if self.fitting else min(scale, 1.0))


def _scaled(size: QSize, scale: float) -> QSize:
    return QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))


def screen_format(image: QImage) -> QImage.Format:
    """The format a window's backing store draws without converting each pixel (as QPixmap picks it)."""
    return QImage.Format.Format_ARGB32_Premultiplied if image.hasAlphaChannel() else QImage.Format.Format_RGB32


def prepare(image: QImage, placement: Placement, moving: bool = False) -> QImage:
    """``image`` scaled to the size ``placement`` shows it at, in the screen's format.

    A still image is scaled smoothly (every source pixel counts: halved until
    less than twice the size wanted, each halving averaging 2x2 pixels, then
    one bilinear step); a frame of a stream (``moving``) in one bilinear step,
    several times cheaper, and the difference does not show in motion.
    Always a QImage of its own, so the caller may go on changing ``image``.
    """
    size = placement.prepared_size(image.size())
    fmt = screen_format(image)
    if image.size() == size and image.format() == fmt:
        ready = QImage(image)  # shares the pixels until either side writes
    else:
        if not moving:
            while image.width() >= 2 * size.width() and image.height() >= 2 * size.height():
                image = _drawn(image, QSize(image.width() // 2, image.height() // 2), fmt)
        ready = _drawn(image, size, fmt)
    ready.setDevicePixelRatio(placement.device_pixel_ratio)
    return ready


def _drawn(source: QImage, size: QSize, fmt: QImage.Format) -> QImage:
    """``source`` drawn into a new image of ``size`` and ``fmt``, bilinearly, a strip of rows at a time.

    Each of Qt's image calls holds Python's global lock to its end: scaling an
    8K image in one call would stop every other Python thread, the GUI thread
    included, for a visible moment.  Between strips this thread lets the lock
    go, with an explicit pause: a thread that takes the lock straight back
    would keep the GUI thread waiting all the same.
    """
    ready = QImage(size, fmt)
    painter = QPainter(ready)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    rows = max(1, STRIP_PIXELS // size.width())
    for top in range(0, size.height(), rows):
        strip = QRect(0, top, size.width(), min(rows, size.height() - top))
        if source.size() == size:
            painter.drawImage(strip.topLeft(), source, strip)
        else:  # the same drawing as in one call, clipped: no seams between strips
            painter.setClipRect(strip)
            painter.drawImage(ready.rect(), source)
        time.sleep(0)
    painter.end()
    return ready
