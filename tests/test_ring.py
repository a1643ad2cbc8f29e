"""The raw ring across real processes: pinned views stay whole, dead readers' pins go, the doorbell wakes."""

from __future__ import annotations

import contextlib
import signal
import struct
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from foreign import ForeignReader
from images import photo_like, same_pixels
from processes import PROGRAMS
from PySide6.QtGui import QImage

from shareimg import QT, RAW, Publisher, Watcher, read_shared, segment_status
from shareimg.provider.streams import moving_pattern, pattern_index
from shareimg.transport import doorbell, pins
from shareimg.transport.keys import key_file
from shareimg.transport.ring import RingReader
from shareimg.wire import layout


def _corners(image: QImage) -> set[int]:
    w, h = image.width(), image.height()
    return {pattern_index(image, x, y) for x in (0, w - 1) for y in (0, h - 1)}


def test_a_pinned_view_keeps_its_pixels_while_the_provider_publishes_100_more(key, spawn):
    provider = spawn(
        "shareimg.provider", "--headless", "--pattern", "320x240", "--fps", "400", "--codec", "raw", "--key", key
    )
    provider.fields()
    with Watcher(key) as watcher, Watcher(key) as counter, watcher.next_frame(timeout=10, view=True) as view:
        assert view.pinned
        kept = bytes(view.pixels)
        generation = view.metadata.generation
        assert _corners(view.image) == {generation - 1}
        newest = generation
        deadline = time.monotonic() + 30
        while newest < generation + 100 and time.monotonic() < deadline:
            frame = counter.next_frame(timeout=5)  # owned copies, from another slot
            newest = frame.metadata.generation
            assert _corners(frame.image) == {newest - 1}, "a torn frame"
        assert newest >= generation + 100, "the provider did not publish 100 more frames"
        assert bytes(view.pixels) == kept, "the provider wrote into a pinned slot"
        assert _corners(view.image) == {generation - 1}


def test_a_reader_killed_while_pinning_gives_its_pin_back(key, spawn):
    """With two slots the provider needs the one a reader pins: it waits, and goes on when SIGKILL takes the pin."""
    frames = [image.copy() for image, _ in moving_pattern(64, 48, 100.0, 4)]  # it draws each into the same image
    with Publisher(key, RAW, slots=2) as publisher:
        publisher.publish(frames[0])
        pinner = spawn(PROGRAMS / "pinner.py", key, program=sys.executable)
        assert pinner.fields()["generation"] == "1"
        other = ForeignReader(key)
        ring = RingReader(other.shm.constData(), pins.pins_key(key_file(key)))
        assert sum(pins.readers(ring.header.pins, i) for i in range(2)) == 1
        publisher.publish(frames[1])  # the other slot
        done = threading.Event()
        worker = threading.Thread(target=lambda: (publisher.publish(frames[2]), done.set()), daemon=True)
        worker.start()
        assert not done.wait(0.5), "the provider wrote the slot a reader pins"
        pinner.stop(signal.SIGKILL)
        assert done.wait(5), "the dead reader's pin was not given back"
        worker.join()
        assert sum(pins.readers(ring.header.pins, i) for i in range(2)) == 0
        assert _corners(read_shared(key).image) == {2}
        publisher.publish(frames[3])
        assert _corners(read_shared(key).image) == {3}
        other.close()


@contextmanager
def _sharing(key: str, image: QImage) -> Iterator[tuple[Publisher, Watcher]]:
    """A raw publisher sharing ``image``, and a watcher of its key."""
    with Publisher(key, RAW) as publisher, Watcher(key) as watcher:
        publisher.publish(image)
        yield publisher, watcher


def test_views_raise_after_close_and_copies_outlive_them(key):
    image = photo_like(40, 30)
    with _sharing(key, image) as (publisher, watcher):
        with watcher.next_frame(timeout=5, view=True) as view:
            assert view.pinned
            owned = view.copy()
            array = view.array
            assert same_pixels(view.image, image)
        assert not view.pinned
        for use in (lambda: view.image, lambda: view.array, lambda: view.pixels, lambda: view.shared, view.copy):
            with pytest.raises(ValueError, match="closed"):
                use()
        view.close()  # twice is harmless
        publisher.publish(photo_like(40, 30, seed=2))
        publisher.publish(photo_like(40, 30, seed=3))
        assert not owned.pinned and same_pixels(owned.image, image)
        assert array.shape == (30, 40, 4)  # still readable: the segment stays mapped while it is referenced


