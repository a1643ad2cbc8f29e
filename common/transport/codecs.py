"""How a QImage becomes payload bytes and back.

``qt``  -- the Qt Shared Memory Example's format: ``QDataStream << QImage``,
           that is a big-endian qint32 ``1`` and a PNG stream.  Any Qt program
           reads it with ``QDataStream >> QImage``.
``raw`` -- the pixels as they lie in the QImage (or a numpy array), rows
           ``bytes_per_line`` apart; no encoding, for speed.  They go into a
           ring of slots (common/ring.py), which only shareimg readers understand.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar, cast

from PySide6.QtCore import QBuffer, QByteArray, QDataStream, QIODevice
from PySide6.QtGui import QImage, QImageReader, QImageWriter

from shareimg.errors import NotAnImage, NothingShared
from shareimg.native.copies import copy
from shareimg.transport.stream_head import NULL_MARKER, STREAM_MARKER, check_stream_head
from shareimg.wire import layout
from shareimg.wire.limits import LIMITS
from shareimg.wire.pixels import QT_PIXEL_FORMATS, array_format, numpy_module, to_qimage

if TYPE_CHECKING:
    import numpy
    from typing_extensions import Buffer


class RawCopy(NamedTuple):
    """Raw pixels copied out of a segment into an image of their own, not yet the reader's."""

    buffer: QImage
    buffers: FrameBuffers | None


@dataclass(frozen=True)
class EncodedImage:
    """A payload ready to be copied into a segment, with what the trailer needs."""

    codec: ImageCodec[Any]
    payload: bytes | memoryview
    width: int
    height: int
    bytes_per_line: int
    image_format: int
    # What ``payload`` views (a QImage, a QByteArray), if it views anything: it must outlive the payload.
    owner: object = None


Extracted = TypeVar("Extracted")


class ImageCodec(Generic[Extracted]):
    """Encodes images into payloads, and copies payloads out (``Extracted``) to decode them outside the lock."""

    name: str
    codec_id: int

    def encode(self, image: QImage) -> EncodedImage:
        raise NotImplementedError

    def encode_array(self, array: numpy.ndarray, bgr: bool = False) -> EncodedImage:
        """A HxW, HxWx3 or HxWx4 uint8/uint16 numpy array; ``bgr``: its channels are B, G, R(, A), as OpenCV's."""
        return self.encode(to_qimage(array, array_format(array, bgr)))

    def extract(
        self, payload: memoryview, trailer: layout.Metadata | None, buffers: FrameBuffers | None = None
    ) -> Extracted:
        """Copy ``payload``, as ``trailer`` describes it, out of the segment (into one of ``buffers`` if it can);
        runs under the lock, so it only copies.  ``trailer`` is None for another Qt program's segment."""
        raise NotImplementedError

    def decode(self, extracted: Extracted) -> QImage:
        """Turn what :meth:`extract` returned into an image; runs outside the lock."""
        raise NotImplementedError


class QtStreamCodec(ImageCodec[QByteArray]):
    """Qt's example format.

    ``quality`` is QImageWriter's PNG setting: Qt maps it to zlib's level, and
    100 (level 0, stored blocks) encodes many times faster than Qt's default
    while every PNG reader still decodes it.
    """

    name = "qt"
    codec_id = layout.CODEC_QT

    def __init__(self, quality: int = -1) -> None:
        self.quality = quality

    def encode(self, image: QImage) -> EncodedImage:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        QDataStream(buffer).writeInt32(1)
        writer = QImageWriter(buffer, b"png")
        writer.setQuality(self.quality)
        if not writer.write(image):
            raise NotAnImage(f"Qt could not encode the image as PNG: {writer.errorString()}")
        buffer.close()
        # A view, not bytes: copying a 100 MB stream would hold Python's global lock, freezing windows.
        return EncodedImage(self, _bytes_of(data), image.width(), image.height(), 0, image.format().value, owner=data)

    def extract(
        self, payload: memoryview, trailer: layout.Metadata | None, buffers: FrameBuffers | None = None
    ) -> QByteArray:
        """The stream, copied out once its first bytes showed an image within the limits (stream_head.py)."""
        check_stream_head(payload)
        if len(payload) > LIMITS.max_megabytes << 20:
            raise NotAnImage(f"its {len(payload) >> 20} MiB are more than the limit of {LIMITS.max_megabytes} MiB")
        data = QByteArray()
        data.resize(len(payload))
        copy(_bytes_of(data), payload)  # the one copy out of the segment
        return data

    def decode(self, extracted: QByteArray) -> QImage:
        return decode_stream(extracted)


