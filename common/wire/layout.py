"""The trailer: what shareimg writes beside the payload, at the end of the segment.

The payload starts at offset 0, so Qt's own reader (``QDataStream >> QImage``)
sees exactly the bytes Qt's example writes and never looks at the trailer.
docs/PROTOCOL.md describes these bytes; this module is that description in code.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from shareimg.native.copies import address
from shareimg.native.order import fence_acquire, fence_release, load_acquire, store_release

MAGIC = b"SHAREIMG"
#: One payload at offset 0 (the ``qt`` codec): the bytes Qt's example writes.
VERSION = 1
#: A ring of slots for ``raw`` frames (transport/ring.py) from offset 0.  Version 2 was its first
#: layout, whose ``newest`` sat at offset 40: not read, as its readers do not read version 3.
RING_VERSION = 3

# Little-endian, 72 bytes, every 8-byte field 8-aligned (the segment size is a
# multiple of 8), so that ``committed`` is one aligned word: stored and loaded whole.
_TRAILER = struct.Struct("<8sHHIQQIIIiIIQQ")
TRAILER_SIZE = _TRAILER.size
_COMMITTED_OFFSET = TRAILER_SIZE - 8
_FLAGS_OFFSET = 12
_GENERATION_OFFSET = 16

#: Codec ids: how the payload is encoded (docs/PROTOCOL.md, section 3).
CODEC_QT = 1  # QDataStream << QImage
CODEC_RAW = 2  # pixels, in a ring of slots

#: The provider has left this segment (it stopped, or moved to a larger one).
FLAG_RETIRED = 1


@dataclass(frozen=True)
class Metadata:
    """One publication, as the trailer records it."""

    codec_id: int
    generation: int
    payload_length: int
    width: int
    height: int
    bytes_per_line: int
    image_format: int
    pid: int
    publish_ns: int
    flags: int = 0
    committed: int = 0
    version: int = VERSION

    @property
    def complete(self) -> bool:
        """True when the writer finished copying this generation's payload."""
        return self.generation != 0 and self.committed == self.generation


def segment_size(payload_length: int) -> int:
    """Bytes to allocate for a payload plus the trailer, rounded up to 8."""
    return (payload_length + TRAILER_SIZE + 7) // 8 * 8


def pack(meta: Metadata) -> bytes:
    return _TRAILER.pack(
        MAGIC,
        meta.version,
        meta.codec_id,
        meta.flags,
        meta.generation,
        meta.payload_length,
        meta.width,
        meta.height,
        meta.bytes_per_line,
        meta.image_format,
        meta.pid,
        0,
        meta.publish_ns,
        meta.committed,
    )


def unpack(segment: memoryview) -> Metadata | None:
    """The trailer at the end of ``segment``, or None when it has none.

    Segments written by other Qt programs have no trailer; their payload is a
    plain Qt stream from offset 0.  What is read after it (a ring's header,
    a payload) is ordered after it: :func:`write` wrote those first.
    """
    if len(segment) < TRAILER_SIZE or len(segment) % 8:
        return None  # ours are a multiple of 8: ``committed`` is read in one aligned load
    fields = _TRAILER.unpack(segment[len(segment) - TRAILER_SIZE :])
    fence_acquire()
    if fields[0] != MAGIC or fields[1] not in (VERSION, RING_VERSION):
        return None
    (_, version, codec_id, flags, generation, length, width, height, bpl, fmt, pid, _, ns, committed) = fields
    return Metadata(codec_id, generation, length, width, height, bpl, fmt, pid, ns, flags, committed, version)


def write(segment: memoryview, meta: Metadata) -> None:
    """Write the whole trailer, after what was written before it and before what is written after it.

    Before: a ring's header, which readers read once they find the trailer
    (:func:`unpack`).  After: a version 1 payload, which a reader copying
    without the lock must not see before the new ``generation``.
    """
    fence_release()
    segment[len(segment) - TRAILER_SIZE :] = pack(meta)
    fence_release()


_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")


def doorbell_offset(segment: memoryview) -> int:
    """Where ``committed`` starts: watchers sleep on its low 32 bits (a futex, common/doorbell.py)."""
    return len(segment) - TRAILER_SIZE + _COMMITTED_OFFSET


def flags_offset(segment: memoryview) -> int:
    """Where the 32-bit ``flags`` word starts (FLAG_RETIRED)."""
    return len(segment) - TRAILER_SIZE + _FLAGS_OFFSET


def commit(segment: memoryview, generation: int) -> None:
    """Declare ``generation``'s payload complete; the last write of a publish.

    A release store in one piece: whoever loads it (:func:`committed`) sees
    the payload written before it, and never a half-written number.
    """
    store_release(_committed_address(segment), generation)


def generation(segment: memoryview) -> int:
    """The generation being written or last written (the trailer's first word of a publish).

    Read again after a copy, to tell whether a writer began meanwhile (a
    seqlock): the copy's loads are ordered before this one.
    """
    fence_acquire()
    return int(_U64.unpack_from(segment, len(segment) - TRAILER_SIZE + _GENERATION_OFFSET)[0])


def committed(segment: memoryview) -> int:
    """The last complete generation; a watcher reads it without the lock (an acquire load, in one piece)."""
    return load_acquire(_committed_address(segment))


def _committed_address(segment: memoryview) -> int:
    at = address(segment) + doorbell_offset(segment)
    if len(segment) < TRAILER_SIZE or at % 8:
        raise ValueError(f"a segment of {len(segment)} bytes has no aligned trailer")  # an unaligned load faults on ARM
    return at


def is_retired(segment: memoryview) -> bool:
    return bool(_U32.unpack_from(segment, len(segment) - TRAILER_SIZE + _FLAGS_OFFSET)[0] & FLAG_RETIRED)


def retire(segment: memoryview) -> None:
    at = len(segment) - TRAILER_SIZE + _FLAGS_OFFSET
    _U32.pack_into(segment, at, _U32.unpack_from(segment, at)[0] | FLAG_RETIRED)