def test_the_watcher_unmaps_a_segment_once_the_last_view_cut_from_it_is_gone(key):
    """Views of one slot share one wrapper of its memory: the wrapper's loan must go with the last view."""
    with _sharing(key, photo_like(40, 30)) as (publisher, watcher):
        views = [watcher.next_frame(timeout=5, view=True)]
        publisher.publish(photo_like(40, 30, seed=2))
        views.append(watcher.next_frame(timeout=5, view=True))
        array = views[1].array
        for view in views:
            view.close()
        assert segment_status(key).attached == 2  # the provider and the watcher
        watcher.close()
        assert segment_status(key).attached == 2  # the array still reads the slot
        del array, views  # no collection needed: nothing the watcher made keeps it in a cycle
        assert segment_status(key).attached == 1  # the provider alone


def test_an_owned_frame_is_the_default_and_needs_no_close(key):
    image = photo_like(33, 7)
    with _sharing(key, image) as (_, watcher):
        frame = watcher.next_frame(timeout=5)
    assert not frame.pinned
    assert same_pixels(frame.image, image) and frame.array.shape == (7, 33, 4)


def test_a_view_outlives_the_provider_moving_to_a_larger_segment(key):
    small, large = photo_like(40, 30, seed=1), photo_like(400, 300, seed=2)
    with _sharing(key, small) as (publisher, watcher), watcher.next_frame(timeout=5, view=True) as view:
        publisher.publish(large)  # a new segment; the old one is retired
        assert watcher.next_frame(timeout=5).image.width() == 400
        assert same_pixels(view.image, small)  # still mapped: the view reads it


def _voluntary_switches(pid: int, threads: bool = False) -> int:
    """How often the process (or, with ``threads``, all its threads) went to sleep so far."""
    files = Path(f"/proc/{pid}/task").glob("*/status") if threads else [Path(f"/proc/{pid}/status")]
    lines = [line for file in files for line in file.read_text().splitlines()]
    return sum(int(line.split()[1]) for line in lines if line.startswith("voluntary_ctxt_switches"))


def test_a_headless_watch_of_an_unchanging_image_hardly_wakes(key, spawn):
    """The command line's threads sleep too: a signal or the doorbell wakes them, else about once a second."""
    with Publisher(key) as publisher:
        publisher.publish(photo_like(48, 32))
        consumer = spawn("shareimg.consumer", "--headless", "--watch", "--key", key)
        assert consumer.fields()["generation"] == "1"
        time.sleep(1.0)
        before = _voluntary_switches(consumer.pid, threads=True)
        time.sleep(3.0)
        woke = _voluntary_switches(consumer.pid, threads=True) - before
        # Waiting 0.1 s in one thread and 0.25 s in the other, it woke ~42 times in 3 s.
        assert woke < 20, f"the watching process woke {woke} times in 3 s"
        assert consumer.stop(signal.SIGTERM) == 0


def test_the_doorbell_wakes_eight_watchers_for_every_frame(key, spawn):
    """Each watcher sleeps until a frame is committed: idle it hardly wakes, and it sees frames 30 ms apart."""
    frames = [image.copy() for image, _ in moving_pattern(64, 48, 100.0, 21)]  # it draws each into the same image
    with Publisher(key, RAW) as publisher:
        publisher.publish(frames[0])
        probes = [spawn(PROGRAMS / "probe.py", key, program=sys.executable) for _ in range(8)]
        for probe in probes:
            assert probe.line() == "watching"
            assert probe.fields()["generation"] == "1"
        before = [_voluntary_switches(probe.pid) for probe in probes]
        time.sleep(1.0)
        idle = [_voluntary_switches(probe.pid) - b for probe, b in zip(probes, before, strict=True)]
        # A watcher polling every 4 ms, as before the doorbell, woke 250 times a second.
        assert max(idle) < 40, f"idle watchers woke {idle} times in a second"
        for image in frames[1:]:
            publisher.publish(image)
            time.sleep(0.03)
        for probe in probes:
            seen = []
            while not seen or int(seen[-1]["generation"]) < 21:
                seen.append(probe.fields(timeout=10))
            assert all(f["corners"] == str(int(f["generation"]) - 1) for f in seen)
            # Sleeping up to 100 ms between looks would catch about a third of them.
            assert len(seen) >= 16, f"a watcher saw only {len(seen)} of 20 frames"
            probe.stop()


