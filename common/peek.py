"""Look at a segment's first and last bytes without its lock, without Qt, in microseconds.

A list of sources needs each segment's trailer (size, codec, generation) once
a second.  Qt's ``attach()`` would take the segment's lock, make a semaphore
for keys nobody uses and keep Python's global lock while it waits; ``shmat``
by the segment's id does none of that.  The trailer is read twice until two
reads agree, so a provider writing it meanwhile never gives a torn one.
"""

from __future__ import annotations

import ctypes
import struct
from dataclasses import dataclass

from . import layout

_libc = ctypes.CDLL(None, use_errno=True)
_libc.shmat.restype = ctypes.c_void_p
_libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
_libc.shmdt.argtypes = [ctypes.c_void_p]
_SHM_RDONLY = 0o10000
_HEAD = 32  # Qt's stream flag (4 bytes), the PNG signature (8) and the IHDR chunk's size fields
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ATTEMPTS = 3


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
    """The segment's head and trailer; None if it cannot be mapped (removed, another user's)."""
    address = _libc.shmat(shmid, None, _SHM_RDONLY)
    if address in (None, ctypes.c_void_p(-1).value):
        return None
    try:
        head = ctypes.string_at(address, min(_HEAD, size))
        if size < layout.TRAILER_SIZE:
            return Glimpse(None, head)
        tail = address + size - layout.TRAILER_SIZE
        trailer = ctypes.string_at(tail, layout.TRAILER_SIZE)
        for _ in range(_ATTEMPTS):
            again = ctypes.string_at(tail, layout.TRAILER_SIZE)
            if again == trailer:
                break
            trailer = again
        return Glimpse(layout.unpack(memoryview(trailer)), head)
    finally:
        _libc.shmdt(address)
