"""Small live pictures of the sources, made on a thread of their own.

Reading a source (lock, copy, unlock, decode) and scaling it take milliseconds
to tens of milliseconds for a large image: never on the GUI thread.  Reading
goes by the segment's id, never through Qt's attach (see common.peek): the
window's own watcher reads from another thread of the same process.  Only the
newest request per key waits; a source whose segment and generation did not
change since its last picture is not read again.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter

from shareimg import ShareImgError
from shareimg.transport.peek import read_by_id

_BACKGROUND = QColor(32, 32, 36)


def make_thumbnail(image: QImage, size: QSize) -> QImage:
    """``image`` scaled into ``size``, aspect kept, centred on a dark background."""
    canvas = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    canvas.fill(_BACKGROUND)
    if image.width() > 4 * size.width() or image.height() > 4 * size.height():
        # A smooth scale of an 8K image reads every pixel; a fast one to twice the size first costs little.
        image = image.scaled(size * 2, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)
    scaled = image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    painter = QPainter(canvas)
    painter.drawImage(QRect((size.width() - scaled.width()) // 2, (size.height() - scaled.height()) // 2,
                            scaled.width(), scaled.height()), scaled)  # fmt: skip
    painter.end()
    return canvas


class ThumbnailMaker(QObject):
    """Reads and scales sources on one daemon thread; ``made`` arrives on the owner's thread."""

    made = Signal(str, object, object)  # key, the signature asked for, the QImage

    def __init__(self, size: QSize, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.size = size
        self._wanted: dict[str, object] = {}  # key -> signature of the picture wanted
        self._done: dict[str, object] = {}  # key -> signature of the last picture made
        self._wake = threading.Condition()
        self._stopped = False
        # A daemon: a read waiting for a stuck provider's lock must not keep the program from exiting.
        threading.Thread(target=self._run, name="shareimg-thumbnails", daemon=True).start()

    def request(self, key: str, signature: object) -> None:
        """Make a picture of ``key`` unless the last one was of the same ``signature``."""
        with self._wake:
            if self._done.get(key) != signature:
                self._wanted[key] = signature
                self._wake.notify()

    def forget(self, key: str) -> None:
        with self._wake:
            self._wanted.pop(key, None)
            self._done.pop(key, None)

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._wanted and not self._stopped:
                    self._wake.wait()
                if self._stopped:
                    return
                key = next(iter(self._wanted))
                signature = self._wanted.pop(key)
                self._done[key] = signature
            try:
                picture = make_thumbnail(read_by_id(key).image, self.size)
            except ShareImgError:
                with self._wake:
                    self._done.pop(key, None)  # gone or unreadable meanwhile: the next look asks again
                continue
            with self._wake:
                if self._stopped:
                    return
                self.made.emit(key, signature, picture)