def test_the_qt_codec_still_writes_one_payload_at_offset_0(key):
    """What C++ Qt programs read (tests/interop check them): Qt's stream from byte 0, our trailer version 1."""
    image = photo_like(50, 40)
    with Publisher(key, QT) as publisher:
        publisher.publish(image)
        reader = ForeignReader(key)
        segment = bytes(reader.shm.constData())
        reader.close()
    stream = bytes(QT.encode(image).payload)
    assert segment[: len(stream)] == stream
    meta = layout.unpack(memoryview(segment))
    assert meta.version == 1 and meta.payload_length == len(stream) and meta.complete


def test_a_waiting_watcher_pins_the_slot_claimed_for_the_next_frame_and_the_provider_still_writes_it(key):
    """Pinned ahead, a frame costs the reader no system call; the claimed slot is written all the same.

    Two slots: the one claimed ahead is the only one the provider can write, so
    a provider that waited for that pin would stall here.
    """
    frames = [photo_like(40, 30, seed=seed) for seed in (1, 2)]
    with Publisher(key, RAW, slots=2) as publisher, Watcher(key) as watcher:
        publisher.publish(frames[0])
        first = watcher.next_frame(timeout=5)
        other = ForeignReader(key)
        segment = other.shm.constData()
        semid, newest, claimed = struct.unpack_from("<I", segment, 12)[0], *struct.unpack_from("<II", segment, 32)
        assert claimed not in (newest, 0xFFFFFFFF), "no slot claimed ahead, or the newest claimed"
        taken: list = []
        waiting = threading.Thread(target=lambda: taken.append(watcher.next_frame(timeout=10)))
        waiting.start()
        deadline = time.monotonic() + 5
        while pins.readers(semid, claimed) == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert pins.readers(semid, claimed) == 1, "the waiting watcher did not pin the claimed slot"
        started = time.monotonic()
        publisher.publish(frames[1])
        assert time.monotonic() - started < 2, "the provider waited for a pin on the slot it had claimed"
        waiting.join(10)
        frame = taken[0]
        assert frame.metadata.generation == first.metadata.generation + 1 and same_pixels(frame.image, frames[1])
        assert watcher.next_frame(timeout=0.1) is None
        assert [pins.readers(semid, i) for i in range(2)] == [0, 0], "a pin kept after the watcher stopped waiting"
        other.close()


def test_arrays_of_another_shape_or_strided_are_published_as_they_are(key):
    """Each kind of array is checked once and then copied straight into the slot, strides and all."""
    rng = np.random.default_rng(3)
    wide = rng.integers(0, 256, (30, 82, 3), dtype=np.uint8)
    arrays = [wide[:, :41], wide[:, ::2], wide[:, ::2].copy(), rng.integers(0, 256, (12, 9), dtype=np.uint8)]
    with Publisher(key, RAW) as publisher, Watcher(key) as watcher:
        for array in arrays:
            publisher.publish(array)
            frame = watcher.next_frame(timeout=5)
            assert np.array_equal(frame.array, array)


def test_a_watcher_gives_back_its_early_pin_when_a_lying_ring_ends_its_wait(key):
    """The early pin goes whatever ends the wait: here an error, a ``newest`` slot the ring does not have."""
    with Publisher(key, RAW, slots=2) as publisher, Watcher(key) as watcher:
        publisher.publish(photo_like(40, 30))
        watcher.next_frame(timeout=5)
        segment = publisher.memory.data()
        semid, claimed = struct.unpack_from("<I", segment, 12)[0], struct.unpack_from("<I", segment, 36)[0]
        errors: list = []
        waiting = threading.Thread(target=lambda: errors.append(_error_of(lambda: watcher.next_frame(timeout=10))))
        waiting.start()
        deadline = time.monotonic() + 5
        while pins.readers(semid, claimed) == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert pins.readers(semid, claimed) == 1
        struct.pack_into("<I", segment, 32, 99)  # newest: a slot it has not
        layout.commit(segment, layout.committed(segment) + 1)
        doorbell.ring(doorbell.address_in(segment))
        waiting.join(10)
        assert "newest slot is 99" in str(errors[0])
        assert [pins.readers(semid, i) for i in range(2)] == [0, 0], "the early pin outlived the wait"


