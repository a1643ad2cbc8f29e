"""Test images made here, deterministic, in the formats the codecs must carry exactly."""

from __future__ import annotations

import struct
import zlib

from PySide6.QtGui import QImage

Format = QImage.Format


def photo_like(width: int = 96, height: int = 64, seed: int = 1) -> QImage:
    """Smooth gradients plus noise, with varying alpha: PNG can't cheat on it."""
    image = QImage(width, height, Format.Format_ARGB32)
    state = seed
    row = bytearray(width * 4)
    bits = memoryview(image.bits())
    for y in range(height):
        for x in range(width):
            state = (state * 1103515245 + 12345) & 0x7FFFFFFF
            noise = state >> 27
            row[4 * x : 4 * x + 4] = bytes(
                (
                    (x * 255 // max(width - 1, 1) + noise) & 0xFF,  # blue
                    (y * 255 // max(height - 1, 1) + 2 * noise) & 0xFF,  # green
                    ((x + y) * 3 + seed * 40) & 0xFF,  # red
                    (64 + (x * 191) // max(width - 1, 1)) & 0xFF,  # alpha
                )
            )
        start = y * image.bytesPerLine()
        bits[start : start + len(row)] = row
    return image


def deep_colour(width: int = 48, height: int = 32) -> QImage:
    """16 bits per channel, with values no 8-bit format can hold."""
    image = QImage(width, height, Format.Format_RGBA64)
    bits = memoryview(image.bits())
    for y in range(height):
        row = b"".join(
            struct.pack("<4H", (x * 1301 + 7) & 0xFFFF, (y * 2003 + 11) & 0xFFFF, (x * y * 37) & 0xFFFF, 65535 - x * 17)
            for x in range(width)
        )
        start = y * image.bytesPerLine()
        bits[start : start + len(row)] = row
    return image


def in_format(fmt: Format, width: int = 96, height: int = 64) -> QImage:
    if fmt in (Format.Format_RGBA64, Format.Format_Grayscale16):
        return deep_colour(width, height).convertToFormat(fmt)
    return photo_like(width, height).convertToFormat(fmt)


FORMATS = [
    Format.Format_ARGB32,
    Format.Format_RGB32,
    Format.Format_RGB888,
    Format.Format_Grayscale8,
    Format.Format_Indexed8,
    Format.Format_RGBA64,
    Format.Format_Grayscale16,
]


def same_pixels(a: QImage, b: QImage) -> bool:
    """Every pixel equal, compared in a format deep enough for both."""
    if a.size() != b.size():
        return False
    deep = a.depth() > 32 or b.depth() > 32 or Format.Format_Grayscale16 in (a.format(), b.format())
    common = Format.Format_RGBA64 if deep else Format.Format_ARGB32
    return a.convertToFormat(common) == b.convertToFormat(common)


def png_claiming(width: int, height: int) -> bytes:
    """A small, valid PNG file whose header claims ``width`` x ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )
