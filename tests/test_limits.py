"""Small inputs that claim huge images: decoded at a sensible size or refused, never a gigabyte for 100 bytes.

A provider draws an SVG no larger than --svg-size on its long side; every decode
checks the memory it is about to take against the limits and the memory free;
a segment that is neither shareimg's nor a Qt image stream is refused from its
first bytes; a raw still takes one ring slot.  Memory is measured on real
processes: the peak resident size of the provider or consumer itself.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from foreign import ForeignSegment
from images import photo_like, png_claiming, same_pixels
from processes import PROGRAMS, python_module
from PySide6.QtCore import QSharedMemory

from shareimg import RAW, ImageLoadError, NotAnImage, NothingShared, Publisher, Watcher, read_shared, segment_status
from shareimg.provider.loading import load_image
from shareimg.provider.sharing import Request, load_and_publish
from shareimg.wire import layout
from shareimg.wire.limits import LIMITS, set_limits
from shareimg.wire.ring_layout import plan

# 103 bytes declaring 16000x16000 pixels: drawn at that size, 977 MiB of pixels.
HUGE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="16000" height="16000"><rect width="1" height="1"/></svg>'
# A 4096x4096 image is 64 MiB; with the segment it is copied into, Python and Qt, a provider stays under this.
PROVIDER_PEAK_MIB = 400
# A consumer that reads a segment's first bytes and refuses it: Python, Qt and a page or two of the segment.
CONSUMER_PEAK_MIB = 150
FOREIGN_BYTES = 200_000_000


def _vm_hwm_mib(pid: int) -> float:
    """The peak resident size of a running process so far, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmHWM for process {pid}")


def test_a_103_byte_svg_declaring_16000_a_side_is_shared_at_4096_in_little_memory(key, spawn, tmp_path):
    svg = tmp_path / "huge.svg"
    svg.write_bytes(HUGE_SVG)
    provider = spawn("shareimg.provider", "--headless", "--key", key, "--codec", "raw", svg)
    published = provider.fields(timeout=60)
    peak = _vm_hwm_mib(provider.pid)
    assert published["event"] == "published", published
    assert (published["width"], published["height"]) == ("4096", "4096")
    assert peak < PROVIDER_PEAK_MIB, f"the provider took {peak:.0f} MiB at its peak"
    assert provider.stop() == 0
    note = provider.popen.stderr.read()
    assert "drawn at 4096×4096 from an SVG of 16000×16000" in note and "--svg-size" in note


def test_svg_size_chooses_the_long_side_and_keeps_the_aspect(tmp_path):
    svg = tmp_path / "wide.svg"
    svg.write_bytes(HUGE_SVG.replace(b'height="16000"', b'height="8000"'))
    loaded = load_image(svg, svg_side=1000)
    assert (loaded.image.width(), loaded.image.height()) == (1000, 500)
    assert (loaded.declared.width(), loaded.declared.height()) == (16000, 8000)
    small = tmp_path / "small.svg"
    small.write_bytes(HUGE_SVG.replace(b"16000", b"300"))
    loaded = load_image(small, svg_side=1000)
    assert loaded.image.width() == 300 and loaded.declared is None  # drawn at its own size: nothing to say


def test_the_provider_window_says_at_what_size_it_drew_an_svg(qtbot, provider, tmp_path, key):
    svg = tmp_path / "huge.svg"
    svg.write_bytes(HUGE_SVG)
    with qtbot.waitSignal(provider.published, timeout=60_000) as published:
        provider.share_file(svg)
    assert (published.args[0].width, published.args[0].height) == (4096, 4096)
    assert "drawn at 4096×4096 from an SVG of 16000×16000" in provider.message.text()


def _consumer_on_200_mb(key: str, head: bytes) -> tuple[subprocess.CompletedProcess[str], float]:
    """A headless consumer's run on a foreign 200 MB segment starting with ``head`` (zeros after, their pages
    never touched here), and its peak memory in MiB."""
    shm = QSharedMemory(QSharedMemory.legacyNativeKey(key))
    assert shm.create(FOREIGN_BYTES), shm.errorString()
    try:
        shm.data()[: len(head)] = head
        consumer = python_module("shareimg.consumer", "--headless", "--key", key)
        completed = subprocess.run(
            [sys.executable, PROGRAMS / "peak_memory.py", *consumer], capture_output=True, text=True, timeout=60
        )
    finally:
        shm.detach()
    return completed, int(completed.stdout.splitlines()[-1].removeprefix("peak_rss_kib=")) / 1024


def test_a_foreign_segment_of_200_mb_without_trailer_is_refused_from_its_first_bytes(key):
    """A broken or foreign writer's 200 MB (a GIF's first bytes, zeros after): refused by a consumer that reads a
    page or two of it."""
    completed, peak_mib = _consumer_on_200_mb(key, b"GIF89a")
    assert completed.returncode == NotAnImage.exit_code, completed.stderr
    assert (
        f"the segment under key '{key}' holds 200 MB that are neither shareimg's nor a Qt image stream: "
        "it starts with 47 49 46 38 39 61 00 00 …"
    ) in completed.stderr
    assert peak_mib < CONSUMER_PEAK_MIB, f"the consumer took {peak_mib:.0f} MiB at its peak"


