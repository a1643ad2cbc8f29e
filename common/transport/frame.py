"""A frame a Watcher hands over: an owned copy, or a view into the provider's slot.

A view is the slot itself, pinned (common/pins.py) so that the provider writes
elsewhere until it is released; it costs no copy.  Release it soon -- with a
``with`` block, or :meth:`Frame.release` -- because a provider whose every
other slot is pinned waits.  After release its pixels belong to the provider
again, so :attr:`Frame.image`, :attr:`Frame.array` and :attr:`Frame.pixels`
raise; :meth:`Frame.copy` first keeps them.  Arrays and images taken from a
view before release still point into the slot: copy them to keep them.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtGui import QImage

from shareimg.errors import ShareImgError
from shareimg.native.copies import address, copied, kept
from shareimg.transport.ring import RingReader
from shareimg.transport.shared_image import SharedImage
from shareimg.wire import layout
from shareimg.wire.pixels import ARRAY_LAYOUTS, QT_PIXEL_FORMATS, as_array, to_qimage
from shareimg.wire.ring_layout import Slot, slot_metadata

if TYPE_CHECKING:
    import numpy


class Frame:
    """One image and when it arrived; a view while :attr:`pinned`."""

    # A stream makes one per frame: slots make that, and each attribute read, cheaper.
    __slots__ = (
        "_shared", "_pixels", "_unpin", "_released", "received_ns", "_metadata", "key", "segment_bytes", "__weakref__",
    )  # fmt: skip

    def __init__(
        self,
        shared: SharedImage | None,
        received_ns: int,
        pixels: memoryview | bytearray | None = None,
        unpin: Callable[[], None] | None = None,
    ) -> None:
        self._shared = shared
        self._pixels = pixels  # raw frames: the slot (a view) or our copy (the image's bits, or bytes)
        self._unpin = unpin
        self._released = False
        self.received_ns = received_ns
        self._metadata: layout.Metadata | Callable[[], layout.Metadata] | None = shared.metadata if shared else None
        self.key = shared.key if shared else ""
        self.segment_bytes = shared.segment_bytes if shared else 0

    @classmethod
    def raw(
        cls,
        key: str,
        meta: layout.Metadata | Callable[[], layout.Metadata] | None,
        pixels: memoryview | bytearray,
        segment_bytes: int,
        unpin: Callable[[], None] | None = None,
    ) -> Frame:
        """A raw frame; ``meta`` may be a function that makes the metadata when first asked for."""
        frame = cls.__new__(cls)  # __init__'s questions have known answers here, on every frame of a stream
        frame.received_ns = time.monotonic_ns()
        frame._shared, frame._pixels, frame._unpin, frame._released = None, pixels, unpin, False
        frame._metadata, frame.key, frame.segment_bytes = meta, key, segment_bytes
        return frame

    def arrived(self, meta: Callable[[], layout.Metadata], unpin: Callable[[], None]) -> Frame:
        """A view made ahead (:func:`view_ahead`) now holds its frame: pinned until ``unpin``, described by ``meta``."""
        self.received_ns = time.monotonic_ns()
        self._metadata, self._unpin = meta, unpin
        return self

    @property
    def metadata(self) -> layout.Metadata | None:
        """The publication as its trailer or slot describes it; None for another Qt program's image."""
        if callable(self._metadata):
            self._metadata = self._metadata()
        return self._metadata

    # --- pinning ---------------------------------------------------------------------------

    @property
    def pinned(self) -> bool:
        """True while this frame is a view into the provider's slot."""
        return self._unpin is not None

    def release(self) -> None:
        """Give the slot back to the provider (views); an owned frame has nothing to give."""
        unpin, self._unpin = self._unpin, None
        if unpin is not None:
            self._released = True
            self._shared = None
            if isinstance(self._pixels, memoryview):
                # An array or image may still export it: it stays readable, unpinned.
                with contextlib.suppress(BufferError):
                    self._pixels.release()
            self._pixels = None
            unpin()

    def __enter__(self) -> Frame:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def __del__(self) -> None:
        self.release()

    def copy(self) -> Frame:
        """An owned frame with the same pixels, which outlives :meth:`release`."""
        self._check()
        if self._pixels is None:
            return Frame(self._shared, self.received_ns)
        # The metadata as it is, perhaps still a function: made for the copy only if it asks.
        return owned(self.key, self._metadata, self._pixels, self.segment_bytes, self.received_ns)

    def _check(self) -> None:
        if self._released:
            raise ValueError("this frame was released: its slot belongs to the provider again; copy() it before")

    # --- the pixels -------------------------------------------------------------------------

    @property
    def shared(self) -> SharedImage:
        """The image with its metadata (for a view, the image reads the slot: valid until release)."""
        self._check()
        if self._shared is None:
            self._shared = SharedImage(self.key, self._image(), self.metadata, self.segment_bytes)
        return self._shared

    @property
    def image(self) -> QImage:
        return self.shared.image

    @property
    def pixels(self) -> memoryview:
        """The raw frame's bytes, rows ``metadata.bytes_per_line`` apart (read-only for a view)."""
        self._check()
        if self._pixels is None:
            raise ValueError("only raw frames have their pixels as they were shared; use the image")
        return memoryview(self._pixels)

    @property
    def array(self) -> numpy.ndarray:
        """The pixels as a numpy array, HxW or HxWxC; a view of the slot while pinned."""
        self._check()
        if self._pixels is None:
            image = self.shared.image
            return as_array(_bits(image), image.width(), image.height(), image.bytesPerLine(), image.format().value)
        meta = self._raw_metadata
        return as_array(self._pixels, meta.width, meta.height, meta.bytes_per_line, meta.image_format)

    @property
    def channel_order(self) -> str:
        """What the last axis of :attr:`array` holds: "RGB", "BGR", "RGBA", "BGRA", ... or "gray"."""
        fmt = self._raw_metadata.image_format if self._pixels is not None else self.shared.image.format().value
        return ARRAY_LAYOUTS[fmt][2] if fmt in ARRAY_LAYOUTS else ""

    @property
    def latency_ms(self) -> float | None:
        """From the start of the provider's publish to the moment we held the frame."""
        meta = self.metadata
        return (self.received_ns - meta.publish_ns) / 1e6 if meta else None

    @property
    def _raw_metadata(self) -> layout.Metadata:
        """The metadata of a raw frame (one with pixels), which always has it once it arrived."""
        meta = self.metadata
        assert meta is not None, "a raw frame without its metadata"
        return meta

    def _image(self) -> QImage:
        # Made only for raw frames: others come with their image.
        meta, pixels = self._raw_metadata, self._pixels
        assert pixels is not None, "a frame without its image nor pixels"
        fmt = QT_PIXEL_FORMATS.get(meta.image_format)
        if fmt is None:  # 16-bit RGB or BGR(A), which Qt has not: a converted copy
            return to_qimage(self.array, meta.image_format)
        # Reads the slot or our copy in place; Qt copies it before anything writes to it.
        return QImage(pixels, meta.width, meta.height, meta.bytes_per_line, fmt)


