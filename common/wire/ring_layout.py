"""The bytes of the ring of slots in a ``raw`` segment, and the checks a reader makes on them.

Layout (docs/PROTOCOL.md, section 2b): a 64-byte ring header at offset 0, one
64-byte descriptor per slot after it, the slots' pixels from ``first_slot`` on
(page-aligned, ``slot_bytes`` apart), and the trailer (layout version 3) at the
end.  A slot is complete when its descriptor's ``committed`` equals its
``generation``; the provider claims only a slot that no reader pins (see
transport/pins.py) and that is not the newest, and writes a claimed slot once, so
a reader that pins a complete slot reads it whole for as long as it likes.  Everything a reader takes from
these bytes is checked first: any process of the user can write them.
"""

from __future__ import annotations

import contextlib
import struct
from dataclasses import dataclass
from typing import NamedTuple

from shareimg.errors import NotAnImage
from shareimg.wire import layout
from shareimg.wire.limits import LIMITS
from shareimg.wire.pixels import bits_per_pixel

MAGIC = b"SHIMRING"
PAGE = 4096
MAX_SLOTS = 64  # a reader pins slots in one System V semaphore set: SEMMSL is at least 250 on Linux
NO_SLOT = 0xFFFFFFFF
# magic, slot_count, pins (semid), slot_bytes, first_slot, newest, next
HEADER = struct.Struct("<8sIIQQII24x")
SLOT = struct.Struct("<QQQIIIi24x")  # generation, committed, publish_ns, width, height, bytes_per_line, format
NEWEST_OFFSET, NEXT_OFFSET = 32, 36
U32 = struct.Struct("<I")
PIN_ATTEMPTS = 50
new_tuple = tuple.__new__


@dataclass(frozen=True)
class RingHeader:
    slot_count: int
    pins: int  # the semaphore set's id
    slot_bytes: int
    first_slot: int
    newest: int

    def slot_offset(self, index: int) -> int:
        return self.first_slot + index * self.slot_bytes


class Slot(NamedTuple):  # a tuple: read for every frame, so cheap to make and compare
    generation: int
    committed: int
    publish_ns: int
    width: int
    height: int
    bytes_per_line: int
    image_format: int

    @property
    def nbytes(self) -> int:
        return self.bytes_per_line * self.height


def _pages(n: int) -> int:
    return (n + PAGE - 1) // PAGE * PAGE


def plan(frame_bytes: int, slot_count: int) -> tuple[int, int, int]:
    """(segment size, first_slot, slot_bytes) for ``slot_count`` slots of ``frame_bytes``."""
    first_slot = _pages(HEADER.size + slot_count * SLOT.size)
    slot_bytes = _pages(max(frame_bytes, 1))
    return layout.segment_size(first_slot + slot_count * slot_bytes), first_slot, slot_bytes


def read_header(segment: memoryview) -> RingHeader:
    """The ring header, checked against the segment's size; NotAnImage if it lies."""
    magic, count, semid, slot_bytes, first_slot, newest, _ = HEADER.unpack_from(segment, 0)
    if magic != MAGIC:
        raise NotAnImage("its ring header has no magic")
    if not 1 <= count <= MAX_SLOTS:
        raise NotAnImage(f"its ring claims {count} slots")
    end = len(segment) - layout.TRAILER_SIZE
    if first_slot < HEADER.size + count * SLOT.size or slot_bytes == 0 or first_slot + count * slot_bytes > end:
        raise NotAnImage(f"its ring of {count} slots of {slot_bytes} bytes from {first_slot} does not fit in {end}")
    return RingHeader(count, semid, slot_bytes, first_slot, newest)


def read_slot(segment: memoryview, index: int) -> Slot:
    # tuple.__new__ rather than Slot._make: the same tuple without a Python call, on every frame.
    return new_tuple(Slot, SLOT.unpack_from(segment, HEADER.size + index * SLOT.size))


def check_pixels(header: RingHeader, slot: Slot) -> None:
    """NotAnImage unless the slot's frame is a sane image that fits in its slot."""
    bits = bits_per_pixel(slot.image_format)
    LIMITS.check(slot.width, slot.height, slot.nbytes)
    if slot.bytes_per_line * 8 < slot.width * bits:
        raise NotAnImage(f"{slot.width} pixels of {bits} bits do not fit in rows of {slot.bytes_per_line} bytes")
    if slot.nbytes > header.slot_bytes:
        raise NotAnImage(
            f"{slot.width}x{slot.height} pixels need {slot.nbytes} bytes, its slot holds {header.slot_bytes}"
        )


def slot_metadata(trailer: layout.Metadata, slot: Slot) -> layout.Metadata:
    """The publication a slot holds, as a trailer would say it (a ring's trailer carries no frame's details)."""
    return layout.Metadata(
        layout.CODEC_RAW, slot.generation, slot.nbytes, slot.width, slot.height, slot.bytes_per_line,
        slot.image_format, trailer.pid, slot.publish_ns, trailer.flags, slot.committed, layout.RING_VERSION,
    )  # fmt: skip


def newest_metadata(segment: memoryview, trailer: layout.Metadata) -> layout.Metadata:
    """For a listing: the newest complete frame of a ring, described without pinning it; the trailer if none.

    Plain loads, without the trailer's ``committed``: a listing reads no
    pixels, and a descriptor caught mid-write is one stale line, gone at the
    next look.
    """
    with contextlib.suppress(NotAnImage):
        count = read_header(segment).slot_count
        for _ in range(PIN_ATTEMPTS):
            index = U32.unpack_from(segment, NEWEST_OFFSET)[0]
            if index >= count:
                break
            slot = read_slot(segment, index)
            if slot.generation == slot.committed != 0:
                return slot_metadata(trailer, slot)
    return trailer
