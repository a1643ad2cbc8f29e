"""Hostile and broken segment data, through the consumer's own code paths, across real segments.

Whatever another process of the user leaves under the key, reading it either
gives an image or raises a ShareImgError with a message: never another
exception, never a crash, and within bounded time and memory.
"""

from __future__ import annotations

import atexit
import resource
import struct

import pytest
from foreign import ForeignSegment
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from images import photo_like, png_claiming, same_pixels

from shareimg import QT, RAW, NotAnImage, ShareImgError, read_shared
from shareimg.native import libc
from shareimg.transport import pins
from shareimg.transport.ring import RingWriter
from shareimg.transport.watcher import Watcher
from shareimg.wire import layout
from shareimg.wire.ring_layout import Slot, plan

EXAMPLES = 400
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=2000,  # ms per example: bounded time
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=False,
)
U32 = st.integers(0, 2**32 - 1)
U64 = st.integers(0, 2**64 - 1)


def _valid_segment(codec, width: int = 24, height: int = 16) -> tuple[bytes, layout.Metadata]:
    image = photo_like(width, height)
    encoded = codec.encode(image)
    payload = bytes(encoded.payload)
    size = layout.segment_size(len(payload))
    meta = layout.Metadata(
        codec.codec_id, 3, len(payload), width, height, encoded.bytes_per_line, encoded.image_format, 1, 1, 0, 3
    )
    return payload.ljust(size - layout.TRAILER_SIZE, b"\0") + layout.pack(meta), meta


RING_SLOTS = 3
# A ring needs real pins to be read at all: made once for the module, removed at its end (or at exit).  Private,
# as providers made them before pins had keys: still accepted, and these rings live under many keys.
RING_PINS = libc.semget(libc.IPC_PRIVATE, RING_SLOTS, libc.IPC_CREAT | 0o600)
atexit.register(pins.remove, RING_PINS)


def _valid_ring(width: int = 24, height: int = 16) -> tuple[bytes, layout.Metadata]:
    """A raw ring as a provider leaves it after two frames, the newest in slot 1."""
    encoded = RAW.encode(photo_like(width, height))
    size, first_slot, slot_bytes = plan(len(encoded.payload), RING_SLOTS)
    segment = memoryview(bytearray(size))
    ring = RingWriter(segment, RING_SLOTS, first_slot, slot_bytes, RING_PINS)
    for generation in (1, 2):
        slot = Slot(generation, 0, 1, width, height, encoded.bytes_per_line, encoded.image_format)
        index = ring.reserve(slot, 0)
        ring.pixels(index, len(encoded.payload))[:] = encoded.payload
        ring.commit(index, slot)
    trailer = layout.Metadata(RAW.codec_id, 0, ring.ring_bytes, 0, 0, 0, 0, 1, 0, 0, 2, layout.RING_VERSION)
    layout.write(segment, trailer)
    return bytes(segment), trailer


VALID = {codec.name: _valid_segment(codec) for codec in (QT, RAW)} | {"ring": _valid_ring()}


@pytest.fixture(scope="module", autouse=True)
def ring_pins():
    yield
    pins.remove(RING_PINS)


def _read_everywhere(key: str, data: bytes) -> None:
    """Put ``data`` in a real segment and read it as the one-shot reader and the watcher do."""
    if not data:
        return
    other = ForeignSegment(key, data)
    try:
        for read in (lambda: read_shared(key).image, lambda: _watch_once(key)):
            try:
                image = read()
            except ShareImgError as error:
                assert str(error), "an error without a message"
                continue
            if image is not None:
                assert not image.isNull()
                assert image.width() <= 16384 and image.height() <= 16384
    finally:
        other.close()