def owned(
    key: str,
    meta: layout.Metadata | Callable[[], layout.Metadata] | None,
    pixels: memoryview | bytearray,
    segment_bytes: int,
    received_ns: int | None = None,
) -> Frame:
    """A frame holding its own copy of a raw frame's ``pixels`` (checked by the ring), rows as they were.

    The copy goes into memory nobody clears first (a QImage made for it costs
    twice as much before the copy starts); its image is made over it when asked for.
    """
    frame = Frame.raw(key, meta, copied(pixels), segment_bytes)
    if received_ns is not None:
        frame.received_ns = received_ns
    return frame


def _bits(image: QImage) -> memoryview:
    """The image's pixels as a buffer that keeps the image alive (PySide's own does not)."""
    return kept(image, address(image.constBits()), image.sizeInBytes())


def read_ring(
    key: str,
    segment: memoryview,
    trailer: layout.Metadata,
    size: int,
    view: bool = False,
) -> Frame:
    """The newest frame of a ring segment: a copy, or (``view``) the slot itself, pinned until released."""
    try:
        ring = RingReader(segment)
        index, slot = ring.pin_newest()
    except ShareImgError as error:
        raise error.under(key) from None
    return ring_frame(key, trailer, size, ring, index, slot, view)


def view_ahead(key: str, ring: RingReader, index: int, size: int, lend: Callable[[], object] | None = None) -> Frame:
    """A view of slot ``index``, made before a frame comes there: :meth:`Frame.arrived` makes it that frame's.

    Until then it holds no pin, and dropping it gives nothing back.
    """
    return Frame.raw(key, None, ring.view(index, lend), size)


def ring_frame(
    key: str,
    trailer: layout.Metadata,
    size: int,
    ring: RingReader,
    index: int,
    slot: Slot,
    view: bool,
    lend: Callable[[], object] | None = None,
) -> Frame:
    """Slot ``index`` of ``ring``, pinned and described by ``slot``: as a view, or copied out (and unpinned).

    ``lend`` is called once per slot that views are cut from (RingReader.view); what
    it returns is kept alive as long as any view's memory is referenced (arrays and
    images made from it included).
    """

    meta = partial(slot_metadata, trailer, slot)  # made only if asked for: most frames are not
    if view:
        return view_ahead(key, ring, index, size, lend).arrived(meta, partial(ring.unpin, index))
    try:
        return owned(key, meta, ring.pixels(index, slot), size)
    finally:
        ring.unpin(index)
