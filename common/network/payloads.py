"""A frame as it travels: JPEG, PNG or raw pixels, and back into the local key.

JPEG is simplejpeg's (libjpeg-turbo inside its wheel; it lets Python's lock
go while it works, and decodes straight into the slot it is given), 4:2:0 as
cameras send it.  PNG is Qt's own writer, lossless and slow: for still
images.  Raw is the pixels as the source shared them.  JPEG and PNG carry
8-bit pixels, so a 16-bit source travels as its top 8 bits; alpha does not
survive JPEG.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage, QImageReader, QImageWriter

from shareimg.errors import NetworkFailure, NotAnImage
from shareimg.network.session import INSTALL_HINT
from shareimg.transport import codecs
from shareimg.transport.frame import Frame
from shareimg.wire import network_layout as wire
from shareimg.wire.limits import LIMITS
from shareimg.wire.network_layout import PNG, RAW, FrameHeader
from shareimg.wire.pixels import ARRAY_LAYOUTS, numpy_module

if TYPE_CHECKING:
    import numpy

    from shareimg.transport.publisher import Publisher

Format = QImage.Format
#: The 8-bit pixels JPEG and PNG carry, by the channel order of the source's array: colorspace, format.
_EIGHT_BIT: dict[str, tuple[str, int]] = {
    "gray": ("GRAY", Format.Format_Grayscale8.value),
    "RGB": ("RGB", Format.Format_RGB888.value),
    "BGR": ("BGR", Format.Format_BGR888.value),
    "RGBA": ("RGBA", Format.Format_RGBA8888.value),
    "RGBX": ("RGBA", Format.Format_RGBA8888.value),
    "BGRA": ("BGRA", Format.Format_ARGB32.value),
    "BGRX": ("BGRA", Format.Format_ARGB32.value),
}
#: How a receiver lays out each 8-bit format: colorspace, channels, blue first.
_LAYOUT_OF: dict[int, tuple[str, int, bool]] = {
    Format.Format_Grayscale8.value: ("GRAY", 1, False),
    Format.Format_RGB888.value: ("RGB", 3, False),
    Format.Format_BGR888.value: ("BGR", 3, True),
    Format.Format_RGBA8888.value: ("RGBA", 4, False),
    Format.Format_ARGB32.value: ("BGRA", 4, True),
}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def simplejpeg_module() -> Any:
    try:
        import simplejpeg
    except ImportError:
        raise NetworkFailure(
            f"JPEG over the network needs simplejpeg, which is not installed: {INSTALL_HINT}"
        ) from None
    return simplejpeg


@dataclass(frozen=True)
class Encoded:
    payload: bytes
    header: FrameHeader


def encode(frame: Frame, codec: int, quality: int, seq: int, publish_unix_ns: int, flags: int) -> Encoded:
    """``frame`` as ``codec`` sends it (a view is read in place: close it after)."""
    if codec == RAW:
        meta = frame.metadata
        if meta is not None and meta.codec_id == codecs.RAW.codec_id:  # a raw frame: its pixels as shared
            fmt, bpl, payload = meta.image_format, meta.bytes_per_line, bytes(frame.pixels)
        else:
            image = frame.image
            fmt, bpl = image.format().value, image.bytesPerLine()
            payload = bytes(image.constBits())
        return Encoded(payload, FrameHeader(RAW, *_size(frame), fmt, bpl, seq, publish_unix_ns, 0, flags))
    pixels, colorspace, fmt = _eight_bit(frame)
    if codec == PNG:
        image = QImage(pixels.data, pixels.shape[1], pixels.shape[0], pixels.strides[0], Format(fmt))
        payload = _png(image)
    else:
        payload = simplejpeg_module().encode_jpeg(
            pixels, quality=quality, colorspace=colorspace, colorsubsampling="420" if colorspace != "GRAY" else "Gray"
        )
    return Encoded(
        payload, FrameHeader(codec, pixels.shape[1], pixels.shape[0], fmt, 0, seq, publish_unix_ns, 0, flags)
    )


def _size(frame: Frame) -> tuple[int, int]:
    meta = frame.metadata
    if meta is not None:
        return meta.width, meta.height
    return frame.image.width(), frame.image.height()


def _eight_bit(frame: Frame) -> tuple[numpy.ndarray, str, int]:
    """The frame's pixels as a C-ordered 8-bit array, its colorspace and the format it decodes to."""
    np = numpy_module()
    order = frame.channel_order
    if order in _EIGHT_BIT:
        array = frame.array
    else:  # a format with no array layout (indexed, 1-bit, 16-bit RGB...): converted by Qt
        array = _converted(frame.image)
        order = "RGBA"
    if array.dtype != np.uint8:
        array = (array >> 8).astype(np.uint8)
    if array.ndim == 2:
        array = array[:, :, None]
    colorspace, fmt = _EIGHT_BIT[order]
    return np.ascontiguousarray(array), colorspace, fmt


