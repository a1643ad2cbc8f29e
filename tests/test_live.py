"""Live sharing: metadata, codec detection, watch mode, streams and growth under watchers."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from foreign import ForeignSegment
from gif import animated_gif
from images import photo_like, same_pixels
from processes import run
from PySide6.QtGui import QImage

from shareimg import QT, RAW, NotAnImage, Publisher, read_shared, segment_status
from shareimg.consumer.window import ConsumerWindow
from shareimg.errors import Overwritten
from shareimg.provider.streams import moving_pattern, pattern_index
from shareimg.provider.window import ProviderWindow
from shareimg.transport.watcher import Watcher
from shareimg.wire import layout


def test_trailer_round_trip():
    meta = layout.Metadata(2, 7, 1234, 640, 480, 2560, 5, 4242, 987654321, layout.FLAG_RETIRED, 7)
    segment = memoryview(bytearray(layout.segment_size(1234)))
    layout.write(segment, meta)
    assert layout.unpack(segment) == meta
    assert layout.committed(segment) == 7 and layout.is_retired(segment)
    assert len(segment) % 8 == 0 and layout.TRAILER_SIZE == 72


def test_metadata_describes_each_publication(key):
    image = photo_like(64, 40)
    before = time.monotonic_ns()
    with Publisher(key, RAW) as publisher:
        publisher.publish(image)
        raw = read_shared(key).metadata
        publisher.publish(image, QT)
        qt = read_shared(key).metadata
    assert (raw.codec_id, raw.generation, raw.width, raw.height) == (RAW.codec_id, 1, 64, 40)
    assert raw.bytes_per_line == image.bytesPerLine() and raw.payload_length == image.sizeInBytes()
    assert raw.image_format == image.format().value
    assert raw.pid == os.getpid()
    assert before <= raw.publish_ns <= qt.publish_ns <= time.monotonic_ns()
    assert (qt.codec_id, qt.generation, qt.bytes_per_line) == (QT.codec_id, 2, 0)
    assert raw.complete and qt.complete


def test_codec_is_detected_by_the_reader(key):
    image = photo_like(30, 20)
    with Publisher(key) as publisher:
        for codec in (RAW, QT, RAW):
            publisher.publish(image, codec)
            shared = read_shared(key)
            assert shared.codec == codec.name
            assert same_pixels(shared.image, image)


def test_a_torn_publication_is_refused(key):
    """What a provider killed mid-copy leaves: a trailer whose generation never committed."""
    payload = bytes(QT.encode(photo_like(20, 20)).payload)
    size = layout.segment_size(len(payload))
    dead = _dead_pid()
    torn = layout.Metadata(QT.codec_id, 5, len(payload), 20, 20, 0, 5, dead, time.monotonic_ns(), 0, 4)
    other = ForeignSegment(key, payload.ljust(size - layout.TRAILER_SIZE, b"\0") + layout.pack(torn))
    try:
        with pytest.raises(NotAnImage, match="stopped in the middle"):
            read_shared(key)
    finally:
        other.close()


def _dead_pid() -> int:
    """The pid of a process that has exited: a provider killed during its copy."""
    finished = subprocess.Popen(["true"])
    finished.wait()
    return finished.pid


def test_a_publication_being_written_is_read_again_not_torn(key):
    """A writer busy on the next image (live pid): the reader waits for it rather than fail."""
    payload = bytes(QT.encode(photo_like(20, 20)).payload)
    size = layout.segment_size(len(payload))
    busy = layout.Metadata(QT.codec_id, 5, len(payload), 20, 20, 0, 5, os.getpid(), time.monotonic_ns(), 0, 4)
    other = ForeignSegment(key, payload.ljust(size - layout.TRAILER_SIZE, b"\0") + layout.pack(busy))
    try:
        with pytest.raises(Overwritten):
            read_shared(key)
    finally:
        other.close()


def _watch(watcher: Watcher, last_generation: int, timeout: float = 20.0) -> list:
    frames, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = watcher.next_frame(timeout=0.5)
        if frame is not None:
            frames.append(frame)
            if frame.shared.metadata.generation >= last_generation:
                break
    return frames


@pytest.mark.parametrize("codec", ["raw", "qt"])
def test_watch_sees_quick_publishes_in_order_and_whole(key, spawn, codec):
    with Watcher(key) as watcher:
        provider = spawn(
            "shareimg.provider", "--headless", "--pattern", "320x240", "--fps", "100", "--frames", "60",
            "--codec", codec, "--key", key,
        )  # fmt: skip
        assert provider.fields()["event"] == "streaming"
        frames = _watch(watcher, 60)
    generations = [frame.shared.metadata.generation for frame in frames]
    assert generations[-1] == 60
    assert generations == sorted(set(generations))  # in order, none twice
    assert len(generations) >= 30  # most of them, though a busy machine may skip some
    for frame in frames:
        image, generation = frame.shared.image, frame.shared.metadata.generation
        corners = {pattern_index(image, x, y) for x in (0, 319) for y in (0, 239)}
        assert corners == {generation - 1}, f"torn or wrong frame at generation {generation}"
    assert provider.stop() == 0
    assert provider.fields()["frames"] == "60"  # the stream's frame count


def test_pattern_frames_are_distinct():
    frames = moving_pattern(16, 12, 10.0, 3)
    indices = [pattern_index(image, 0, 0) for image, _ in frames]
    assert indices == [0, 1, 2]


def test_watching_consumers_never_block_a_larger_image(key, spawn):
    """4 consumers stay attached while the provider moves to larger segments."""
    watchers = [spawn("shareimg.consumer", "--headless", "--watch", "--key", key) for _ in range(4)]
    sizes = [(40, 30), (400, 300), (800, 600), (1600, 1200)]
    with Publisher(key, RAW) as publisher:
        for width, height in sizes:
            publisher.publish(photo_like(width, height, seed=width))
            for watcher in watchers:
                seen = watcher.fields(timeout=20)
                assert (seen["width"], seen["height"]) == (str(width), str(height))
            assert segment_status(key).attached >= 2  # the watchers moved along with us
    for watcher in watchers:
        assert watcher.stop(signal.SIGINT) == 0


def test_headless_watch_waits_for_a_first_provider_and_follows_the_next(key, spawn, tmp_path):
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    photo_like(32, 24, seed=1).save(str(first))
    photo_like(48, 36, seed=2).save(str(second))
    watcher = spawn("shareimg.consumer", "--headless", "--watch", "--key", key)
    time.sleep(0.3)  # watching an empty key
    provider = spawn("shareimg.provider", first, "--headless", "--key", key)
    provider.fields()
    seen = watcher.fields()
    assert (seen["width"], seen["generation"], seen["codec"]) == ("32", "1", "qt")
    assert float(seen["latency_ms"]) >= 0
    provider.stop()
    spawn("shareimg.provider", second, "--headless", "--key", key).fields()
    assert watcher.fields()["width"] == "48"
    assert watcher.stop(signal.SIGTERM) == 0


def test_output_and_watch_do_not_mix(key):
    assert run("shareimg.consumer", "--headless", "--watch", "--output", "x.png", "--key", key).returncode == 2


def test_consumer_window_watch_shows_frames_without_a_click(qtbot, key, spawn):
    spawn(
        "shareimg.provider", "--headless", "--pattern", "160x120", "--fps", "50", "--codec", "raw", "--key", key
    ).fields()
    window = ConsumerWindow(key)
    qtbot.addWidget(window)
    window.show()
    shown = []
    window.displayed.connect(lambda shared: shown.append(shared.metadata.generation))
    window.watch_box.setChecked(True)
    qtbot.waitUntil(lambda: len(shown) >= 10, timeout=10_000)
    assert shown == sorted(shown)
    status = window.status_line.text()
    assert "fps" in status and "dropped" in status and "latency" in status
    window.watch_box.setChecked(False)
    count = len(shown)
    qtbot.wait(200)
    assert len(shown) == count  # stopped watching
    window.close()


def test_provider_window_codec_control_reshares(qtbot, key, tmp_path):
    path = tmp_path / "still.png"
    photo_like(50, 40).save(str(path))
    window = ProviderWindow(key)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.published, timeout=10_000):
        window.share_file(path)
    assert read_shared(key).codec == "qt"
    with qtbot.waitSignal(window.published, timeout=10_000) as published:
        window.codec_box.setCurrentIndex(window.codec_box.findData("raw"))
    assert published.args[0].codec == "raw"
    assert read_shared(key).codec == "raw"
    assert same_pixels(read_shared(key).image, QImage(str(path)))
    window.close()


def test_provider_window_plays_an_animated_gif_and_pauses(qtbot, key, tmp_path):
    path = tmp_path / "anim.gif"
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
    path.write_bytes(animated_gif(8, 6, [(colour, 20) for colour in colours]))
    window = ProviderWindow(key)
    qtbot.addWidget(window)
    generations = []
    window.published.connect(lambda publication: generations.append(publication.generation))
    window.share_file(path)
    qtbot.waitUntil(lambda: len(generations) >= 6, timeout=10_000)
    seen = set()
    deadline = time.monotonic() + 5
    with Watcher(key) as watcher:
        while len(seen) < 3 and time.monotonic() < deadline:
            frame = watcher.next_frame(timeout=0.5)
            if frame is not None:
                seen.add(frame.shared.image.pixel(4, 3) & 0xFFFFFF)
    assert seen == {0xFF0000, 0x00FF00, 0x0000FF}  # every frame, looping

    assert window.playback.button.isEnabled()
    window.playback.button.click()  # pause
    assert window.playback.button.text() == "Play"
    qtbot.wait(100)
    paused_at = read_shared(key).metadata.generation
    qtbot.wait(200)
    assert read_shared(key).metadata.generation == paused_at
    window.playback.button.click()  # play
    qtbot.waitUntil(lambda: read_shared(key).metadata.generation > paused_at, timeout=5_000)
    window.close()


def test_watch_reads_a_segment_without_metadata_once_and_does_not_hold_it(key):
    image = photo_like(40, 30, seed=5)
    other = ForeignSegment(key, bytes(QT.encode(image).payload))
    try:
        with Watcher(key) as watcher:
            frame = watcher.next_frame(timeout=5)
            assert frame is not None and frame.shared.metadata is None
            assert same_pixels(frame.shared.image, image)
            assert frame.latency_ms is None
            assert watcher.next_frame(timeout=0.2) is None  # the same segment is not read again
            assert segment_status(key).attached == 1  # only its writer: a C++ writer could re-create it
    finally:
        other.close()


def test_consumer_window_paints_from_views_and_gives_each_slot_back(qtbot, key):
    """With two slots, every slot is rewritten within two frames: a pin kept would stall the provider."""
    frames = [image.copy() for image, _ in moving_pattern(64, 48, 100.0, 12)]  # it draws each into one image
    window = ConsumerWindow(key)
    qtbot.addWidget(window)
    shown = []
    window.displayed.connect(shown.append)
    with Publisher(key, RAW, slots=2) as publisher:
        window.watch_box.setChecked(True)
        for image in frames:
            with qtbot.waitSignal(window.displayed, timeout=10_000):
                publisher.publish(image)
        window.watch_box.setChecked(False)
    assert [shared.metadata.generation for shared in shown] == list(range(1, 13))
    for index, shared in enumerate(shown):  # each still its own frame: copied out of the slot, not read from it
        assert {pattern_index(shared.image, x, y) for x in (0, 63) for y in (0, 47)} == {index}
    window.close()
