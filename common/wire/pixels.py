"""Pixel formats of raw frames, and frames as numpy arrays.

A raw frame names its pixels by ``QImage::Format``.  numpy arrays map onto
formats Qt has -- HxW (grey), HxWx3 (RGB888, or BGR888 for OpenCV), HxWx4
(RGBA8888, or ARGB32, whose bytes are B, G, R, A) in uint8; Grayscale16 and
RGBA64 in uint16 -- and onto three that Qt lacks, numbered below zero: 16-bit
RGB and BGR, and 16-bit BGRA.  numpy is imported only when an array is used.
"""

from __future__ import annotations

import functools
import sys
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QImage

from shareimg.errors import NotAnImage

if TYPE_CHECKING:
    import numpy

Format = QImage.Format
RGB48, BGR48, BGRA64 = -1, -2, -3

# format -> (channels, bytes per channel, channel order); grey has no order.
_LITTLE = sys.byteorder == "little"
ARRAY_LAYOUTS: dict[int, tuple[int, int, str]] = {
    Format.Format_Grayscale8.value: (1, 1, "gray"),
    Format.Format_Grayscale16.value: (1, 2, "gray"),
    Format.Format_RGB888.value: (3, 1, "RGB"),
    Format.Format_BGR888.value: (3, 1, "BGR"),
    Format.Format_RGBA8888.value: (4, 1, "RGBA"),
    Format.Format_RGBX8888.value: (4, 1, "RGBX"),
    Format.Format_RGBA8888_Premultiplied.value: (4, 1, "RGBA"),
    Format.Format_ARGB32.value: (4, 1, "BGRA" if _LITTLE else "ARGB"),
    Format.Format_RGB32.value: (4, 1, "BGRX" if _LITTLE else "XRGB"),
    Format.Format_ARGB32_Premultiplied.value: (4, 1, "BGRA" if _LITTLE else "ARGB"),
    Format.Format_RGBA64.value: (4, 2, "RGBA"),
    Format.Format_RGBX64.value: (4, 2, "RGBX"),
    Format.Format_RGBA64_Premultiplied.value: (4, 2, "RGBA"),
    RGB48: (3, 2, "RGB"),
    BGR48: (3, 2, "BGR"),
    BGRA64: (4, 2, "BGRA"),
}
# What an array becomes: (channels, bytes per channel, bgr) -> format.
_FORMAT_OF = {
    (1, 1, False): Format.Format_Grayscale8.value,
    (1, 2, False): Format.Format_Grayscale16.value,
    (3, 1, False): Format.Format_RGB888.value,
    (3, 1, True): Format.Format_BGR888.value,
    (4, 1, False): Format.Format_RGBA8888.value,
    (4, 1, True): Format.Format_ARGB32.value if _LITTLE else None,
    (4, 2, False): Format.Format_RGBA64.value,
    (3, 2, False): RGB48,
    (3, 2, True): BGR48,
    (4, 2, True): BGRA64,
}
_NOT_RAW = {"Format_Invalid", "NImageFormats", "Format_Mono", "Format_MonoLSB", "Format_Indexed8"}
# Checked first: toPixelFormat() reads past Qt's table for NImageFormats.
QT_PIXEL_FORMATS = {fmt.value: fmt for fmt in QImage.Format if fmt.name not in _NOT_RAW}


@functools.lru_cache(maxsize=64)
def bits_per_pixel(image_format: int) -> int:
    """Bits of one pixel; NotAnImage for a format a raw frame cannot carry."""
    if image_format in (RGB48, BGR48):
        return 48
    if image_format == BGRA64:
        return 64
    fmt = QT_PIXEL_FORMATS.get(image_format)
    if fmt is None:
        raise NotAnImage(f"it names an unknown pixel format, {image_format}")
    return QImage.toPixelFormat(fmt).bitsPerPixel()


def numpy_module() -> Any:
    try:
        import numpy
    except ImportError:
        raise ImportError("arrays need numpy: pip install 'shareimg[numpy]'") from None
    return numpy


_CHANNEL_BYTES = {"B": 1, "H": 2}  # numpy's type characters of uint8 and uint16


def array_format(array: numpy.ndarray, bgr: bool = False) -> int:
    """The format of a HxW, HxWx3 or HxWx4 array of uint8 or uint16; ValueError for others."""
    dtype = array.dtype
    channels = 1 if array.ndim == 2 else array.shape[-1] if array.ndim == 3 else 0
    size = _CHANNEL_BYTES.get(dtype.char) if dtype.isnative else None
    fmt = _FORMAT_OF.get((channels, size, bgr and channels > 1)) if size else None
    if fmt is None or 0 in array.shape:
        raise ValueError(
            f"cannot share an array of shape {array.shape} and dtype {array.dtype}: "
            "use HxW, HxWx3 or HxWx4 of uint8 or uint16"
        )
    return fmt


def as_array(buffer: object, width: int, height: int, bytes_per_line: int, image_format: int) -> numpy.ndarray:
    """``height`` rows ``bytes_per_line`` apart in ``buffer`` as an array, without copying."""
    layout = ARRAY_LAYOUTS.get(image_format)
    if layout is None:
        name = QT_PIXEL_FORMATS.get(image_format, image_format)
        raise ValueError(f"pixels in format {getattr(name, 'name', name)} have no array form; use the image")
    np = numpy_module()
    channels, size, _ = layout
    dtype = np.dtype(np.uint8 if size == 1 else np.uint16)
    shape = (height, width) if channels == 1 else (height, width, channels)
    strides = (bytes_per_line, channels * size) if channels == 1 else (bytes_per_line, channels * size, size)
    array: numpy.ndarray = np.ndarray(shape, dtype, buffer=buffer, strides=strides[: len(shape)])
    return array


def to_qimage(array: numpy.ndarray, image_format: int) -> QImage:
    """A QImage owning a copy of ``array``; 16-bit RGB/BGR/BGRA become RGBX64/RGBA64."""
    np = numpy_module()
    if image_format in (RGB48, BGR48, BGRA64):
        order = {RGB48: [0, 1, 2], BGR48: [2, 1, 0], BGRA64: [2, 1, 0, 3]}[image_format]
        wide = np.full((*array.shape[:2], 4), 0xFFFF, np.uint16)
        wide[..., : len(order)] = array[..., order]
        array, image_format = wide, (Format.Format_RGBA64 if image_format == BGRA64 else Format.Format_RGBX64).value
    array = np.ascontiguousarray(array)
    height, width = array.shape[:2]
    view = QImage(array.data, width, height, array.strides[0], QT_PIXEL_FORMATS[image_format])
    return view.copy()  # owns its pixels: ``array`` may go