def _converted(image: QImage) -> numpy.ndarray:
    np = numpy_module()
    rgba = image.convertToFormat(Format.Format_RGBA8888)
    rows = np.frombuffer(rgba.constBits(), np.uint8, rgba.bytesPerLine() * rgba.height())
    array: numpy.ndarray = rows.reshape(rgba.height(), rgba.bytesPerLine())[:, : rgba.width() * 4]
    owned: numpy.ndarray = array.reshape(rgba.height(), -1, 4).copy()  # the converted image goes when we return
    return owned


def _png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, b"png")  # as transport/codecs.py: PySide6 refuses QImage.save(buffer, b"PNG")
    if not writer.write(image):
        raise NotAnImage(f"Qt could not write a {image.width()}x{image.height()} frame as PNG: {writer.errorString()}")
    return bytes(data.data())


def decode_into(
    publisher: Publisher, header: FrameHeader, payload: bytes, published_ns: int, in_place: bool = False
) -> None:
    """Check a frame from the network, then share it under ``publisher``'s key; nothing shared if it fails.

    ``in_place``: the key already shares frames of this size and format, so a JPEG decodes straight
    into its next slot (no copy).  Otherwise it decodes aside first: a slot of a new size renews the
    segment, and a JPEG that then turned out broken would have taken the last good image with it.
    Every size is checked before anything is allocated.  Raises
    :class:`NotAnImage` (or :class:`~shareimg.errors.ImageTooLarge`) naming the fault.
    """
    if header.codec == RAW:
        _share_raw(publisher, header, payload, published_ns)
        return
    layout = _LAYOUT_OF.get(header.image_format)
    if layout is None:
        raise NotAnImage(f"a {wire.CODEC_NAMES[header.codec]} frame claims the pixel format {header.image_format}")
    colorspace, channels, bgr = layout
    wire.check_payload(header, len(payload), channels)
    if header.codec == PNG:
        image = _png_image(header, payload)
        publisher.publish(image, _local_codec(header), published_ns=published_ns)
        return
    simplejpeg = simplejpeg_module()
    try:
        height, width, _, _ = simplejpeg.decode_jpeg_header(payload)
    except ValueError as error:
        raise NotAnImage(f"not a JPEG image: {error}") from None
    if (width, height) != (header.width, header.height):
        raise NotAnImage(f"a JPEG image of {width}x{height} came as {header.width}x{header.height}")
    try:
        if header.qt or not in_place:
            array = simplejpeg.decode_jpeg(payload, colorspace)
            pixels = array.reshape(height, width) if channels == 1 else array
            publisher.publish(pixels, _local_codec(header), bgr, published_ns=published_ns)
            return
        with publisher.frame(height, width, channels, bgr=bgr, published_ns=published_ns) as slot:
            target = slot if channels > 1 else slot[:, :, None]
            if target.flags.c_contiguous:
                simplejpeg.decode_jpeg(payload, colorspace, buffer=target)
            else:  # rows padded in the slot
                target[...] = simplejpeg.decode_jpeg(payload, colorspace)
    except ValueError as error:  # a JPEG cut short or broken: the block raised, so nothing was shared
        raise NotAnImage(f"a broken JPEG image of {header.width}x{header.height}: {error}") from None


def _png_image(header: FrameHeader, payload: bytes) -> QImage:
    if len(payload) < 24 or not payload.startswith(_PNG_SIGNATURE) or payload[12:16] != b"IHDR":
        raise NotAnImage("not a PNG image")
    width, height = struct.unpack(">II", payload[16:24])
    if (width, height) != (header.width, header.height):
        raise NotAnImage(f"a PNG image of {width}x{height} came as {header.width}x{header.height}")
    data = QByteArray(payload)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, b"png")
    LIMITS.configure(reader)
    image = reader.read()
    if image.isNull():
        raise NotAnImage(f"a broken PNG image: {reader.errorString()}")
    return image


def _share_raw(publisher: Publisher, header: FrameHeader, payload: bytes, published_ns: int) -> None:
    layout = ARRAY_LAYOUTS.get(header.image_format)
    if layout is None:
        raise NotAnImage(f"a raw frame claims the pixel format {header.image_format}, which shareimg does not share")
    channels, depth, order = layout
    wire.check_payload(header, len(payload), channels * depth)
    np = numpy_module()
    rows = np.frombuffer(payload, np.uint8 if depth == 1 else np.uint16, header.bytes_per_line * header.height // depth)
    array = rows.reshape(header.height, -1)[:, : header.width * channels]
    array = array.reshape(header.height, header.width, channels) if channels > 1 else array
    bgr = order.startswith("B")
    publisher.publish(array, _local_codec(header), bgr, published_ns=published_ns)


def _local_codec(header: FrameHeader) -> codecs.ImageCodec[Any]:
    """Shared as the source shares: Qt's stream (a C++ Qt program reads it too), or raw frames in a ring."""
    return codecs.QT if header.qt else codecs.RAW