class RawCodec(ImageCodec[RawCopy]):
    """Pixels straight from ``QImage.constBits()``; formats with a colour table become ARGB32."""

    name = "raw"
    codec_id = layout.CODEC_RAW

    def encode(self, image: QImage) -> EncodedImage:
        if image.colorCount() > 0:
            image = image.convertToFormat(QImage.Format.Format_ARGB32)
        view = memoryview(image.constBits())[: image.sizeInBytes()]
        return EncodedImage(
            self, view, image.width(), image.height(), image.bytesPerLine(), image.format().value, owner=image
        )

    def encode_array(self, array: numpy.ndarray, bgr: bool = False) -> EncodedImage:
        fmt = array_format(array, bgr)
        if not array.flags.c_contiguous:
            array = numpy_module().ascontiguousarray(array)
        height, width = array.shape[:2]
        return EncodedImage(self, array.data.cast("B"), width, height, array.strides[0], fmt, owner=array)

    def extract(
        self, payload: memoryview, trailer: layout.Metadata | None, buffers: FrameBuffers | None = None
    ) -> RawCopy:
        """The pixels, copied into an image of the trailer's size and format (one of ``buffers`` if it can)."""
        if trailer is None:
            raise NotAnImage("raw pixels come with a trailer, and it has none")
        width, height = trailer.width, trailer.height
        bytes_per_line, image_format = trailer.bytes_per_line, trailer.image_format
        fmt = QT_PIXEL_FORMATS.get(image_format)
        if fmt is None:
            raise NotAnImage(f"it names an unknown QImage format, {image_format}")
        bits = QImage.toPixelFormat(fmt).bitsPerPixel()
        expected = (max(width, 0) * bits + 31) // 32 * 4  # Qt's rows: 32-bit aligned
        if bytes_per_line != expected:
            raise NotAnImage(f"{width} pixels of {bits} bits take {expected} bytes a row, not {bytes_per_line}")
        size = bytes_per_line * max(height, 0)
        LIMITS.check_allocation(width, height, size)
        if size > len(payload):
            raise NotAnImage(f"{width}x{height} pixels need {size} bytes but the payload holds {len(payload)}")
        buffer = buffers.image(width, height, fmt) if buffers else QImage(width, height, fmt)
        if buffer.isNull() or buffer.bytesPerLine() != bytes_per_line:
            raise NotAnImage(f"Qt cannot make a {width}x{height} image in format {image_format}")
        copy(memoryview(buffer.bits()), payload[:size])
        return RawCopy(buffer, buffers)

    def decode(self, extracted: RawCopy) -> QImage:
        """The copied pixels as the reader's image: the buffer itself, or (from ``buffers``) a copy sharing it."""
        buffer, buffers = extracted
        return buffers.lend(buffer) if buffers else buffer


class FrameBuffers:
    """Images to copy raw frames into, used again once the reader has let go of them.

    Copied into freshly allocated memory, a 4K frame first takes some 8,000 page
    faults, which cost as much again as the copy, and whether the allocator hands
    back warm memory varies from run to run.  A watcher reading frame after frame
    keeps a few images instead.  The reader gets a copy that shares the pixels
    (Qt's implicit sharing); a buffer is used again only once that copy is gone,
    and should a copy of the copy live on, Qt copies the pixels before they change.
    """

    def __init__(self, keep: int = 3) -> None:
        self._keep = keep
        self._lent: list[tuple[QImage, weakref.ref[QImage]]] = []

    def image(self, width: int, height: int, fmt: QImage.Format) -> QImage:
        """An image to copy a frame into: one lent before and let go since, or a new one."""
        for buffer, lent in self._lent:
            if lent() is None and buffer.width() == width and buffer.height() == height and buffer.format() == fmt:
                return buffer
        return QImage(width, height, fmt)

    def lend(self, buffer: QImage) -> QImage:
        """``buffer``, filled, for the reader: a copy sharing its pixels."""
        image = QImage(buffer)
        kept = [(other, lent) for other, lent in self._lent if other is not buffer]
        self._lent = [(buffer, weakref.ref(image)), *kept][: self._keep]
        return image


QT = QtStreamCodec(quality=100)
RAW = RawCodec()
CODECS: dict[str, ImageCodec[Any]] = {codec.name: codec for codec in (QT, RAW)}
_BY_ID = {codec.codec_id: codec for codec in CODECS.values()}


def codec_by_id(codec_id: int) -> ImageCodec[Any]:
    try:
        return _BY_ID[codec_id]
    except KeyError:
        raise NotAnImage(f"unknown codec id {codec_id}") from None


def decode_stream(data: bytes | QByteArray) -> QImage:
    """Decode a Qt example stream, as ``QDataStream >> QImage`` does.

    Trailing bytes after the PNG (a segment larger than the stream) are ignored.
    """
    if not isinstance(data, QByteArray):
        data = QByteArray(data)
    marker = bytes(_bytes_of(data)[:4])
    if marker == NULL_MARKER:
        raise NothingShared("the shared image is empty (a null QImage was shared)")
    if marker != STREAM_MARKER:
        raise NotAnImage("it does not start with a Qt image stream (qint32 1)")
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    buffer.seek(4)
    reader = QImageReader(buffer)
    LIMITS.configure(reader)
    size = reader.size()
    if size.isValid():
        LIMITS.check_decoding(size.width(), size.height())
    image = reader.read()
    if image.isNull():
        raise NotAnImage(reader.errorString())
    return image


def _bytes_of(data: QByteArray) -> memoryview:
    # QByteArray has the buffer protocol; PySide6's stub does not say so.
    return memoryview(cast("Buffer", data))
