"""Our apps against a real C++ Qt program (Qt 5.15 and Qt 6), both ways, pixel-exact."""

from __future__ import annotations

import signal
import time

import pytest
from foreign import ForeignSegment
from images import in_format, photo_like, same_pixels
from processes import run, run_program
from PySide6.QtGui import QImage
from responsiveness import worst_event_delay_ms

from shareimg import segment_status
from shareimg.consumer.window import ConsumerWindow
from shareimg.provider.window import ProviderWindow

Format = QImage.Format

# What users share: a photo (no alpha), one with alpha, grey, palette and 16-bit images.
FORMATS = {
    "rgb": Format.Format_RGB32,
    "alpha": Format.Format_ARGB32,
    "grayscale8": Format.Format_Grayscale8,
    "indexed8": Format.Format_Indexed8,
    "rgba64": Format.Format_RGBA64,
}

# Exit codes of peer.cpp.
CANNOT_ATTACH, NULL_IMAGE = 3, 4


@pytest.fixture(params=list(FORMATS), ids=list(FORMATS))
def image_file(request, tmp_path):
    path = tmp_path / f"{request.param}.png"
    assert in_format(FORMATS[request.param], 96, 64).save(str(path))
    return path


def _read_with_peer(cpp_peer, key, out):
    result = run_program([cpp_peer, "read", out, "--key", key])
    assert result.returncode == 0, result.stderr
    return QImage(str(out))


def test_our_provider_to_cpp_reader(cpp_peer, key, spawn, image_file, tmp_path):
    spawn("shareimg.provider", image_file, "--key", key, "--headless").fields()
    received = _read_with_peer(cpp_peer, key, tmp_path / "out.png")
    assert same_pixels(received, QImage(str(image_file)))


def test_cpp_writer_to_our_consumer_cli(cpp_peer, key, spawn, image_file, tmp_path):
    writer = spawn("write", image_file, "--key", key, program=cpp_peer)
    assert writer.fields()["event"] == "ready"
    out = tmp_path / "out.png"
    result = run("shareimg.consumer", "--key", key, "--headless", "--output", out)
    assert result.returncode == 0, result.stderr
    assert "codec=qt" in result.stdout
    assert same_pixels(QImage(str(out)), QImage(str(image_file)))
    assert writer.stop() == 0


def test_cpp_writer_to_our_consumer_window(cpp_peer, key, spawn, qtbot, tmp_path):
    source = tmp_path / "alpha.png"
    photo_like(200, 150, seed=4).save(str(source))
    spawn("write", source, "--key", key, program=cpp_peer).fields()
    window = ConsumerWindow(key)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.displayed, timeout=10_000) as displayed:
        window.display_button.click()
    assert displayed.args[0].metadata is None  # a C++ segment: no trailer
    assert same_pixels(displayed.args[0].image, QImage(str(source)))
    assert "200×150" in window.status_line.text()
    window.close()


def test_our_provider_replaces_with_a_larger_image(cpp_peer, key, qtbot, tmp_path):
    small, large = tmp_path / "small.png", tmp_path / "large.png"
    photo_like(64, 48, seed=1).save(str(small))
    photo_like(640, 480, seed=2).save(str(large))
    window = ProviderWindow(key)
    qtbot.addWidget(window)
    for path in (small, large):
        with qtbot.waitSignal(window.published, timeout=10_000):
            window.share_file(path)
        received = _read_with_peer(cpp_peer, key, tmp_path / "out.png")
        assert same_pixels(received, QImage(str(path)))
    window.close()
    assert segment_status(key) is None


def test_a_slow_cpp_writer_is_waited_for_and_the_window_stays_responsive(cpp_peer, key, spawn, qtbot, tmp_path):
    source = tmp_path / "slow.png"
    photo_like(300, 200, seed=6).save(str(source))
    writer = spawn("write", source, "--key", key, "--hold-ms", "1500", program=cpp_peer)
    assert writer.line() == "locked"  # half the image is in the segment, the lock held

    window = ConsumerWindow(key)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.displayed, timeout=10_000) as displayed:
        window.display_button.click()
        # While the read waits for the lock, the GUI thread keeps serving events.
        worst = worst_event_delay_ms(qtbot, duration_ms=800)
    assert worst < 100, f"the window did not answer for {worst} ms"
    assert writer.fields()["event"] == "ready"
    assert same_pixels(displayed.args[0].image, QImage(str(source)))  # all of it, not half
    window.close()


def test_our_cli_waits_for_a_slow_cpp_writer(cpp_peer, key, spawn, tmp_path):
    source = tmp_path / "slow.png"
    photo_like(120, 90, seed=8).save(str(source))
    writer = spawn("write", source, "--key", key, "--hold-ms", "700", program=cpp_peer)
    assert writer.line() == "locked"
    started = time.monotonic()
    out = tmp_path / "out.png"
    result = run("shareimg.consumer", "--key", key, "--headless", "--output", out)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started > 0.3  # it waited for the lock
    assert same_pixels(QImage(str(out)), QImage(str(source)))


def test_our_provider_reclaims_a_killed_cpp_writers_segment(cpp_peer, key, spawn, tmp_path):
    theirs, ours = tmp_path / "theirs.png", tmp_path / "ours.png"
    photo_like(80, 60, seed=1).save(str(theirs))
    photo_like(100, 70, seed=2).save(str(ours))
    writer = spawn("write", theirs, "--key", key, program=cpp_peer)
    writer.fields()
    writer.stop(signal.SIGKILL)
    assert segment_status(key).attached == 0  # stale

    spawn("shareimg.provider", ours, "--key", key, "--headless").fields()
    received = _read_with_peer(cpp_peer, key, tmp_path / "out.png")
    assert same_pixels(received, QImage(str(ours)))


def test_cpp_reader_exit_codes(cpp_peer, key, tmp_path):
    out = tmp_path / "unused.png"
    assert run_program([cpp_peer, "read", out, "--key", key]).returncode == CANNOT_ATTACH
    null_image = ForeignSegment(key, b"\x00\x00\x00\x00")  # QDataStream << QImage() writes this
    try:
        assert run_program([cpp_peer, "read", out, "--key", key]).returncode == NULL_IMAGE
    finally:
        null_image.close()