def test_a_segment_of_200_mb_nobody_wrote_says_nothing_is_shared_from_its_first_bytes(key):
    """Zeros are Qt's null image, and what a segment holds before its writer wrote: nothing shared, said at once."""
    completed, peak_mib = _consumer_on_200_mb(key, b"")
    assert completed.returncode == NothingShared.exit_code, completed.stderr
    assert (
        f"nothing is shared under key '{key}': its 200 MB start with 00 00 00 00, a null image in Qt's stream: "
        "nothing was written into it yet"
    ) in completed.stderr
    assert peak_mib < CONSUMER_PEAK_MIB, f"the consumer took {peak_mib:.0f} MiB at its peak"


@pytest.mark.parametrize(
    "data, words",
    [
        (b"GIF89a" + bytes(100), "it starts with 47 49 46 38 39 61 00 00 …"),
        (
            b"\x00\x00\x00\x01" + b"not an image" * 10,
            "neither shareimg's nor a Qt image stream: it starts with 00 00 00 01",
        ),
    ],
    ids=["a-gif-without-marker", "marker-then-garbage"],
)
def test_a_segment_that_is_neither_ours_nor_a_qt_stream_says_what_it_starts_with(key, data, words):
    other = ForeignSegment(key, data)
    try:
        with pytest.raises(NotAnImage, match=words.replace("(", r"\(").replace("…", ".")):
            read_shared(key)
        with Watcher(key) as watcher, pytest.raises(NotAnImage, match="neither shareimg's nor a Qt image"):
            watcher.poll()
    finally:
        other.close()


def test_a_null_image_as_qt_writes_it_is_still_a_null_image(key):
    other = ForeignSegment(key, b"\x00\x00\x00\x00")  # QDataStream << QImage() in a segment of its size
    try:
        with pytest.raises(NothingShared, match="null QImage"):
            read_shared(key)
    finally:
        other.close()


@pytest.fixture
def limits_beyond_the_machine():
    """Limits raised past any machine's memory: what stops a decode then is the memory free."""
    before = (LIMITS.max_side, LIMITS.max_megabytes)
    set_limits(max_side=10**7, max_megabytes=10**8)
    yield
    set_limits(*before)


def test_a_raw_trailer_claiming_more_than_the_memory_free_is_refused_before_allocating(key, limits_beyond_the_machine):
    fmt = photo_like(2, 2).format().value
    lie = layout.Metadata(RAW.codec_id, 1, 64, 1_000_000, 1_000_000, 4_000_000, fmt, 1, 1, 0, 1)
    other = ForeignSegment(key, bytes(64) + layout.pack(lie))
    try:
        with pytest.raises(NotAnImage, match=r"1000000x1000000 pixels need 3814698 MiB, more than the \d+ MiB"):
            read_shared(key)
    finally:
        other.close()


def test_a_png_stream_claiming_more_than_the_memory_free_is_refused_by_the_consumer(key, limits_beyond_the_machine):
    png = png_claiming(1_000_000, 1_000_000)
    other = ForeignSegment(key, b"\x00\x00\x00\x01" + png)
    try:
        with pytest.raises(NotAnImage, match="this machine has free: close other programs, or share a smaller"):
            read_shared(key)
    finally:
        other.close()


def test_a_png_file_claiming_more_than_the_memory_free_is_refused_by_the_provider(tmp_path, limits_beyond_the_machine):
    png = png_claiming(1_000_000, 1_000_000)
    path = tmp_path / "huge.png"
    path.write_bytes(png)
    with pytest.raises(ImageLoadError, match="this machine has free") as refused:
        load_image(path)
    assert refused.value.reason == ImageLoadError.TOO_LARGE


def test_a_raw_still_takes_one_slot_and_a_view_of_it_outlives_the_next_still(key):
    first, second = photo_like(64, 48, seed=1), photo_like(64, 48, seed=2)
    one_slot = plan(first.sizeInBytes(), 1)[0]
    with Publisher(key, RAW) as publisher, Watcher(key) as watcher:
        publisher.publish(first, still=True)
        assert segment_status(key).size == one_slot
        with watcher.poll(view=True) as view:
            publisher.publish(second, still=True)
            assert segment_status(key).size == one_slot
            assert same_pixels(view.image, first)  # its segment was left as it was
        assert same_pixels(read_shared(key).image, second)
        publisher.publish(first)  # a frame of a stream: a ring of four again
        assert segment_status(key).size == plan(first.sizeInBytes(), 4)[0]


def test_the_provider_shares_a_raw_still_in_one_slot(key, keys, spawn, tmp_path):
    image = tmp_path / "photo.png"
    assert photo_like(320, 240).save(str(image))
    one_slot = plan(320 * 240 * 4, 1)[0]
    provider = spawn("shareimg.provider", "--headless", "--key", key, "--codec", "raw", image)
    assert provider.fields()["event"] == "published"
    assert segment_status(key).size == one_slot
    window_key = keys()
    with Publisher(window_key, RAW) as publisher:  # the window's way: load_and_publish
        load_and_publish(Request(photo_like(320, 240), "photo"), publisher, None, threading.Event())
        assert segment_status(window_key).size == one_slot