@contextmanager
def _waiting_pinned_ahead(key: str, first: QImage) -> Iterator[tuple[Publisher, memoryview, int, list]]:
    """A provider with 2 slots has shared ``first``; a watcher has taken it and now waits, pinned ahead.

    Yields the provider, its segment, the slot claimed ahead and the list that what
    the waiting watcher's ``next_frame`` gives goes into: None, or a view's metadata,
    length and image, copied before the view is closed.
    """
    with Publisher(key, RAW, slots=2) as publisher, Watcher(key) as watcher:
        publisher.publish(first)
        assert watcher.next_frame(timeout=5) is not None
        segment = publisher.memory.data()
        semid, claimed = struct.unpack_from("<I", segment, 12)[0], struct.unpack_from("<I", segment, 36)[0]
        taken: list = []

        def wait_for_a_view() -> None:
            with watcher.next_frame(timeout=5, view=True) or contextlib.nullcontext() as frame:
                taken.append(frame and (frame.metadata, len(frame.pixels), frame.image.copy()))

        waiting = threading.Thread(target=wait_for_a_view)
        waiting.start()
        deadline = time.monotonic() + 5
        while pins.readers(semid, claimed) == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert pins.readers(semid, claimed) == 1, "the waiting watcher did not pin the claimed slot"
        try:
            yield publisher, segment, claimed, taken
        finally:
            waiting.join(10)
            assert [pins.readers(semid, i) for i in range(2)] == [0, 0], "a pin outlived the wait"


def test_a_smaller_frame_in_the_slot_pinned_ahead_comes_with_its_own_geometry(key):
    """The slot pinned ahead is taken without a new pin, but not without checking a new geometry."""
    smaller = photo_like(36, 28, seed=5)  # near enough in size to keep the segment
    with _waiting_pinned_ahead(key, photo_like(40, 30)) as (publisher, _, _, taken):
        publisher.publish(smaller)
    meta, length, image = taken[0]
    assert (meta.width, meta.height) == (36, 28)
    assert length == meta.bytes_per_line * 28 and same_pixels(image, smaller)


def test_a_frame_that_came_where_the_watcher_pinned_ahead_costs_it_no_new_pin(key, monkeypatch):
    """The point of pinning ahead: between a publish and its reader, no system call."""
    frame = photo_like(40, 30, seed=7)
    with _waiting_pinned_ahead(key, photo_like(40, 30)) as (publisher, _, _, taken):
        pinned: list = []
        monkeypatch.setattr(pins, "pin", lambda *args: pinned.append(args) or True)
        publisher.publish(frame)
        deadline = time.monotonic() + 5
        while not taken and time.monotonic() < deadline:
            time.sleep(0.01)
        monkeypatch.undo()
    meta, _, image = taken[0]
    assert meta.generation == 2 and (meta.width, meta.height) == (40, 30) and same_pixels(image, frame)
    assert pinned == [], "the watcher pinned the slot again"


def test_the_slot_for_the_frame_after_is_claimed_before_the_copy(key):
    """PROTOCOL 2b, step 3: while a frame is written, ``next`` already names a slot marked for the one after."""
    with Publisher(key, RAW) as publisher:
        publisher.publish(np.zeros((30, 40, 3), np.uint8))
        segment = publisher.memory.data()
        slot_count = struct.unpack_from("<I", segment, 8)[0]
        time.sleep(0.05)  # a stream's pace, not back to back (below)
        with publisher.frame(30, 40, 3):
            newest, claimed = struct.unpack_from("<II", segment, 32)
            generations = [struct.unpack_from("<QQ", segment, 64 + 64 * i) for i in range(slot_count)]
            filling = [i for i, (generation, committed) in enumerate(generations) if (generation, committed) == (2, 0)]
            assert len(filling) == 1 and claimed not in (newest, filling[0], 0xFFFFFFFF)
            assert generations[claimed] == (3, 0), "the slot claimed ahead is not marked for the frame after"


