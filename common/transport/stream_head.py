"""What the first bytes of a Qt image stream say, before the stream is copied out of a segment.

``QDataStream << QImage`` writes a big-endian qint32 (1, or 0 for a null
image) and the image as a file Qt reads (PNG, as Qt writes it).  The marker and
the image file's header are in the first bytes: enough to refuse a segment that
holds something else, or an image too large to decode, having read a few
kilobytes rather than copied the whole segment.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImageReader

from shareimg.errors import NotAnImage, NothingShared
from shareimg.wire.limits import LIMITS
from shareimg.wording import megabytes

STREAM_MARKER = b"\x00\x00\x00\x01"
NULL_MARKER = b"\x00\x00\x00\x00"
#: What is read of a stream to find its image's format and size: a PNG's header is in its first 33
#: bytes; a JPEG's can follow its EXIF block, which is at most 64 KiB.
HEAD_BYTES = 80 * 1024
#: A null image is 4 bytes: a segment this size holding one is a null image shared, not a broken writer's.
NULL_STREAM_MAX_BYTES = 4096
#: How many first bytes a message shows.
SHOWN_BYTES = 8


class NotAStream(NotAnImage):
    """The bytes do not start as a Qt image stream does; ``head`` holds the first of them."""

    def __init__(self, message: str, head: bytes) -> None:
        super().__init__(message)
        self.head = head

    def under(self, key: str) -> NotAnImage:
        return NotAnImage(self._under_key.format(key=key, message=self), key)


def check_stream_head(payload: memoryview) -> None:
    """Refuse ``payload``, from its first bytes, unless it starts as a Qt image stream of an image within
    the limits and the memory free.

    :class:`NothingShared` for a null image (zeros, also a segment nobody wrote yet), :class:`NotAStream` for
    other bytes, :class:`~shareimg.errors.ImageTooLarge` for an image too large; an image whose size
    the head does not tell is left to Qt's allocation limit when it is decoded.
    """
    head = bytes(payload[:HEAD_BYTES])
    marker = head[:4]
    if marker == NULL_MARKER:
        # What a freshly created segment holds too, whatever its size: not one byte of it written yet.
        if len(payload) <= NULL_STREAM_MAX_BYTES:
            raise NothingShared("the shared image is empty (a null QImage was shared)")
        raise NothingShared(
            f"its {megabytes(len(payload))} start with 00 00 00 00, a null image in Qt's stream: nothing was "
            "written into it yet, or its writer shared an empty image"
        )
    if marker != STREAM_MARKER:
        raise NotAStream("it does not start with a Qt image stream (qint32 1)", head[:SHOWN_BYTES])
    device = _device(head[4:])  # kept here: the reader does not keep it alive
    reader = QImageReader(device)
    if not reader.canRead():
        raise NotAStream("after its qint32 1 comes no image Qt reads", head[:SHOWN_BYTES])
    size = reader.size()
    if size.isValid():
        LIMITS.check_decoding(size.width(), size.height())


def _device(data: bytes) -> QBuffer:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    return buffer
