"""The provider's side: put an image into the segment and keep it there.

The order of steps is the article's and Qt's example's: detach if attached,
create, lock, copy, unlock.  Two changes make it safe with several processes:
a segment that is still large enough is reused (no detach, no create), and
``create()`` is called only when no segment exists under the key, because a
failed ``create()`` re-initialises the key's lock under a reader's feet.

``raw`` frames take no lock: they go into a ring of slots (transport/ring.py), the
next free one, while readers read older ones.  Every commit rings the doorbell
(transport/doorbell.py) that watchers sleep on.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QSharedMemory
from PySide6.QtGui import QImage

from shareimg.errors import LockTimeout, SharedMemoryFailure
from shareimg.native.copies import copy_to
from shareimg.transport import doorbell, mapped, pins
from shareimg.transport.arrays import ArrayKind
from shareimg.transport.codecs import QT, RAW, EncodedImage, ImageCodec
from shareimg.transport.eviction import evict
from shareimg.transport.keys import DEFAULT_KEY, key_file, native_key, validate_key
from shareimg.transport.lock import SegmentLock
from shareimg.transport.publication import Publication, write_publication
from shareimg.transport.ring import RingWriter
from shareimg.transport.segment import remove_segment, segment_status
from shareimg.transport.steps import StepObserver, report, step
from shareimg.transport.unclosed import close_unclosed
from shareimg.wire import layout
from shareimg.wire.pixels import as_array, bits_per_pixel, frame_format, numpy_module
from shareimg.wire.ring_layout import PAGE, Slot, plan

if TYPE_CHECKING:
    import numpy

# A segment more than this many times larger than needed is given back.
_SHRINK_FACTOR = 4
_CLAIM_ATTEMPTS = 50
_new_tuple = tuple.__new__
# A frame that starts less than this after the one before was shared comes back to back (a stream flat
# out; measured from the share, not the start, so that a large frame's own copy does not count): the
# slot for the next one is claimed after a commit, so that two slots take turns and stay in the cache.
# Others claim it before the copy, so that nothing delays the readers a ring wakes.
_BACK_TO_BACK_NS = 2_000_000
#: Slots in a raw ring: the newest, one being written, and two for readers that hold views.
SLOTS = 4
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
        #: Called with each shared-memory step as it starts and ends (see common.steps).
        self.observer = observer
        with step(observer, "setKey", key):
            self._shm = QSharedMemory(native_key(key))
        self._segment_lock = SegmentLock(key)
        self._spent: list[QSharedMemory] = []  # earlier segments' objects: they own the lock semaphore
        self._created = False
        self._generation = 0
        self._slots = max(2, slots)
        self._ring: RingWriter | None = None  # while our segment is a raw ring
        self._view = memoryview(b"")  # our segment, while attached
        self._doorbell = 0  # where in it watchers sleep
        self._filling: Slot | None = None  # the ring slot being filled
        self._back_to_back = False  # whether this frame came right after the one before (a stream flat out)
        self._shared_ns = 0  # when the frame before was committed
        self._claim_late = False  # whether the slot for the next frame is claimed after this one's commit
        self._array_kind: ArrayKind | None = None  # the arrays published last: their checks, their slots

    def __enter__(self) -> Publisher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        # A safety net, not the way: a publisher its owner forgot would keep its segment until collected.
        # (At exit Qt may have destroyed the object first, detaching as it went.)
        shm = getattr(self, "_shm", None)
        if shm is not None and shiboken6.isValid(shm) and shm.isAttached():
            close_unclosed(self, self.close)

    @property
    def memory(self) -> QSharedMemory:
        """The QSharedMemory under the key (a new one after :meth:`close`), for calls made by hand."""
        return self._shm

    @property
    def sharing(self) -> bool:
        return self._shm.isAttached()

    def publish(
        self, image: QImage | numpy.ndarray, codec: ImageCodec[Any] | None = None, bgr: bool = False
    ) -> Publication:
        """Encode ``image`` and share it, replacing what this publisher shared before.

        ``image`` is a QImage or a numpy array: HxW, HxWx3 or HxWx4, uint8 or
        uint16; ``bgr`` says its channels are B, G, R(, A), as OpenCV's are.
        """
        codec = codec or self.codec
        if isinstance(image, QImage):
            if image.isNull():
                raise ValueError("cannot share a null image")
            return self.publish_encoded(codec.encode(image))
        if codec is RAW:
            return self._publish_array(image, bgr)
        return self.publish_encoded(codec.encode_array(image, bgr))

    def _publish_array(self, array: numpy.ndarray, bgr: bool) -> Publication:
        """Copy ``array`` straight into the next slot; what it needs is worked out once per kind of array.

        A stream publishes arrays of one shape and type frame after frame: the
        first is checked and described, the others are matched against it and
        copied (numpy's copy lets Python's global lock go, and takes any strides).
        """
        kind = self._array_kind
        if kind is None or kind.key != (array.shape, array.dtype, bgr):
            kind = self._array_kind = ArrayKind(array, bgr)
        index = self._reserve(kind.width, kind.height, kind.bytes_per_line, kind.image_format)
        assert self._ring is not None  # _reserve made it
        numpy_module().copyto(kind.target(self._ring, index), array)  # lets go of the GIL, takes any strides
        self._commit(index)
        return self._publication(kind.width, kind.height, kind.nbytes, RAW.name)

    @contextmanager
    def frame(
        self, height: int, width: int, channels: int = 3, dtype: object = "uint8", bgr: bool = False
    ) -> Iterator[numpy.ndarray]:
        """Lend the next free slot as a writable array to draw into; it is shared when the block ends.

        >>> with publisher.frame(1080, 1920, 3, bgr=True) as array:
        ...     cv2.resize(camera_image, (1920, 1080), dst=array)

        No copy at all: the array is the slot.  Do not keep it after the block.
        If the block raises, nothing is shared.  Always the ``raw`` codec.
        """
        fmt = frame_format(channels, dtype, bgr)
        row = width * bits_per_pixel(fmt) // 8
        index = self._reserve(width, height, row, fmt)
        assert self._ring is not None  # _reserve made it
        yield as_array(self._ring.pixels(index, row * height), width, height, row, fmt)
        self._commit(index)

    def publish_encoded(self, encoded: EncodedImage) -> Publication:
        """Share an image encoded beforehand (for example on a worker thread)."""
        payload_length = len(encoded.payload)
        if encoded.codec.codec_id == RAW.codec_id:
            index = self._reserve(encoded.width, encoded.height, encoded.bytes_per_line, encoded.image_format)
            assert self._ring is not None  # _reserve made it
            at, capacity = self._ring.address(index), self._ring.header.slot_bytes
            copy_to(at, capacity, encoded.payload)
            self._commit(index)
            return self._publication(encoded.width, encoded.height, payload_length, RAW.name)
        size = layout.segment_size(payload_length)
        if self._ring is not None or not self._fits(size):
            self._renew_segment(size)
        self._generation += 1
        self._lock()
        try:
            with step(self.observer, "copy", f"{payload_length:,} B"):
                write_publication(self._view, encoded, self._generation)
        finally:
            self._unlock()
        doorbell.ring(self._doorbell)
        return self._publication(encoded.width, encoded.height, payload_length, encoded.codec.name)

    def _publication(self, width: int, height: int, payload_length: int, codec: str) -> Publication:
        return Publication(self.key, width, height, payload_length, len(self._view), self._generation, codec)

    def _reserve(self, width: int, height: int, bytes_per_line: int, image_format: int) -> int:
        """Reserve the next free slot of the ring for one frame: its index, to fill and commit."""
        nbytes = bytes_per_line * height
        if self._ring is None or not self._ring_fits(nbytes):
            self._renew_segment(plan(nbytes, self._slots)[0], nbytes)
        assert self._ring is not None  # _renew_segment laid one out
        self._generation += 1
        now = time.monotonic_ns()
        # tuple.__new__ makes the same Slot as Slot(...) without a Python call: this is on every frame's path.
        slot = _new_tuple(Slot, (self._generation, 0, now, width, height, bytes_per_line, image_format))
        self._back_to_back = now - self._shared_ns < _BACK_TO_BACK_NS
        # Two slots leave none to claim before the copy: the newest and this one.
        self._claim_late = self._back_to_back or self._ring.header.slot_count < 3
        try:
            index = self._ring.reserve(slot, PIN_PATIENCE_SECONDS, claim_next=not self._claim_late)
        except TimeoutError as error:
            raise LockTimeout(f"cannot publish under key '{self.key}': {error}") from None
        self._filling = slot
        return index

    def _commit(self, index: int) -> None:
        """Share the frame reserved in slot ``index``: it becomes the newest, and the doorbell rings."""
        slot = self._filling
        assert self._ring is not None and slot is not None  # _reserve made both
        self._ring.commit(index, slot)  # the trailer's ``committed`` too
        doorbell.ring(self._doorbell)
        if self._claim_late:
            self._ring.claim_ahead(self._generation + 1)
        self._shared_ns = time.monotonic_ns()
        if self.observer is not None:
            report(self.observer, "copy", lambda: f"{slot.bytes_per_line * slot.height:,} B", slot.publish_ns)

    def _ring_fits(self, nbytes: int) -> bool:
        assert self._ring is not None
        slot_bytes = self._ring.header.slot_bytes
        return nbytes <= slot_bytes <= max(nbytes * _SHRINK_FACTOR, PAGE)

    def close(self) -> None:
        """Stop sharing: mark the segment retired, detach, and remove it with its lock."""
        if self._shm.isAttached():
            self._retire()
        # Qt removes the lock's semaphore only when the object that created it is
        # destroyed; do it now rather than whenever Python collects it.  The new object
        # is in place first: another thread may ask for ``memory`` meanwhile (the
        # step-through's picture), and must never be handed a deleted one.
        leaving = [*self._spent, self._shm]
        self._spent.clear()
        self._created = False
        self._shm = QSharedMemory(native_key(self.key))
        for shm in leaving:
            shiboken6.delete(shm)
        self._view, self._doorbell = memoryview(b""), 0

    def _fits(self, size: int) -> bool:
        if not self._shm.isAttached():
            return False
        current = self._shm.size()
        return size <= current < size * _SHRINK_FACTOR

    def _lock(self) -> None:
        with step(self.observer, "lock"):
            self._segment_lock.acquire()

    def _unlock(self) -> None:
        with step(self.observer, "unlock"):
            self._segment_lock.release()

    def _retire(self) -> None:
        """Leave our segment so that readers still mapping it know to look again."""
        view = mapped.writable(self._shm)  # ours, or one the step-through created by hand on the same object
        self._lock()
        try:
            layout.retire(view)
        finally:
            self._unlock()
        doorbell.ring(doorbell.address_in(view))
        if self._ring is not None:
            # Views of readers still mapping it stay valid: nobody writes this segment again.
            pins.remove(self._ring.header.pins)
            self._ring = self._array_kind = None  # the kind's arrays are of this segment's slots
        with step(self.observer, "detach"):
            self._segment_lock.wait_until_free()  # Qt's detach() locks too, with the GIL held
            self._shm.detach()
        # Readers still attached keep the segment alive, and Qt's detach then
        # leaves the key file: free both for the next segment.
        status = segment_status(self.key)
        if status is not None:
            remove_segment(status.shmid)
            key_file(self.key).unlink(missing_ok=True)

    def _renew_segment(self, size: int, ring_frame_bytes: int | None = None) -> None:
        """A new segment of ``size`` bytes; laid out as a ring for frames of ``ring_frame_bytes`` if given."""
        if self._shm.isAttached():
            self._retire()
        for _ in range(_CLAIM_ATTEMPTS):
            status = segment_status(self.key)
            if status is None:
                if self._create(size):
                    self._view = mapped.writable(self._shm)
                    self._doorbell = doorbell.address_in(self._view)
                    if ring_frame_bytes is not None:
                        self._lay_out_ring(ring_frame_bytes)
                    return
                continue
            status.check_owner(self.key)
            evict(self.key, status)
        raise SharedMemoryFailure(f"could not claim key '{self.key}': other programs kept creating segments under it")

    def _create(self, size: int) -> bool:
        """Create the segment with a QSharedMemory of its own; False if someone else just did.

        A QSharedMemory that creates twice first removes the lock semaphore it
        made and makes another, under the feet of every process waiting on it;
        so each segment gets a new object and the earlier ones are kept (until
        :meth:`close`), which keeps the semaphore.  ``create()`` also resets the
        semaphore to 1: holding the lock meanwhile keeps readers out, and the
        reset hands it back.
        """
        if self._shm.isAttached() or self._created:
            self._spent.append(self._shm)
            self._shm = QSharedMemory(native_key(self.key))
        self._created = True
        with step(self.observer, "create", f"{size:,} B"):
            self._segment_lock.acquire(missing_grace=0)
            try:
                if self._shm.create(size):
                    return True
                if self._shm.error() == QSharedMemory.SharedMemoryError.AlreadyExists:
                    return False
                raise SharedMemoryFailure(
                    f"cannot create a segment of {size} bytes under key '{self.key}'", self._shm.errorString()
                )
            finally:
                self._segment_lock.forget()

    def _lay_out_ring(self, frame_bytes: int) -> None:
        """Header, pins and a ring-version trailer (last: until then readers take the segment for empty)."""
        view = self._view
        _, first_slot, slot_bytes = plan(frame_bytes, self._slots)
        self._ring = RingWriter(view, self._slots, first_slot, slot_bytes, pins.create(self._slots))
        trailer = layout.Metadata(RAW.codec_id, 0, self._ring.ring_bytes, 0, 0, 0, 0, os.getpid(), 0, 0, 0)
        layout.write(view, replace(trailer, version=layout.RING_VERSION))