def test_a_ring_of_two_slots_still_names_the_slot_for_the_next_frame(key):
    """Paced frames claim before the copy, where two slots leave none: these claim after the commit."""
    with Publisher(key, RAW, slots=2) as publisher:
        for seed in range(4):
            publisher.publish(np.full((30, 40, 3), seed, np.uint8))
            newest, claimed = struct.unpack_from("<II", publisher.memory.data(), 32)
            assert claimed == 1 - newest, f"frame {seed + 1}: next is {claimed:#x}, newest {newest}"
            time.sleep(0.01)  # a stream's pace, not back to back


def test_frames_published_back_to_back_take_turns_in_two_slots(key):
    """Flat out, the next slot is claimed after each commit: the one the frame before left, still in the cache."""
    with Publisher(key, RAW) as publisher:
        used = []
        for seed in range(8):
            publisher.publish(np.full((30, 40, 3), seed, np.uint8))
            used.append(struct.unpack_from("<I", publisher.memory.data(), 32)[0])  # newest
    assert len(set(used[1:])) == 2 and all(a != b for a, b in zip(used[1:-1], used[2:], strict=True)), used


@pytest.mark.parametrize(
    ("generation", "committed", "trailer"),
    [(1, 1, 0), (0, 0, 1), (1, 0, 1), (2, 1, 1)],
    ids=["a-provider-killed-between-its-stores", "the-frame-already-taken", "a-mark-not-a-commit", "another-frame"],
)
def test_a_descriptor_in_the_slot_pinned_ahead_counts_only_as_the_trailer_says(key, generation, committed, trailer):
    """``newest`` names the slot pinned ahead, but its descriptor is not the frame the trailer names.

    (Numbers are added to the generation already taken.)  None of these is taken:
    the watcher goes on to the provider's next real frames.
    """
    frames = [photo_like(40, 30, seed=seed) for seed in (3, 4)]
    with _waiting_pinned_ahead(key, photo_like(40, 30)) as (publisher, segment, claimed, taken):
        seen = layout.committed(segment)
        newest = struct.unpack_from("<I", segment, 32)[0]
        descriptor = list(struct.unpack_from("<QQQIIIi", segment, 64 + 64 * newest))
        descriptor[:2] = seen + generation, seen + committed
        struct.pack_into("<QQQIIIi", segment, 64 + 64 * claimed, *descriptor)
        struct.pack_into("<I", segment, 32, claimed)
        layout.commit(segment, seen + trailer)
        doorbell.ring(doorbell.address_in(segment))
        time.sleep(0.2)
        for frame in frames:
            publisher.publish(frame)
            time.sleep(0.1)
    meta, _, image = taken[0]
    assert meta.generation > seen and any(same_pixels(image, frame) for frame in frames)


def _error_of(call) -> Exception | None:
    try:
        call()
    except Exception as error:  # noqa: BLE001 -- handed to the test thread
        return error
    return None


def test_a_trailer_that_goes_back_does_not_keep_a_waiting_watcher_busy(key):
    """Generations only grow; a writer that lowers ``committed`` must not make every wait return at once."""
    with Publisher(key, RAW) as publisher, Watcher(key) as watcher:
        for seed in (1, 2, 3):
            publisher.publish(photo_like(40, 30, seed=seed))
        assert watcher.next_frame(timeout=5).metadata.generation == 3
        segment = publisher.memory.data()
        spent: list = []

        def wait() -> None:
            started = time.thread_time()
            watcher.next_frame(timeout=1.5)
            spent.append(time.thread_time() - started)

        waiting = threading.Thread(target=wait)
        waiting.start()
        time.sleep(0.2)
        layout.commit(segment, 1)
        doorbell.ring(doorbell.address_in(segment))
        waiting.join(10)
    assert spent[0] < 0.3, f"the watcher spent {spent[0]:.2f} s of CPU in a 1.5 s wait"
