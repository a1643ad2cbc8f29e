"""The consumer's side: take the current image out of the segment.

Attach, lock, copy out, unlock, detach -- then decode, outside the lock, so a
slow decode never keeps the provider waiting.  A ``raw`` segment needs no lock:
its newest slot is pinned (transport/ring.py), copied, and unpinned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSharedMemory
from PySide6.QtGui import QImage

from shareimg.errors import NotAnImage, NothingShared, Overwritten, SharedMemoryFailure, ShareImgError, UnknownContents
from shareimg.native.processes import process_running
from shareimg.transport import mapped
from shareimg.transport.codecs import QT, FrameBuffers, ImageCodec, codec_by_id
from shareimg.transport.frame import read_ring
from shareimg.transport.keys import DEFAULT_KEY, native_key, validate_key
from shareimg.transport.lock import SegmentLock, stuck
from shareimg.transport.ownership import owned_status
from shareimg.transport.shared_image import SharedImage
from shareimg.transport.steps import StepObserver, step
from shareimg.transport.stream_head import NotAStream
from shareimg.wire import layout
from shareimg.wire.ring_layout import MAGIC as RING_MAGIC

_READ_ATTEMPTS = 5


def read_image(key: str = DEFAULT_KEY) -> QImage:
    """The image shared under ``key``; raises :class:`NothingShared`, :class:`NotAnImage`..."""
    return read_shared(key).image


def read_shared(key: str = DEFAULT_KEY, observer: StepObserver | None = None) -> SharedImage:
    """The image shared under ``key`` together with its metadata.

    ``observer`` is called with each shared-memory step (see common.steps).
    """
    validate_key(key)
    status = owned_status(key)  # another user's key files, lock or segment: refused at once
    if status is None:
        # Asking Qt would make (and remove) a lock semaphore for a key nobody uses.
        raise _nothing_shared(key)
    shm = QSharedMemory(native_key(key))
    lock = SegmentLock(key)
    with step(observer, "attach"):
        lock.wait_until_free()  # Qt's attach() locks too, with the GIL held
        if not shm.attach(QSharedMemory.AccessMode.ReadOnly):
            if shm.error() == QSharedMemory.SharedMemoryError.NotFound:
                raise _nothing_shared(key)
            raise SharedMemoryFailure(f"cannot attach to the segment under key '{key}'", shm.errorString())
    try:
        size = shm.size()
        for attempt in range(_READ_ATTEMPTS):
            meta = layout.unpack(mapped.readonly(shm))
            if meta is not None and meta.version == layout.RING_VERSION:
                with step(observer, "read", f"{size:,} B"):
                    return read_ring(key, mapped.readonly(shm), meta, size).shared
            try:
                copied = read_locked(key, mapped.readonly(shm), lock, observer)
                break
            except Overwritten:
                if attempt == _READ_ATTEMPTS - 1:
                    raise
    finally:
        with step(observer, "detach"):
            lock.wait_until_free()
            shm.detach()
    return copied.decode()


@dataclass(frozen=True)
class Copied:
    """A publication of a version 1 segment (or another Qt program's), copied out but not decoded yet."""

    key: str
    metadata: layout.Metadata | None
    codec: ImageCodec[Any]
    extracted: object
    segment_bytes: int

    def decode(self) -> SharedImage:
        """The image; outside the lock, and after the detach where the caller can."""
        try:
            image = self.codec.decode(self.extracted)
        except ShareImgError as error:
            raise error.under(self.key) from None
        return SharedImage(self.key, image, self.metadata, self.segment_bytes)


def read_locked(
    key: str,
    segment: memoryview,
    lock: SegmentLock,
    observer: StepObserver | None = None,
    buffers: FrameBuffers | None = None,
    lock_timeout: float | None = None,
) -> Copied:
    """Lock, copy the publication out of ``segment`` (raw pixels into one of ``buffers``), unlock.

    The lock alone is not trusted: a publication is taken only if its
    generation is complete before the copy and unchanged after it (a seqlock),
    else :class:`Overwritten` says to read again.  A writer that ignores the
    lock, or a lock that Qt re-made in between, can then cost a retry but never
    a torn image.  :class:`LockTimeout` when another process holds the lock
    longer than ``lock_timeout``.
    """
    with step(observer, "lock"):
        if not lock.acquire(lock_timeout):
            raise stuck(key, lock_timeout or 0)
    try:
        with step(observer, "read", f"{len(segment):,} B"):
            return copy_publication(key, segment, buffers)
    finally:
        with step(observer, "unlock"):
            lock.release()


def copy_publication(key: str, segment: memoryview, buffers: FrameBuffers | None = None) -> Copied:
    """The publication in ``segment``, copied out (not decoded); the caller holds the lock, or shows what
    reading without it does (the step-through's "read")."""
    try:
        meta = layout.unpack(segment)
        if meta is None:
            if segment[: len(RING_MAGIC)] == RING_MAGIC:
                raise NothingShared("the provider is still laying out its segment")
            try:
                extracted = QT.extract(segment, None)  # refused from its first bytes if it is no Qt stream
            except NotAStream as error:
                raise UnknownContents(key, len(segment), error.head) from None
            return Copied(key, None, QT, extracted, len(segment))
        if meta.version == layout.RING_VERSION:
            raise Overwritten("the provider finished laying out its ring meanwhile")  # read it as a ring
        if not meta.complete:
            if process_running(meta.pid) and meta.generation > meta.committed:
                raise Overwritten("the provider is writing a new image")
            raise NotAnImage("the provider stopped in the middle of writing it")
        if meta.payload_length > len(segment) - layout.TRAILER_SIZE:
            raise NotAnImage(f"its trailer claims {meta.payload_length} bytes, more than the segment holds")
        codec = codec_by_id(meta.codec_id)
        extracted = codec.extract(segment[: meta.payload_length], meta, buffers)
        if layout.generation(segment) != meta.generation:
            raise Overwritten("the provider wrote a new image during the copy")
        return Copied(key, meta, codec, extracted, len(segment))
    except ShareImgError as error:
        raise error.under(key) from None


def _nothing_shared(key: str) -> NothingShared:
    return NothingShared(f"nothing is shared under key '{key}' yet: start the provider and load an image", key)
