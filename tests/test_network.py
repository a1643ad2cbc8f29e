"""shareimg-bridge between two "machines": two zenoh peers on loopback, real processes end to end.

Each test picks free ports at run time and fresh keys; every process is stopped with SIGTERM at the
end, and the ``keys`` fixture checks that no segment, key file or announcement is left.
"""

from __future__ import annotations

import json
import signal
import socket
import struct
import subprocess
import sys
import time

import numpy as np
import pytest
from bridges import (
    Program,
    bridge_argv,
    endpoint,
    free_port,
    local_frame,
    peak_rss_kib,
    provider_argv,
    qt_stream_image,
    sockets_of,
    source_argv,
    stop_all,
    wait_until,
    zenoh_files_of,
)
from images import photo_like, same_pixels
from PySide6.QtGui import QImage

import shareimg.network
from shareimg import read_image, sources
from shareimg.network import NetworkSources, network_sources
from shareimg.wire import network_layout as wire

pytest.importorskip("zenoh", reason="the network extra is not installed: pip install 'shareimg[network]'")
simplejpeg = pytest.importorskip("simplejpeg", reason="the network extra is not installed")

HOST = "hosta"
Format = QImage.Format


@pytest.fixture
def programs(keys):
    """``programs(argv)`` starts a process; all are stopped (SIGTERM) after the test, the last started first."""
    started: list[Program] = []

    def start(argv: list[object], prefix: tuple[str, ...] = ()) -> Program:
        started.append(Program(argv, prefix))
        return started[-1]

    yield start
    stop_all(started)


def _send(programs, key: str, port: int, *options: object) -> Program:
    sender = programs(bridge_argv("send", "--key", key, "--name", HOST, "--listen", endpoint(port), *options))
    line = sender.fields()
    expected = {"event": "sending", "name": f"{HOST}/{key}", "key": key, "codec": line.get("codec")}
    assert line == {**expected, "listen": endpoint(port)} and line["codec"] in ("jpeg", *options), line
    return sender


def _receive(programs, key: str, local: str, port: int, *options: object) -> Program:
    return programs(bridge_argv("receive", f"{HOST}/{key}", "--key", local, "--connect", endpoint(port), *options))


def _rgb(image: QImage) -> np.ndarray:
    rgb = image.convertToFormat(Format.Format_RGB888)
    rows = np.frombuffer(rgb.constBits(), np.uint8, rgb.bytesPerLine() * rgb.height()).reshape(rgb.height(), -1)
    return rows[:, : rgb.width() * 3].reshape(rgb.height(), rgb.width(), 3).astype(int)