def _watch_once(key: str):
    with Watcher(key) as watcher:
        frame = watcher.poll()
        if frame is None or frame.metadata is None or frame.metadata.version != layout.RING_VERSION:
            return frame.shared.image if frame else None
    with Watcher(key) as watcher:  # the ring once more, as a view; then waiting for a next frame, pinned ahead
        with watcher.poll(view=True) as view:
            assert bytes(view.pixels) == bytes(frame.pixels)[: len(view.pixels)] or view.metadata != frame.metadata
            image = view.image.copy()
        assert watcher.next_frame(timeout=0.01) is None
        return image


@pytest.fixture(autouse=True)
def bounded_memory():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    yield
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mib < 512, f"reading hostile segments grew the process by {grown_mib:.0f} MiB"


@SETTINGS
@given(data=st.binary(min_size=1, max_size=4096))
def test_random_bytes(key, data):
    _read_everywhere(key, data)


@SETTINGS
@given(
    codec=st.sampled_from(sorted(VALID)),
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=12),
)
def test_flipped_bytes(key, codec, flips):
    data = bytearray(VALID[codec][0])
    for index, value in flips:
        data[index % len(data)] = value
    _read_everywhere(key, bytes(data))


@SETTINGS
@given(codec=st.sampled_from(sorted(VALID)), cut=st.integers(1, 10**6), keep_trailer=st.booleans())
def test_truncated(key, codec, cut, keep_trailer):
    """A segment shorter than its trailer claims, or with the trailer cut off."""
    data = VALID[codec][0]
    trailer = data[-layout.TRAILER_SIZE :] if keep_trailer else b""
    body = data[: len(data) - layout.TRAILER_SIZE]
    _read_everywhere(key, body[: cut % len(body)] + trailer)


@SETTINGS
@given(
    codec=st.sampled_from(sorted(VALID)),
    fields=st.fixed_dictionaries(
        {},
        optional={
            "codec_id": st.integers(0, 65535),
            "payload_length": st.one_of(U64, st.integers(0, 4096)),
            "width": st.one_of(U32, st.integers(0, 64)),
            "height": st.one_of(U32, st.integers(0, 64)),
            "bytes_per_line": st.one_of(U32, st.integers(0, 512)),
            "image_format": st.integers(-(2**31), 2**31 - 1),
            "generation": U64,
            "committed": U64,
            "flags": U32,
        },
    ),
)
def test_lying_trailer(key, codec, fields):
    """Every trailer field set to anything: huge sizes, zero sizes, wrong strides, unknown formats."""
    data, meta = VALID[codec]
    lie = layout.Metadata(**{**meta.__dict__, **fields})
    if "generation" in fields and "committed" not in fields:
        lie = layout.Metadata(**{**lie.__dict__, "committed": lie.generation})
    _read_everywhere(key, data[: -layout.TRAILER_SIZE] + layout.pack(lie))


def test_huge_declared_raw_size_is_refused_without_allocating(key):
    data, meta = VALID["raw"]
    lie = layout.Metadata(**{**meta.__dict__, "width": 100_000, "height": 100_000, "bytes_per_line": 400_000})
    other = ForeignSegment(key, data[: -layout.TRAILER_SIZE] + layout.pack(lie))
    try:
        with pytest.raises(NotAnImage, match=f"the data under key '{key}' is not an image: .*limit"):
            read_shared(key)
    finally:
        other.close()


def test_png_declaring_100000_pixels_a_side_is_refused(key):
    other = ForeignSegment(key, b"\x00\x00\x00\x01" + png_claiming(100_000, 100_000))
    try:
        with pytest.raises(NotAnImage, match="limit"):
            read_shared(key)
    finally:
        other.close()


def test_limits_are_configurable(key):
    from shareimg.wire.limits import LIMITS, set_limits

    data, _ = VALID["raw"]  # a 24x16 image
    other = ForeignSegment(key, data)
    before = (LIMITS.max_side, LIMITS.max_megabytes)
    try:
        set_limits(max_side=16)
        with pytest.raises(NotAnImage, match="limit of 16 on a side"):
            read_shared(key)
        set_limits(max_side=before[0])
        assert read_shared(key).image.width() == 24
    finally:
        set_limits(*before)
        other.close()


