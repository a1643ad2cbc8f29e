"""Look into a segment by its System V id, without Qt: its trailer in microseconds, or its image.

A list of sources needs each segment's trailer (size, codec, generation) once
a second, and a small picture of each.  Qt's ``attach()`` and ``detach()``
take the segment's lock while keeping Python's global lock: in a process where
a second thread reads too (a consumer window watching one source while it
makes pictures of all), one thread waits for the lock in Qt holding the GIL
while the other holds the lock and waits for the GIL, for ever.  ``shmat`` by
id takes no lock, and the image is read under :class:`SegmentLock`, which
waits without the GIL.  The trailer alone is read without the lock, twice
until two reads agree, so a provider writing it meanwhile never gives a torn one.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from shareimg.errors import NothingShared, Overwritten
from shareimg.native import sysv
from shareimg.transport.frame import read_ring
from shareimg.transport.lock import SegmentLock
from shareimg.transport.reader import read_locked
from shareimg.transport.segment import segment_status
from shareimg.transport.shared_image import SharedImage
from shareimg.wire import layout
from shareimg.wire.ring_layout import newest_metadata

_HEAD = 32  # Qt's stream flag (4 bytes), the PNG signature (8) and the IHDR chunk's size fields
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ATTEMPTS = 3
_READ_ATTEMPTS = 5


@dataclass(frozen=True)
class Glimpse:
    """What the first and last bytes of a segment say."""

    metadata: layout.Metadata | None  # None: no trailer, another Qt program's segment
    head: bytes

    @property
    def qt_image_size(self) -> tuple[int, int] | None:
        """Width and height of a ``QDataStream << QImage`` stream (a PNG), None if it holds no image."""
        if len(self.head) < _HEAD or self.head[:4] != b"\x00\x00\x00\x01" or self.head[4:12] != _PNG_SIGNATURE:
            return None
        return struct.unpack(">II", self.head[20:28])


def glimpse(shmid: int, size: int) -> Glimpse | None:
    """The segment's head and trailer, without its lock; None if it cannot be mapped."""
    with sysv.mapped(shmid, size) as view:
        if view is None:
            return None
        head = bytes(view[:_HEAD])
        if size < layout.TRAILER_SIZE:
            return Glimpse(None, head)
        trailer = bytes(view[-layout.TRAILER_SIZE :])
        for _ in range(_ATTEMPTS):
            again = bytes(view[-layout.TRAILER_SIZE :])
            if again == trailer:
                break
            trailer = again
        meta = layout.unpack(memoryview(trailer))
        if meta is not None and meta.version == layout.RING_VERSION:
            meta = newest_metadata(view, meta)  # a ring's frames are described in their slots
        return Glimpse(meta, head)


def read_by_id(key: str, lock_timeout: float = 1.0) -> SharedImage:
    """The image under ``key``, as :func:`~common.reader.read_shared` gives it, but never through Qt.

    Raises :class:`NothingShared`, :class:`NotAnImage`, :class:`KeyOfAnotherUser`
    (the segment is another user's: never mapped, even by root), or
    :class:`LockTimeout` when another process holds the lock longer than ``lock_timeout``.
    """
    for _ in range(_READ_ATTEMPTS):
        status = segment_status(key)
        if status is None:
            raise NothingShared(f"nothing is shared under key '{key}'", key)
        status.check_owner(key)  # by id, root could map another user's segment: ours only, as through Qt
        lock = SegmentLock(key)
        with sysv.mapped(status.shmid, status.size) as view:
            if view is None:
                raise NothingShared(f"the segment under key '{key}' is gone", key)
            meta = layout.unpack(view)
            try:
                if meta is not None and meta.version == layout.RING_VERSION:
                    return read_ring(key, view, meta, status.size).shared  # pinned, not locked: copied out at once
                copied = read_locked(key, view, lock, lock_timeout=lock_timeout)
            except Overwritten:
                continue  # a new image came during the copy: read that one
        return copied.decode()
    raise Overwritten(f"the provider under key '{key}' kept writing new images during the copy")
