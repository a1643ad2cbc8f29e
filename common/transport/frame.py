"""A frame a Watcher hands over: an owned copy, or a view into the provider's slot.

A view is the slot itself, pinned (transport/pins.py) so that the provider writes
elsewhere until it is closed; it costs no copy.  Close it soon -- with a
``with`` block, or :meth:`Frame.close` -- because a provider whose every
other slot is pinned waits.  After that its pixels belong to the provider
again, so :attr:`Frame.image`, :attr:`Frame.array` and :attr:`Frame.pixels`
raise; :meth:`Frame.copy` first keeps them.  Arrays and images taken from a
view before it closed still point into the slot: copy them to keep them.
A view dropped unclosed gives its pin back when collected, with a
:class:`ResourceWarning`, as an unclosed file does.
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
from shareimg.transport import pins
from shareimg.transport.keys import key_file
from shareimg.transport.ring import RingReader
from shareimg.transport.shared_image import SharedImage
from shareimg.transport.unclosed import close_unclosed
from shareimg.wire import layout
from shareimg.wire.pixels import ARRAY_LAYOUTS, QT_PIXEL_FORMATS, as_array, to_qimage
from shareimg.wire.ring_layout import Slot, slot_metadata

if TYPE_CHECKING:
    import numpy


class Frame:
    """One image and when it arrived; a view while :attr:`pinned`, until :meth:`close`.

    Made one way, by the watcher: either a ring slot's ``pixels`` (the slot
    itself, pinned until ``unpin`` is called, or a copy of them) described by
    the segment's ``trailer`` and the ``slot``'s descriptor, or an image
    decoded from a segment without a ring (``shared``).  Close a view, or use
    ``with``; an owned frame holds nothing, so closing it is harmless and not
    needed (and it warns of nothing when dropped).
    """

    # A stream makes one per frame: slots make that, and each attribute read, cheaper.
    __slots__ = (
        "key", "segment_bytes", "received_ns", "_pixels", "_trailer", "_slot", "_metadata", "_unpin", "_shared",
        "_closed", "__weakref__",
    )  # fmt: skip

    def __init__(
        self,
        key: str,
        segment_bytes: int,
        pixels: memoryview | bytearray | None = None,
        trailer: layout.Metadata | None = None,
        slot: Slot | None = None,
        unpin: Callable[[], None] | None = None,
        shared: SharedImage | None = None,
    ) -> None:
        self.received_ns = time.monotonic_ns()
        self.key = key
        self.segment_bytes = segment_bytes
        self._pixels = pixels  # a raw frame's: the slot (a view) or our copy
        # A ring frame's metadata is made from these when first asked for: most frames of a stream never are.
        self._trailer, self._slot = trailer, slot
        self._metadata = shared.metadata if shared is not None else None
        self._unpin = unpin
        self._shared = shared
        self._closed = False

    @property
    def metadata(self) -> layout.Metadata | None:
        """The publication as its trailer or slot describes it; None for another Qt program's image."""
        if self._metadata is None and self._slot is not None and self._trailer is not None:
            self._metadata = slot_metadata(self._trailer, self._slot)
        return self._metadata

    # --- pinning ---------------------------------------------------------------------------

    @property
    def pinned(self) -> bool:
        """True while this frame is a view into the provider's slot."""
        return self._unpin is not None

    def close(self) -> None:
        """Give the slot back to the provider (a view); an owned frame holds nothing and stays readable."""
        unpin, self._unpin = self._unpin, None
        if unpin is not None:
            self._closed = True
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
        self.close()

    def __del__(self) -> None:
        # A safety net, not the way: the pin comes back only when Python collects the frame, perhaps late.
        if self._unpin is not None:
            close_unclosed(self, self.close)

    def __repr__(self) -> str:
        state = "a view, pinned" if self._unpin is not None else "closed" if self._closed else "owned"
        generation = f" generation {self._slot[0]}" if self._slot is not None else ""
        return f"<Frame of key {self.key!r}{generation}, {state}>"

    def copy(self) -> Frame:
        """An owned frame with the same pixels, which outlives :meth:`close`."""
        self._check()
        if self._pixels is None:
            frame = Frame(self.key, self.segment_bytes, shared=self._shared)
        else:
            frame = Frame(self.key, self.segment_bytes, copied(self._pixels), self._trailer, self._slot)
        frame.received_ns = self.received_ns
        return frame

    def _check(self) -> None:
        if self._closed:
            raise ValueError("this frame was closed: its slot belongs to the provider again; copy() it before")

    # --- the pixels -------------------------------------------------------------------------

    @property
    def shared(self) -> SharedImage:
        """The image with its metadata (for a view, the image reads the slot: valid until :meth:`close`)."""
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


def _bits(image: QImage) -> memoryview:
    """The image's pixels as a buffer that keeps the image alive (PySide's own does not)."""
    return kept(image, address(image.constBits()), image.sizeInBytes())


def read_ring(
    key: str,
    segment: memoryview,
    trailer: layout.Metadata,
    size: int,
) -> Frame:
    """The newest frame of a ring segment, copied out."""
    try:
        ring = RingReader(segment, pins.pins_key(key_file(key)))
        index, slot = ring.pin_newest()
    except ShareImgError as error:
        raise error.under(key) from None
    return ring_frame(key, trailer, size, ring, index, slot, view=False)


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
    images made from it included).  The copy goes into memory nobody clears
    first (a QImage made for it costs twice as much before the copy starts);
    its image is made over it when asked for.
    """
    if view:
        return Frame(key, size, ring.view(index, lend), trailer, slot, partial(ring.unpin, index))
    try:
        ring.check_copy(slot)
        return Frame(key, size, copied(ring.pixels(index, slot)), trailer, slot)
    except ShareImgError as error:
        raise error.under(key) from None
    finally:
        ring.unpin(index)