RING_HEADER = struct.Struct("<8sIIQQII24x")  # docs/PROTOCOL.md, section 2b
RING_SLOT = struct.Struct("<QQQIIIi24x")
I32 = st.integers(-(2**31), 2**31 - 1)


@SETTINGS
@given(
    header=st.fixed_dictionaries(
        {},
        optional={
            "magic": st.sampled_from([b"SHIMRING", b"SHIMRINF", bytes(8)]),
            "slot_count": st.one_of(U32, st.integers(0, 70)),
            "pins": st.one_of(U32, st.just(RING_PINS), st.integers(0, 10**6)),
            "slot_bytes": st.one_of(U64, st.integers(0, 10**5)),
            "first_slot": st.one_of(U64, st.integers(0, 10**5)),
            "newest": st.one_of(U32, st.integers(0, 70)),
            "next": st.one_of(U32, st.integers(0, 70)),
        },
    ),
    slot=st.fixed_dictionaries(
        {},
        optional={
            "generation": st.one_of(U64, st.integers(0, 4)),
            "committed": st.one_of(U64, st.integers(0, 4)),
            "width": st.one_of(U32, st.integers(0, 64)),
            "height": st.one_of(U32, st.integers(0, 64)),
            "bytes_per_line": st.one_of(U32, st.integers(0, 512)),
            "image_format": st.one_of(I32, st.integers(-4, 40)),
        },
    ),
    committed=st.one_of(st.just(2), U64),
)
def test_lying_ring_header(key, header, slot, committed):
    """Every field of the ring header and of the newest slot's descriptor set to anything; any trailer count."""
    data, trailer = VALID["ring"]
    segment = bytearray(data)
    values = dict(
        zip(
            ["magic", "slot_count", "pins", "slot_bytes", "first_slot", "newest", "next"],
            RING_HEADER.unpack_from(data),
            strict=True,
        )
    )
    values.update(header)
    RING_HEADER.pack_into(segment, 0, *values.values())
    at = RING_HEADER.size + 1 * RING_SLOT.size  # slot 1 holds the newest frame
    fields = ["generation", "committed", "publish_ns", "width", "height", "bytes_per_line", "image_format"]
    described = dict(zip(fields, RING_SLOT.unpack_from(data, at), strict=True))
    described.update(slot)
    RING_SLOT.pack_into(segment, at, *described.values())
    layout.write(memoryview(segment), layout.Metadata(**{**trailer.__dict__, "committed": committed}))
    _read_everywhere(key, bytes(segment))


def test_a_ring_naming_pins_that_are_not_its_own_is_refused(key):
    data, _ = VALID["ring"]
    segment = bytearray(data)
    foreign_pins = libc.semget(
        libc.IPC_PRIVATE, RING_SLOTS + 1, libc.IPC_CREAT | 0o600
    )  # ours, but the wrong size: another ring's
    try:
        struct.pack_into("<I", segment, 12, foreign_pins)
        other = ForeignSegment(key, bytes(segment))
        try:
            with pytest.raises(NotAnImage, match=f"semaphore set {foreign_pins}, which is not its pins"):
                read_shared(key)
            assert pins.readers(foreign_pins, 1) == 0  # never touched
        finally:
            other.close()
    finally:
        pins.remove(foreign_pins)


@pytest.mark.parametrize("name", sorted(VALID))
def test_the_unspoiled_segments_read_as_the_image(key, name):
    """What the tests above spoil: each reads whole through both readers, so their lies reach deep."""
    other = ForeignSegment(key, VALID[name][0])
    try:
        assert same_pixels(read_shared(key).image, photo_like(24, 16))
        assert same_pixels(_watch_once(key), photo_like(24, 16))
    finally:
        other.close()