def _smooth(width: int, height: int) -> QImage:
    x, y = np.meshgrid(np.arange(width), np.arange(height))
    pixels = np.dstack([x * 255 // (width - 1), y * 255 // (height - 1), (x + y) * 127 // (width + height)])
    pixels = np.ascontiguousarray(pixels.astype(np.uint8))
    return QImage(pixels.data, width, height, width * 3, Format.Format_RGB888).convertToFormat(Format.Format_RGB32)


def test_lines_and_the_frame_readable_when_receiving_is_said(programs, keys):
    key, local, port = keys(), keys(), free_port()
    programs(provider_argv("--pattern", "160x120", "--fps", "15", "--key", key)).fields()
    sender = _send(programs, key, port)
    receiver = _receive(programs, key, local, port)
    line = receiver.line()
    image = read_image(local)  # said only once shared: readable at once
    assert line == f"receiving {HOST}/{key} key={local} width=160 height=120 codec=jpeg"
    assert (image.width(), image.height()) == (160, 120)
    received = [source for source in sources() if source.key == local]
    assert [(s.origin, s.title) for s in received] == [(f"{HOST}/{key}", f"{HOST}/{key}")]  # where it came from

    assert receiver.stop() == 0
    stopped = receiver.remaining_lines()
    assert len(stopped) == 1 and stopped[0].startswith(f"stopped {HOST}/{key} frames="), stopped
    assert int(stopped[0].split("frames=")[1].split()[0]) >= 1 and stopped[0].endswith(" refused=0")
    assert sender.stop() == 0
    stopped = sender.remaining_lines()
    assert len(stopped) == 1 and stopped[0].startswith(f"stopped {HOST}/{key} frames="), stopped
    assert int(stopped[0].split("frames=")[1]) >= 1


@pytest.mark.parametrize("codec", ["raw", "png", "jpeg"])
def test_pixels_arrive(programs, keys, tmp_path, codec):
    key, local, port = keys(), keys(), free_port()
    # Exact codecs get noise and sharp edges; JPEG (4:2:0) a smooth image, to compare within a tolerance.
    original = photo_like(96, 64).convertToFormat(Format.Format_RGB32) if codec != "jpeg" else _smooth(96, 64)
    path = tmp_path / "photo.png"
    assert original.save(str(path))
    programs(provider_argv(path, "--codec", "raw", "--key", key)).fields()
    _send(programs, key, port, "--codec", codec)
    assert _receive(programs, key, local, port).fields()["codec"] == codec
    received = read_image(local)
    if codec == "jpeg":
        difference = np.abs(_rgb(received) - _rgb(original))
        assert difference.mean() < 3 and difference.max() < 32, (difference.mean(), difference.max())
    else:
        assert same_pixels(received, original)


def test_a_still_shared_before_the_receiver_arrives_as_a_qt_stream(programs, keys, tmp_path):
    key, local, port = keys(), keys(), free_port()
    original = photo_like(80, 48)  # ARGB32 with alpha: PNG carries it exactly
    path = tmp_path / "still.png"
    assert original.save(str(path))
    assert programs(provider_argv(path, "--key", key)).fields()["event"] == "published"
    _send(programs, key, port, "--codec", "png")
    # Sent (listed) before any receiver: only the sender's latest-frame answer can bring it now.
    assert wait_until(lambda: network_sources([endpoint(port)], timeout=0.5), 10)
    time.sleep(0.5)
    assert _receive(programs, key, local, port).fields()["codec"] == "png"
    assert same_pixels(read_image(local), original)
    assert same_pixels(qt_stream_image(local), original)  # as a C++ Qt program reads it


def test_latency_is_from_the_source_publish(programs, keys):
    key, local, port = keys(), keys(), free_port()
    # Each frame published as 400 ms old: the receiving side's latency must include those 400 ms.
    assert programs(source_argv(key, "64x48", 20, "--age-ms", 400)).line() == "ready"
    _send(programs, key, port, "--codec", "raw")
    _receive(programs, key, local, port).fields()
    frame = local_frame(local)
    assert frame is not None and 400 <= frame.latency_ms < 3000, frame.latency_ms


def test_listed_with_details_and_gone_within_3_s_of_sigkill(programs, keys):
    key, port = keys(), free_port()
    provider = programs(provider_argv("--pattern", "160x120", "--fps", "20", "--key", key, "--title", "bench rig"))
    provider.fields()
    sender = _send(programs, key, port)
    with NetworkSources([endpoint(port)]) as found:
        assert found.wait_for_peer(10)
        assert wait_until(lambda: [s for s in found.list(0.5) if s.fps > 0], 10)
        time.sleep(1.0)  # a second of frames: the rate is the source's
        listed = found.list(0.5)
        assert len(listed) == 1, listed
        source = listed[0]
        assert (source.name, source.host, source.key, source.title) == (f"{HOST}/{key}", HOST, key, "bench rig")
        assert (source.width, source.height, source.codec, source.pid) == (160, 120, "jpeg", provider.pid)
        assert 17 <= source.fps <= 23, source.fps
        assert source.as_dict()["name"] == f"{HOST}/{key}"
        assert [s.name for s in network_sources([endpoint(port)])] == [source.name]

        sender.popen.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        assert wait_until(lambda: found.list(0.2) == [], 10)
        gone = time.monotonic() - killed
    print(f"a SIGKILLed sender left the listing in {gone * 1000:.0f} ms")
    assert gone < 3.0


def test_binds_only_what_it_is_given(programs, keys):
    key, local, port = keys(), keys(), free_port()
    programs(provider_argv("--pattern", "64x48", "--fps", "10", "--key", key)).fields()
    sender = _send(programs, key, port)
    receiver = _receive(programs, key, local, port)
    receiver.fields()
    sent, received = sockets_of(sender.pid), sockets_of(receiver.pid)
    assert [(s.address, s.port) for s in sent if s.listening] == [("127.0.0.1", port)], sent
    assert [s for s in received if s.listening] == [], received
    assert [s for s in sent + received if s.kind.startswith("udp")] == []  # no multicast scouting
    assert zenoh_files_of(sender.pid) == zenoh_files_of(receiver.pid) == []  # no zenoh shared memory


def test_latest_frame_wins_after_a_stall(programs, keys):
    key, local, port = keys(), keys(), free_port()
    assert programs(source_argv(key, "64x48", 30)).line() == "ready"
    _send(programs, key, port, "--codec", "raw")
    receiver = _receive(programs, key, local, port)
    receiver.fields()
    before = local_frame(local)
    receiver.popen.send_signal(signal.SIGSTOP)
    time.sleep(1.0)  # 30 frames are sent meanwhile
    receiver.popen.send_signal(signal.SIGCONT)
    newest = wait_until(lambda: (f := local_frame(local, 0.2)) is not None and f.number >= before.number + 25 and f, 5)
    assert newest, "no new frame after the stall"
    # A backlog would share the ~30 frames one by one; the newest wins in a few.
    assert newest.generation - before.generation <= 6, (before, newest)


def test_receive_started_first_connects_when_send_comes(programs, keys):
    key, local, port = keys(), keys(), free_port()
    receiver = _receive(programs, key, local, port)
    time.sleep(1.5)
    programs(provider_argv("--pattern", "64x48", "--fps", "10", "--key", key)).fields()
    _send(programs, key, port)
    assert receiver.line() == f"receiving {HOST}/{key} key={local} width=64 height=48 codec=jpeg"


def test_receive_of_a_source_nobody_sends_says_so(programs, keys):
    key, port = keys(), free_port()
    receiver = programs(bridge_argv("receive", f"nobody/{key}", "--connect", endpoint(port)))
    line = receiver.error_line(15)
    assert line.startswith(f"shareimg-bridge: no frame of nobody/{key} yet") and endpoint(port) in line, line
    assert receiver.stop() == 0
    assert receiver.remaining_lines() == [f"stopped nobody/{key} frames=0 refused=0"]
    assert receiver.errors == [line]


def test_a_bad_name_exits_2_with_one_line():
    result = subprocess.run(bridge_argv("receive", "nohost"), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("shareimg-bridge: 'nohost' is not a source's name")
    assert result.stderr.count("\n") == 1 and result.stdout == ""


def test_a_local_key_held_by_another_provider(programs, keys):
    key, local, port = keys(), keys(), free_port()
    programs(provider_argv("--pattern", "64x48", "--fps", "10", "--key", key)).fields()
    programs(provider_argv("--pattern", "32x32", "--fps", "5", "--key", local)).fields()
    _send(programs, key, port)
    receiver = _receive(programs, key, local, port)
    assert receiver.popen.wait(30) == 6  # KeyInUse
    receiver.stop()
    assert len(receiver.errors) == 1 and local in receiver.errors[0], receiver.errors
    assert local_frame(local).array.shape[:2] == (32, 32)  # the other provider's image stays


@pytest.mark.parametrize("command", ["send", "receive"])
def test_without_the_network_extra(keys, command):
    key = keys()
    args = ["send", "--key", key] if command == "send" else ["receive", f"{HOST}/{key}"]
    unimportable = (
        "import sys; sys.modules['zenoh'] = None; "
        f"sys.argv = ['shareimg-bridge', *{args!r}]; "
        "from shareimg.bridge.main import bridge; sys.exit(bridge())"
    )
    result = subprocess.run([sys.executable, "-c", unimportable], capture_output=True, text=True, timeout=60)
    assert result.returncode == 11, result.stderr
    assert result.stderr.count("\n") == 1 and "pip install 'shareimg[network]'" in result.stderr, result.stderr
    assert result.stdout == ""


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
    zenoh = pytest.importorskip("zenoh")
    from shareimg.network.session import config

    key, local, port = keys(), keys(), free_port()
    good = np.zeros((48, 64, 3), np.uint8)
    good[:, :, 0] = np.arange(64, dtype=np.uint8)[None, :] * 4
    big = np.full((96, 128, 3), 200, np.uint8)
    noisy = np.random.default_rng(2).integers(0, 256, (96, 128, 3), np.uint8)
    # A peer of our own making, with the bridge's safe configuration, that the receiver connects to.
    with zenoh.open(config([endpoint(port)])) as session:
        publisher = session.declare_publisher(wire.frame_key(HOST, key))
        receiver = _receive(programs, key, local, port)
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


def test_a_sender_nobody_receives_encodes_nothing_until_one_comes(programs, keys):
    key, local, port = keys(), keys(), free_port()
    programs(provider_argv("--pattern", "64x48", "--fps", "30", "--key", key)).fields()
    with shareimg.network.send(key, host=HOST, listen=[endpoint(port)]) as sender:
        assert wait_until(lambda: sender.unwatched >= 10, 10), sender.unwatched
        assert sender.sent == 1  # the first frame, for the latest-frame answer and the listing
        _receive(programs, key, local, port).fields()
        assert wait_until(lambda: sender.sent >= 10, 10), sender.sent


def test_send_of_a_key_nobody_shares_says_so(programs, keys):
    key, port = keys(), free_port()
    sender = _send(programs, key, port)
    line = sender.error_line(15)
    assert line.startswith("shareimg-bridge: ") and key in line and "waiting for an image to send" in line, line
    assert sender.stop() == 0
    assert sender.remaining_lines() == [f"stopped {HOST}/{key} frames=0"]


def test_send_on_a_port_in_use_exits_11_with_one_line(keys):
    key = keys()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = bridge_argv("send", "--key", key, "--listen", endpoint(port))
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 11, result.stderr
    assert result.stderr.count("\n") == 1 and endpoint(port) in result.stderr, result.stderr
    assert "another program may listen there" in result.stderr


def test_the_sender_may_connect_to_a_listening_receiver(programs, keys):
    key, local, port = keys(), keys(), free_port()
    programs(provider_argv("--pattern", "64x48", "--fps", "10", "--key", key)).fields()
    receive = bridge_argv("receive", f"{HOST}/{key}", "--key", local, "--listen", endpoint(port))
    receiver = programs(receive)
    time.sleep(1.0)  # listening by now; the sender comes to it
    sender = programs(bridge_argv("send", "--key", key, "--name", HOST, "--connect", endpoint(port)))
    assert sender.line() == f"sending {HOST}/{key} key={key} codec=jpeg connect={endpoint(port)}"
    assert receiver.fields()["event"] == "receiving"
    assert [(s.address, s.port) for s in sockets_of(receiver.pid) if s.listening] == [("127.0.0.1", port)]
    assert [s for s in sockets_of(sender.pid) if s.listening or s.kind.startswith("udp")] == []


def test_a_zenoh_config_file_is_used_and_a_bad_one_said(programs, keys, tmp_path):
    key, port = keys(), free_port()
    good, bad = tmp_path / "zenoh.json5", tmp_path / "bad.json5"
    good.write_text(f'{{ listen: {{ endpoints: ["{endpoint(port)}"] }} }}')
    bad.write_text("{ listen: ")
    sender = programs(bridge_argv("send", "--key", key, "--zenoh-config", good))
    assert sender.line().startswith(f"sending {wire.this_host()}/{key} ")
    # The file's endpoint is where it listens, and our safe settings fill what the file left out.
    listening = wait_until(lambda: [(s.address, s.port) for s in sockets_of(sender.pid) if s.listening], 10)
    assert listening == [("127.0.0.1", port)]
    assert [s for s in sockets_of(sender.pid) if s.kind.startswith("udp")] == []
    result = subprocess.run(bridge_argv("send", "--key", key, "--zenoh-config", bad), capture_output=True, text=True)
    assert result.returncode == 11 and result.stderr.count("\n") == 1 and str(bad) in result.stderr, result.stderr


def test_a_still_replaced_while_nobody_received_is_the_one_a_late_receiver_gets(programs, keys, tmp_path):
    key, local, port = keys(), keys(), free_port()
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    assert photo_like(40, 30, seed=1).save(str(first)) and photo_like(40, 30, seed=2).save(str(second))
    provider = programs(provider_argv(first, "--key", key))
    provider.fields()
    _send(programs, key, port, "--codec", "png")
    assert wait_until(lambda: network_sources([endpoint(port)], timeout=0.5), 10)  # the first one is sent
    assert provider.stop() == 0
    programs(provider_argv(second, "--key", key)).fields()  # the user shares another image
    time.sleep(1.5)
    _receive(programs, key, local, port).fields()
    assert same_pixels(read_image(local), QImage(str(second)))


def test_a_listing_survives_a_peer_s_nonsense_details():
    zenoh = pytest.importorskip("zenoh")
    from shareimg.network.session import config

    port = free_port()
    nonsense = {
        "deep": b"[" * 60000,  # nested deeper than Python's JSON decoder goes
        "garbage": b"\xff\xfe not json",
        "liar": json.dumps({**_details("liar"), "host": "elsewhere"}).encode(),  # details of another source
        "fine": json.dumps(_details("fine")).encode(),
    }
    with zenoh.open(config([endpoint(port)])) as session:
        declared = [session.liveliness().declare_token(wire.token_key("evil", name)) for name in nonsense]
        for name, data in nonsense.items():
            declared.append(session.declare_queryable(wire.details_key("evil", name), _answer(name, data)))
        listed = network_sources([endpoint(port)], timeout=2.0)
    assert [(s.name, s.width) for s in listed] == [
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


def test_a_receiver_goes_on_when_its_sender_is_restarted(programs, keys):
    key, local, port = keys(), keys(), free_port()
    programs(provider_argv("--pattern", "64x48", "--fps", "20", "--key", key)).fields()
    sender = _send(programs, key, port)
    _receive(programs, key, local, port).fields()
    assert sender.stop() == 0
    kept = local_frame(local)
    time.sleep(1.0)
    assert local_frame(local).generation == kept.generation  # nothing comes, the last image stays shared
    _send(programs, key, port)
    assert wait_until(lambda: local_frame(local).generation > kept.generation, 15), "no frame from the new sender"
