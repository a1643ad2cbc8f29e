"""The provider's side: put an image into the segment it owns and keep it there.

``qt`` frames are copied under the key's lock, as the article's example does.
``raw`` frames take no lock: they go into a ring of slots (transport/ring.py),
the next free one, while readers read older ones, by one path for all three
ways in (reserve a slot, fill it, commit it).  Every commit rings the doorbell
(transport/doorbell.py) that watchers sleep on.  The segment's own life
(create, retire, renew, close) is transport/owned_segment.py's.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QSharedMemory
from PySide6.QtGui import QImage

from shareimg.errors import LockTimeout
from shareimg.native.copies import copy_to
from shareimg.transport import doorbell
from shareimg.transport.arrays import ArrayKind
from shareimg.transport.codecs import QT, RAW, EncodedImage, ImageCodec
from shareimg.transport.keys import DEFAULT_KEY, validate_key
from shareimg.transport.owned_segment import OwnedSegment
from shareimg.transport.publication import Publication, write_publication
from shareimg.transport.steps import StepObserver, report, step
from shareimg.transport.unclosed import close_unclosed
from shareimg.wire import layout
from shareimg.wire.pixels import numpy_module
from shareimg.wire.ring_layout import Slot, plan

if TYPE_CHECKING:
    import numpy

    from shareimg.transport.ring import RingWriter

_new_tuple = tuple.__new__
# A frame that starts less than this after the one before was shared comes back to back (a stream flat
# out; measured from the share, not the start, so that a large frame's own copy does not count): the
# slot for the next one is claimed after a commit, so that two slots take turns and stay in the cache.
# Others claim it before the copy, so that nothing delays the readers a ring wakes.
_BACK_TO_BACK_NS = 2_000_000
#: Slots in a raw ring: the newest, one being written, and two for readers that hold views.
SLOTS = 4
#: Slots in a raw ring for a still image: its one frame.  The next still takes a new segment, so the
#: slot is never written again while a reader pins it (a view of it stays valid after the provider moved on).
STILL_SLOTS = 1
#: How long a publish waits for readers that pin every free slot.
PIN_PATIENCE_SECONDS = 10.0


class Publisher:
    """Owns the segment under ``key`` while it is open; use as a context manager.

    >>> with Publisher("shareimg") as publisher:
    ...     publisher.publish(QImage("photo.png"))

    ``publish`` also takes numpy arrays, and :meth:`frame` lends a slot of the
    ring to draw into.
    """

    def __init__(
        self,
        key: str = DEFAULT_KEY,
        codec: ImageCodec[Any] = QT,
        observer: StepObserver | None = None,
        slots: int = SLOTS,
    ) -> None:
        self.key = validate_key(key)
        self.codec = codec
        # A stream needs a slot besides the newest to write into, or each frame would take a new segment.
        self._segment = OwnedSegment(self.key, observer, max(2, slots))
        self._ring_slots = self._segment.slots  # the slots the ring laid out next gets: fewer for a still
        self._generation = 0
        self._filling: Slot | None = None  # the ring slot being filled
        self._shared_ns = 0  # when the frame before was committed
        self._claim_late = False  # whether the slot for the next frame is claimed after this one's commit
        self._array_kind: ArrayKind | None = None  # the arrays published last: their checks, their slots
        self._numpy: Any = None  # numpy, once an array was published (imported only then)

    def __enter__(self) -> Publisher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        # A safety net, not the way: a publisher its owner forgot would keep its segment until collected.
        # (At exit Qt may have destroyed the object first, detaching as it went.)
        segment = getattr(self, "_segment", None)
        shm = getattr(segment, "shm", None)
        if shm is not None and shiboken6.isValid(shm) and shm.isAttached():
            close_unclosed(self, self.close)

    @property
    def observer(self) -> StepObserver | None:
        """Called with each shared-memory step as it starts and ends (see transport/steps.py)."""
        return self._segment.observer

    @observer.setter
    def observer(self, observer: StepObserver | None) -> None:
        self._segment.observer = observer

    @property
    def lock_timeout(self) -> float | None:
        """How long a publish or a close waits for the key's lock, then :class:`LockTimeout`; None (the default):
        for as long as it takes."""
        return self._segment.lock_timeout

    @lock_timeout.setter
    def lock_timeout(self, seconds: float | None) -> None:
        self._segment.lock_timeout = seconds

    @property
    def memory(self) -> QSharedMemory:
        """The QSharedMemory under the key (a new one after :meth:`close`), for calls made by hand."""
        return self._segment.shm

    @property
    def sharing(self) -> bool:
        return self._segment.shm.isAttached()

    def publish(
        self,
        image: QImage | numpy.ndarray,
        codec: ImageCodec[Any] | None = None,
        bgr: bool = False,
        *,
        still: bool = False,
        published_ns: int | None = None,
    ) -> Publication:
        """Encode ``image`` and share it, replacing what this publisher shared before.

        ``image`` is a QImage or a numpy array: HxW, HxWx3 or HxWx4, uint8 or
        uint16; ``bgr`` says its channels are B, G, R(, A), as OpenCV's are.
        ``still``: one image to keep shared, not a frame of a stream; with ``raw``
        it takes a segment of one slot (a stream's ring has four), and each still a new one.
        ``published_ns``: when the image was first published (time.monotonic_ns()), if not now: a
        bridge passing on another machine's frame keeps its time, so that readers see latency end to end.
        """
        codec = codec or self.codec
        if isinstance(image, QImage):
            if image.isNull():
                raise ValueError("cannot share a null image")
            return self.publish_encoded(codec.encode(image), still=still, published_ns=published_ns)
        if codec is RAW:
            return self._publish_array(image, bgr, still, published_ns)
        return self.publish_encoded(codec.encode_array(image, bgr), still=still, published_ns=published_ns)

    def _publish_array(self, array: numpy.ndarray, bgr: bool, still: bool, published_ns: int | None) -> Publication:
        """Copy ``array`` straight into the next slot (numpy's copy lets Python's global lock go, takes any strides)."""
        kind = self._kind(array.shape, array.dtype, bgr)
        shape = (kind.width, kind.height, kind.bytes_per_line, kind.image_format)
        with self._raw_slot(*shape, still=still, published_ns=published_ns) as (ring, index):
            self._numpy.copyto(kind.target(ring, index), array)
        return self._publication(kind.width, kind.height, kind.nbytes, RAW.name)

    def _kind(self, shape: tuple[int, ...], dtype: object, bgr: bool) -> ArrayKind:
        """What arrays of ``shape``, ``dtype`` and channel order need, worked out once per kind.

        A stream publishes arrays of one kind frame after frame: the first is
        checked and described, the others are matched against it.
        """
        kind = self._array_kind
        if kind is None or kind.key != (shape, dtype, bgr):
            self._numpy = numpy_module()
            kind = self._array_kind = ArrayKind(self._numpy.broadcast_to(self._numpy.zeros((), dtype), shape), bgr)
        return kind

    @contextmanager
    def frame(
        self,
        height: int,
        width: int,
        channels: int = 3,
        dtype: object = "uint8",
        bgr: bool = False,
        *,
        published_ns: int | None = None,
    ) -> Iterator[numpy.ndarray]:
        """Lend the next free slot as a writable array to draw into; it is shared when the block ends.

        >>> with publisher.frame(1080, 1920, 3, bgr=True) as array:
        ...     cv2.resize(camera_image, (1920, 1080), dst=array)

        No copy at all: the array is the slot.  Do not keep it after the block.
        If the block raises, nothing is shared.  Always the ``raw`` codec.  ``published_ns`` as for :meth:`publish`.
        """
        kind = self._kind((height, width) if channels == 1 else (height, width, channels), dtype, bgr)
        shape = (kind.width, kind.height, kind.bytes_per_line, kind.image_format)
        with self._raw_slot(*shape, published_ns=published_ns) as (ring, index):
            yield kind.target(ring, index)

    def publish_encoded(
        self, encoded: EncodedImage, *, still: bool = False, published_ns: int | None = None
    ) -> Publication:
        """Share an image encoded beforehand (for example on a worker thread); the rest as for :meth:`publish`."""
        payload_length = len(encoded.payload)
        if encoded.codec.codec_id == RAW.codec_id:
            shape = (encoded.width, encoded.height, encoded.bytes_per_line, encoded.image_format)
            with self._raw_slot(*shape, still=still, published_ns=published_ns) as (ring, index):
                copy_to(ring.address(index), ring.header.slot_bytes, encoded.payload)
            return self._publication(encoded.width, encoded.height, payload_length, RAW.name)
        segment = self._segment
        size = layout.segment_size(payload_length)
        if segment.ring is not None or not segment.fits(size):
            self._renew_segment(size)
        self._generation += 1
        segment.acquire()
        try:
            with step(self.observer, "copy", f"{payload_length:,} B"):
                write_publication(segment.view, encoded, self._generation, published_ns)
        finally:
            segment.release()
        doorbell.ring(segment.doorbell)
        return self._publication(encoded.width, encoded.height, payload_length, encoded.codec.name)

    def _publication(self, width: int, height: int, payload_length: int, codec: str) -> Publication:
        segment_bytes = len(self._segment.view)
        return Publication(self.key, width, height, payload_length, segment_bytes, self._generation, codec)

    @contextmanager
    def _raw_slot(
        self,
        width: int,
        height: int,
        bytes_per_line: int,
        image_format: int,
        still: bool = False,
        published_ns: int | None = None,
    ) -> Iterator[tuple[RingWriter, int]]:
        """The one path of every raw frame: reserve the next free slot, let the block fill it, commit it.

        Yields the ring and the slot's index.  If the block raises, nothing is shared.
        """
        index = self._reserve(width, height, bytes_per_line, image_format, still, published_ns)
        ring = self._segment.ring
        assert ring is not None  # reserved in it
        yield ring, index
        self._commit(index)

    def _reserve(
        self, width: int, height: int, bytes_per_line: int, image_format: int, still: bool, published_ns: int | None
    ) -> int:
        """Reserve the next free slot of the ring for one frame: its index, to fill and commit.

        A still always takes a new ring of one slot: the ring before keeps its frame for the readers
        that pin it, and is never written again.
        """
        nbytes = bytes_per_line * height
        segment = self._segment
        slots = STILL_SLOTS if still else segment.slots
        ring = segment.ring
        if still or ring is None or ring.header.slot_count != slots or not segment.ring_fits(nbytes):
            self._ring_slots = slots
            self._renew_segment(plan(nbytes, slots)[0], nbytes)
        ring = segment.ring
        assert ring is not None  # renewed as a ring if it was none
        self._generation += 1
        now = time.monotonic_ns()
        # tuple.__new__ makes the same Slot as Slot(...) without a Python call: this is on every frame's path.
        published = now if published_ns is None else published_ns
        slot = _new_tuple(Slot, (self._generation, 0, published, width, height, bytes_per_line, image_format))
        # Two slots leave none to claim before the copy: the newest and this one.
        self._claim_late = now - self._shared_ns < _BACK_TO_BACK_NS or ring.header.slot_count < 3
        try:
            index = ring.reserve(slot, PIN_PATIENCE_SECONDS, claim_next=not self._claim_late)
        except TimeoutError as error:
            raise LockTimeout(f"cannot publish under key '{self.key}': {error}") from None
        self._filling = slot
        return index

    def _commit(self, index: int) -> None:
        """Share the frame reserved in slot ``index``: it becomes the newest, and the doorbell rings."""
        slot, ring = self._filling, self._segment.ring
        assert slot is not None and ring is not None  # reserved before
        ring.commit(index, slot)  # the trailer's ``committed`` too
        doorbell.ring(self._segment.doorbell)
        if self._claim_late:
            ring.claim_ahead(self._generation + 1)
        self._shared_ns = time.monotonic_ns()
        if self.observer is not None:
            report(self.observer, "copy", lambda: f"{slot.bytes_per_line * slot.height:,} B", slot.publish_ns)

    def close(self) -> None:
        """Stop sharing: mark the segment retired, detach, and remove it with its lock."""
        self._array_kind = None  # its arrays are of this segment's slots
        self._segment.close()

    def _renew_segment(self, size: int, ring_frame_bytes: int | None = None) -> None:
        """A new segment of ``size`` bytes; laid out as a ring for frames of ``ring_frame_bytes`` if given."""
        self._array_kind = None  # its arrays are of the old segment's slots
        self._segment.renew(size, ring_frame_bytes, self._ring_slots)
