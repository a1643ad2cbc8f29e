"""Hostile and broken segment data, through the consumer's own code paths, across real segments.

Whatever another process of the user leaves under the key, reading it either
gives an image or raises a ShareImgError with a message: never another
exception, never a crash, and within bounded time and memory.
"""

from __future__ import annotations

import resource

import pytest
from foreign import ForeignSegment
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from images import photo_like, png_claiming
from shareimg.common import QT, RAW, NotAnImage, ShareImgError, layout, read_shared
from shareimg.common.watcher import Watcher

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


VALID = {codec.name: _valid_segment(codec) for codec in (QT, RAW)}


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
    watcher = Watcher(key)
    try:
        frame = watcher.poll()
        return frame.shared.image if frame else None
    finally:
        watcher.close()


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
    from shareimg.common.limits import LIMITS, set_limits

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
