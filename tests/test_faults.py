"""Fault injection: stuck locks, providers killed at any moment, many consumers, permissions."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time

from images import photo_like, same_pixels
from processes import PROGRAMS, run
from PySide6.QtGui import QImage, QImageWriter
from responsiveness import worst_event_delay_ms

from shareimg import RAW, Publisher, read_shared, segment_status
from shareimg.consumer.window import ConsumerWindow
from shareimg.provider.streams import moving_pattern, pattern_index
from shareimg.provider.window import ProviderWindow
from shareimg.transport.keys import key_file, system_v_keys
from shareimg.transport.watcher import Watcher


def _hold_lock(spawn, key: str, seconds: float):
    holder = spawn(PROGRAMS / "holder.py", key, seconds, program=sys.executable)
    assert holder.line() == "locked"
    return holder


def test_consumer_window_stays_responsive_and_reports_a_held_lock(qtbot, key, spawn):
    image = photo_like(64, 48)
    window = ConsumerWindow(key)
    qtbot.addWidget(window)
    window.show()
    with Publisher(key) as publisher:
        publisher.publish(image)
        holder = _hold_lock(spawn, key, 3)
        with qtbot.waitSignal(window.displayed, timeout=15_000) as displayed:
            window.display_button.click()
            worst = worst_event_delay_ms(qtbot, 1500)
            assert "Waiting for the lock" in window.message.text()
        assert worst < 100, f"the window did not answer for {worst} ms"
        assert holder.line() == "released"
        assert same_pixels(displayed.args[0].image, image)
        window.close()


def test_provider_window_stays_responsive_while_another_process_holds_the_lock(qtbot, key, spawn, tmp_path):
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    photo_like(40, 30, seed=1).save(str(first))
    photo_like(40, 30, seed=2).save(str(second))
    window = ProviderWindow(key)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.published, timeout=10_000):
        window.share_file(first)
    holder = _hold_lock(spawn, key, 3)
    with qtbot.waitSignal(window.published, timeout=15_000):
        window.share_file(second)
        assert window.busy.isVisible() and window.busy.cancel_button.isVisible()
        worst = worst_event_delay_ms(qtbot, 1500)
        assert "Waiting for the lock" in window.message.text()
    assert worst < 100, f"the window did not answer for {worst} ms"
    assert holder.line() == "released"
    assert not window.busy.isVisible()
    assert same_pixels(read_shared(key).image, QImage(str(second)))
    window.close()


def test_cancel_keeps_what_was_shared(qtbot, key, spawn, tmp_path):
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    photo_like(40, 30, seed=1).save(str(first))
    photo_like(40, 30, seed=2).save(str(second))
    window = ProviderWindow(key)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.published, timeout=10_000):
        window.share_file(first)
    holder = _hold_lock(spawn, key, 1.0)  # keeps the job waiting while we cancel
    with qtbot.waitSignal(window.cancelled, timeout=10_000) as cancelled:
        window.share_file(second)
        window.busy.cancel_button.click()
    holder.line()
    assert cancelled.args[0] == "second.png"
    assert "cancelled" in window.message.text() and "still shared" in window.message.text()
    assert same_pixels(read_shared(key).image, QImage(str(first)))
    window.close()


def test_headless_consumer_gives_up_on_a_stuck_lock_with_exit_7(key, spawn):
    with Publisher(key) as publisher:
        publisher.publish(photo_like(20, 20))
        holder = _hold_lock(spawn, key, 30)
        started = time.monotonic()
        result = run("shareimg.consumer", "--headless", "--key", key, "--lock-timeout", "1")
        holder.stop(signal.SIGKILL)  # its lock goes with it (SEM_UNDO)
        assert result.returncode == 7, result.stderr
        assert time.monotonic() - started < 10
        assert f"held the lock of key '{key}' for more than 1 s" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_lock_holder_killed_with_sigkill_releases_the_lock(key, spawn):
    image = photo_like(30, 30)
    with Publisher(key) as publisher:
        publisher.publish(image)
        holder = _hold_lock(spawn, key, 60)
        holder.stop(signal.SIGKILL)
        started = time.monotonic()
        assert same_pixels(read_shared(key).image, image)
        publisher.publish(photo_like(30, 30, seed=3))
        assert time.monotonic() - started < 2


def test_providers_killed_at_random_moments_never_tear_or_hang_the_consumer(key, spawn):
    """SIGKILL a streaming provider at random times (idle, mid-copy, holding the lock), 8 times over."""
    rounds, rng = 8, random.Random(5)
    watcher = Watcher(key)
    seen_per_round, reasons = [], set()
    try:
        for _ in range(rounds):
            provider = spawn(
                "shareimg.provider",
                "--headless",
                "--pattern",
                "640x480",
                "--fps",
                "400",
                "--codec",
                "raw",
                "--key",
                key,
            )
            provider.fields()
            deadline = time.monotonic() + 0.05 + rng.random() * 0.3
            seen = 0
            while time.monotonic() < deadline or seen == 0:
                frame = watcher.next_frame(timeout=5)
                assert frame is not None, "the consumer saw nothing from a live provider"
                image, generation = frame.shared.image, frame.shared.metadata.generation
                corners = {pattern_index(image, x, y) for x in (0, 639) for y in (0, 479)}
                assert corners == {generation - 1}, "a torn frame"
                seen += 1
            provider.stop(signal.SIGKILL)
            # The consumer neither hangs nor shows anything new from the dead provider.
            late = watcher.next_frame(timeout=0.6)
            reasons.add(watcher.waiting_reason)
            assert late is None or late.shared.metadata.generation > generation
            seen_per_round.append(seen)
        # The next provider reclaims what the last one left, semaphore included.
        spawn("shareimg.provider", "--headless", "--pattern", "64x48", "--frames", "1", "--key", key).fields()
        assert watcher.next_frame(timeout=5).shared.image.width() == 64
    finally:
        watcher.close()
    assert all(seen_per_round)
    assert any(reason and "is gone" in reason for reason in reasons)


def test_eight_consumers_see_whole_frames_in_order_while_the_provider_grows(key, spawn):
    probes = [spawn(PROGRAMS / "probe.py", key, program=sys.executable) for _ in range(8)]
    for probe in probes:
        assert probe.line() == "watching"
    sizes = [(160, 120), (320, 240), (640, 480), (1280, 960)]
    total = 0
    seen: list[list[dict[str, str]]] = []
    with Publisher(key, RAW) as publisher:
        for width, height in sizes:
            for image, _ in moving_pattern(width, height, 100.0, 15):
                total += 1
                assert publisher.publish(image).generation == total  # never fails
                time.sleep(0.01)
        for probe in probes:
            frames = [probe.fields(timeout=10)]
            while int(frames[-1]["generation"]) < total:
                frames.append(probe.fields(timeout=10))
            seen.append(frames)
            probe.stop()
        # The lock came through it all in one piece: free (1), neither lost (0) nor doubled (2).
        assert _semaphore_value(key) == 1
    for frames in seen:
        generations = [int(f["generation"]) for f in frames]
        assert generations == sorted(set(generations))
        for f in frames:
            generation = int(f["generation"])
            assert (int(f["width"]), int(f["height"])) == sizes[(generation - 1) // 15]
            assert f["corners"] == str((generation - 1) % 15), "a torn or mixed frame"


def test_segment_and_lock_are_owner_only(key):
    with Publisher(key) as publisher:
        publisher.publish(photo_like(10, 10))
        segment_key, lock_key = system_v_keys(key)
        shm = subprocess.run(["ipcs", "-m"], capture_output=True, text=True).stdout
        sem = subprocess.run(["ipcs", "-s"], capture_output=True, text=True).stdout
        row = next(line.split() for line in shm.splitlines() if line.startswith(hex(segment_key)))
        assert row[3] == "600"
        sem_rows = [line.split() for line in sem.splitlines() if line.startswith("0x")]
        ours = [r for r in sem_rows if int(r[0], 16) == lock_key]
        assert ours and ours[0][3] == "600"
    assert segment_status(key) is None and not key_file(key).exists()


def _semaphore_value(key: str) -> int:
    semid = next(
        int(row.split()[1])
        for row in subprocess.run(["ipcs", "-s"], capture_output=True, text=True).stdout.splitlines()
        if row.startswith("0x") and int(row.split()[0], 16) == system_v_keys(key)[1]
    )
    detail = subprocess.run(["ipcs", "-s", "-i", str(semid)], capture_output=True, text=True).stdout
    return int(detail.strip().splitlines()[-1].split()[1])


def test_consumer_window_says_the_provider_is_gone_and_follows_the_next(qtbot, key, spawn, tmp_path):
    window = ConsumerWindow(key)
    qtbot.addWidget(window)
    window.watch_box.setChecked(True)
    first = spawn("shareimg.provider", "--headless", "--pattern", "80x60", "--fps", "30", "--key", key)
    first.fields()
    qtbot.waitUntil(lambda: window.image_view.has_image, timeout=10_000)
    first.stop(signal.SIGKILL)
    qtbot.waitUntil(lambda: "is gone" in window.message.text(), timeout=10_000)
    assert f"(pid {first.pid})" in window.message.text() and "last one read" in window.message.text()
    assert window.image_view.has_image

    image = tmp_path / "next.png"
    photo_like(90, 70).save(str(image))
    spawn("shareimg.provider", image, "--headless", "--key", key).fields()
    qtbot.waitUntil(lambda: window.shared is not None and window.shared.image.width() == 90, timeout=10_000)
    assert same_pixels(window.shared.image, QImage(str(image)))
    window.close()


def test_sharing_an_8k_image_keeps_the_provider_window_responsive(qtbot, key, tmp_path):
    """Reading, encoding and copying 130 MB happen off the GUI thread, and without Python's global lock."""
    big = QImage(7680, 4320, QImage.Format.Format_ARGB32)
    big.fill(0xFF336699)
    path = tmp_path / "8k.png"
    writer = QImageWriter(str(path))
    writer.setQuality(100)  # quick to write; reading it back is the same work for the window
    assert writer.write(big)
    window = ProviderWindow(key)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.published, timeout=30_000):
        window.share_file(path)
        worst = worst_event_delay_ms(qtbot, 1000)
    assert worst < 150, f"the window did not answer for {worst} ms"
    window.close()
