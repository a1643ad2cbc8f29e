"""The codecs alone: every format round-trips pixel-exact, and Qt's own stream operators agree."""

from __future__ import annotations

import pytest
from images import FORMATS, in_format, same_pixels
from PySide6.QtCore import QBuffer, QByteArray, QDataStream, QIODevice
from PySide6.QtGui import QImage

from shareimg import QT, RAW, NotAnImage, NothingShared
from shareimg.transport.codecs import FrameBuffers, QtStreamCodec, decode_stream
from shareimg.wire.layout import Metadata


def _round_trip(codec, image: QImage) -> QImage:
    encoded = codec.encode(image)
    payload = memoryview(bytes(encoded.payload))
    trailer = _trailer(encoded.width, encoded.height, encoded.bytes_per_line, encoded.image_format)
    return codec.decode(codec.extract(payload, trailer))


def _trailer(width: int, height: int, bytes_per_line: int, image_format: int) -> Metadata:
    """A trailer describing a payload of these pixels (the fields a codec reads)."""
    return Metadata(RAW.codec_id, 1, bytes_per_line * height, width, height, bytes_per_line, image_format, 1, 0)


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
@pytest.mark.parametrize("codec", [QT, RAW], ids=lambda c: c.name)
def test_round_trip_is_pixel_exact(codec, fmt):
    image = in_format(fmt)
    back = _round_trip(codec, image)
    assert back.size() == image.size()
    assert same_pixels(back, image)


def test_pixel_comparison_sees_one_changed_pixel():
    image = in_format(QImage.Format.Format_RGBA64)
    changed = image.copy()
    colour = changed.pixelColor(3, 4)
    colour.setRed(colour.red() ^ 1)
    changed.setPixelColor(3, 4, colour)
    assert not same_pixels(image, changed)


def test_raw_keeps_the_format_and_stride():
    image = in_format(QImage.Format.Format_RGB888, 33, 7)  # 99 bytes of pixels, 100 per line
    encoded = RAW.encode(image)
    assert encoded.bytes_per_line == image.bytesPerLine() == 100
    assert _round_trip(RAW, image).format() == QImage.Format.Format_RGB888


def test_qt_stream_is_what_qdatastream_writes_and_reads():
    image = in_format(QImage.Format.Format_ARGB32)
    ours = bytes(QtStreamCodec().encode(image).payload)  # Qt's default PNG settings

    theirs = QByteArray()
    buffer = QBuffer(theirs)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    stream = QDataStream(buffer)
    stream << image
    buffer.close()
    assert ours == bytes(theirs.data())

    fast = bytes(QT.encode(image).payload)
    assert fast[:8] == b"\x00\x00\x00\x01\x89PNG"
    segment = QByteArray(fast + b"\x00" * 100)  # a segment larger than the stream
    reading = QBuffer(segment)
    reading.open(QIODevice.OpenModeFlag.ReadOnly)
    back = QImage()
    QDataStream(reading) >> back
    assert same_pixels(back, image)


def test_stream_with_trailing_bytes_decodes():
    image = in_format(QImage.Format.Format_Grayscale8)
    payload = bytes(QT.encode(image).payload) + b"\xff" * 4096
    assert same_pixels(decode_stream(payload), image)


@pytest.mark.parametrize(
    "data, error",
    [
        (b"", NotAnImage),
        (b"\x00\x00\x00\x00", NothingShared),
        (b"\x00\x00\x00\x01garbage", NotAnImage),
        (b"GIF89a" + b"\x00" * 20, NotAnImage),
    ],
    ids=["empty", "null-image", "garbage-after-marker", "no-marker"],
)
def test_undecodable_streams_raise(data, error):
    with pytest.raises(error):
        decode_stream(data)


def test_raw_rejects_inconsistent_geometry():
    with pytest.raises(NotAnImage):
        RAW.extract(memoryview(b"\x00" * 100), _trailer(10, 10, 40, QImage.Format.Format_ARGB32.value))
    with pytest.raises(NotAnImage):
        RAW.extract(memoryview(b"\x00" * 1000), _trailer(10, 10, 41, QImage.Format.Format_ARGB32.value))
    with pytest.raises(NotAnImage):
        RAW.extract(memoryview(b"\x00" * 1000), _trailer(10, 10, 40, 9999))
    with pytest.raises(NotAnImage, match="trailer"):
        RAW.extract(memoryview(b"\x00" * 1000), None)


def _raw_frames(buffers: FrameBuffers, *colours: int) -> list[QImage]:
    """Raw payloads of 8x6 images filled with ``colours``, extracted one after the other through ``buffers``."""
    frames = []
    for colour in colours:
        image = QImage(8, 6, QImage.Format.Format_RGB32)
        image.fill(colour)
        payload = memoryview(bytes(RAW.encode(image).payload))
        frames.append(RAW.decode(RAW.extract(payload, _trailer(8, 6, 32, image.format().value), buffers)))
    return frames


def test_frame_buffers_are_used_again_once_let_go():
    buffers = FrameBuffers(keep=2)
    first = buffers.image(8, 6, QImage.Format.Format_RGB32)
    lent = buffers.lend(first)
    assert buffers.image(8, 6, QImage.Format.Format_RGB32) is not first  # the reader still holds it
    del lent
    assert buffers.image(8, 6, QImage.Format.Format_RGB32) is first
    assert buffers.image(8, 6, QImage.Format.Format_ARGB32) is not first  # another format: a new one


def test_frames_a_reader_keeps_never_change():
    buffers = FrameBuffers()
    kept, *_ = _raw_frames(buffers, 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF)
    assert kept.pixel(3, 3) == 0xFFFF0000
    # A copy Qt made of a frame (a pixmap cache, the clipboard) outlives the frame; its buffer is used again.
    frame = _raw_frames(buffers, 0x123456)[0]
    copy_of_frame = QImage(frame)
    del frame
    _raw_frames(buffers, 0x654321, 0x111111, 0x222222, 0x333333)
    assert copy_of_frame.pixel(3, 3) == 0xFF123456
    assert kept.pixel(3, 3) == 0xFFFF0000
