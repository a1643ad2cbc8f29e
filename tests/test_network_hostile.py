"""shareimg-bridge against a hostile peer: frames and details no shareimg sender would make.

The peer is a bare zenoh session of the test's own, opened with the bridge's safe configuration;
the receiver or the listing connects to it on a free loopback port.
"""

from __future__ import annotations

import json
import struct
import time

import numpy as np
import pytest
from bridges import HOST, endpoint, local_frame, peak_rss_kib, programs, receive_bridge, wait_until
from processes import free_port
from PySide6.QtGui import QImage

from shareimg.network import network_sources
from shareimg.network.session import config
from shareimg.wire import network_layout as wire

zenoh = pytest.importorskip("zenoh", reason="the network extra is not installed: pip install 'shareimg[network]'")
simplejpeg = pytest.importorskip("simplejpeg", reason="the network extra is not installed")

Format = QImage.Format
__all__ = ["programs"]  # the fixture


def _jpeg(array: np.ndarray) -> bytes:
    return simplejpeg.encode_jpeg(np.ascontiguousarray(array), quality=90, colorspace="RGB", colorsubsampling="420")


def _cut(array: np.ndarray) -> bytes:
    """A JPEG cut in its data, its header whole: refused by the decoder only."""
    whole = _jpeg(array)
    return whole[: len(whole) // 2]


def _claiming(jpeg: bytes, width: int, height: int) -> bytes:
    """``jpeg`` with its frame header (SOF0) saying ``width`` x ``height``."""
    at = jpeg.index(b"\xff\xc0") + 5  # marker, length, precision: then height and width
    return jpeg[:at] + struct.pack(">HH", height, width) + jpeg[at + 4 :]


def _header(
    codec: int, width: int, height: int, seq: int, bytes_per_line: int = 0, ahead_s: float = 0.0, **fields
) -> bytes:
    """The attachment of a frame published now (or ``ahead_s`` seconds in the future), some bytes set wrong."""
    fmt = Format.Format_RGB888.value
    published = time.time_ns() + int(ahead_s * 1e9)
    header = wire.FrameHeader(codec, width, height, fmt, bytes_per_line, seq, published, time.time_ns())
    packed = bytearray(header.pack())
    for offset, value in fields.items():  # a byte put wrong on purpose: at=value
        packed[int(offset.removeprefix("at"))] = value
    return bytes(packed)


def test_hostile_frames_are_refused_and_the_key_keeps_its_image(programs, keys):
    key, local, port = keys(), keys(), free_port()
    good = np.zeros((48, 64, 3), np.uint8)
    good[:, :, 0] = np.arange(64, dtype=np.uint8)[None, :] * 4
    big = np.full((96, 128, 3), 200, np.uint8)
    noisy = np.random.default_rng(2).integers(0, 256, (96, 128, 3), np.uint8)
    # A peer of our own making, with the bridge's safe configuration, that the receiver connects to.
    with zenoh.open(config([endpoint(port)])) as session:
        publisher = session.declare_publisher(wire.frame_key(HOST, key))
        receiver = receive_bridge(programs, key, local, port)
        assert wait_until(lambda: publisher.matching_status.matching, 20), "the receiver never subscribed"

        publisher.put(_jpeg(good), attachment=_header(wire.JPEG, 64, 48, 1))
        assert receiver.line() == f"receiving {HOST}/{key} key={local} width=64 height=48 codec=jpeg"
        kept = local_frame(local)
        rss = peak_rss_kib(receiver.pid)
        raw_good = good.tobytes()
        hostile = [
            ("no attachment", _jpeg(good), None, "without its 48-byte"),
            ("a short attachment", _jpeg(good), b"SIMN\x01", "has 5 bytes"),
            ("wrong magic", _jpeg(good), _header(wire.JPEG, 64, 48, 2, at0=ord("X")), "starts with"),
            ("wrong version", _jpeg(good), _header(wire.JPEG, 64, 48, 3, at4=9), "version 9"),
            ("huge raw", raw_good, _header(wire.RAW, 60000, 60000, 4, 180000), "60000x60000"),
            ("huge jpeg", _jpeg(good), _header(wire.JPEG, 40000, 40000, 5), "40000x40000"),
            # Its own header agrees: only the limits stand between it and 1.2 GB of pixels.
            (
                "a jpeg claiming 20000x20000",
                _claiming(_jpeg(good), 20000, 20000),
                _header(wire.JPEG, 20000, 20000, 5),
                "20000x20000 pixels",
            ),
            ("truncated jpeg", _jpeg(good)[:300], _header(wire.JPEG, 64, 48, 6), "not a JPEG"),
            ("a broken jpeg of the same size", _cut(noisy[:48, :64]), _header(wire.JPEG, 64, 48, 7), "broken JPEG"),
            # Cut in its data, not its header: refused by the decoder, into a slot of another size.
            ("truncated jpeg of another size", _cut(noisy), _header(wire.JPEG, 128, 96, 7), "broken JPEG"),
            ("a jpeg of another size", _jpeg(big), _header(wire.JPEG, 64, 48, 8), "128x96"),
            ("raw of the wrong length", raw_good[:-1], _header(wire.RAW, 64, 48, 9, 192), f"{len(raw_good) - 1:,}"),
            ("not a png", b"\x89PNG garbage", _header(wire.PNG, 64, 48, 10), "PNG"),
        ]
        for what, payload, attachment, words in hostile:
            publisher.put(payload, attachment=attachment)
            line = receiver.error_line(10)
            assert line.startswith("shareimg-bridge: ") and words in line, (what, line)
            now = local_frame(local)
            assert now.generation == kept.generation and np.array_equal(now.array, kept.array), what
        assert peak_rss_kib(receiver.pid) < rss + 64 * 1024, "the receiver allocated for a frame it refused"

        # A good frame from ten years ahead is shown, but must not make every later frame look old.
        publisher.put(_jpeg(good[::-1].copy()), attachment=_header(wire.JPEG, 64, 48, 11, ahead_s=3e8))
        assert wait_until(lambda: local_frame(local).generation != kept.generation, 10)
        publisher.put(_jpeg(big), attachment=_header(wire.JPEG, 128, 96, 12))  # the bridge goes on
        arrived = wait_until(lambda: (f := local_frame(local)) and f.array.shape[:2] == (96, 128) and f, 10)
        assert arrived, "a frame after one from the future was not shared"
        assert np.abs(arrived.array.astype(int) - 200).max() < 8
    assert receiver.stop() == 0
    assert receiver.remaining_lines() == [f"stopped {HOST}/{key} frames=3 refused={len(hostile)}"]


def test_a_listing_survives_a_peer_s_nonsense_details():
    port = free_port()
    nonsense = {
        "deep": b"[" * 60000,  # nested deeper than Python's JSON decoder goes
        "garbage": b"\xff\xfe not json",
        "liar": json.dumps({**_details("liar"), "host": "elsewhere"}).encode(),  # details of another source
        "badhost": json.dumps({**_details("badhost"), "host": "bad host!"}).encode(),  # a host no name can have
        "fine": json.dumps(_details("fine")).encode(),
    }
    with zenoh.open(config([endpoint(port)])) as session:
        declared = [session.liveliness().declare_token(wire.token_key("evil", name)) for name in nonsense]
        for name, data in nonsense.items():
            declared.append(session.declare_queryable(wire.details_key("evil", name), _answer(name, data)))
        listed = network_sources([endpoint(port)], timeout=2.0)
    assert [(s.name, s.width) for s in listed] == [
        ("evil/badhost", 0),
        ("evil/deep", 0),
        ("evil/fine", 64),
        ("evil/garbage", 0),
        ("evil/liar", 0),
    ]


def _details(key: str) -> dict[str, object]:
    return {
        "version": 1, "host": "evil", "key": key, "title": key, "width": 64, "height": 48, "format": 13,
        "codec": "jpeg", "quality": 85, "fps": 30.0, "pid": 1,
    }  # fmt: skip


def _answer(name: str, data: bytes):
    return lambda query: query.reply(wire.details_key("evil", name), data)
