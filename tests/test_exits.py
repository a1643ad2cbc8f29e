"""Every way out: a stream that fails at once, what a stream announces, and errors while a window closes."""

from __future__ import annotations

import struct
import subprocess
import sys
import time

import pytest
from processes import PROGRAMS, python_module, run_program

from shareimg import read_shared, segment_status
from shareimg.provider.streams import pattern_index
from shareimg.transport.keys import key_files

# A GIF's header and screen descriptor, and nothing else: Qt calls it an animation, then reads no frame.
HEADER_ONLY_GIF = b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0, 0, 0)


def test_an_animation_without_frames_exits_5_every_time(key, tmp_path):
    """The player fails before the event loop has started: that quit must not be lost (it was, 1 run in 4)."""
    assert len(HEADER_ONLY_GIF) == 13
    path = tmp_path / "header-only.gif"
    path.write_bytes(HEADER_ONLY_GIF)
    for attempt in range(20):
        try:
            result = run_program(python_module("shareimg.provider", path, "--key", key, "--headless"), timeout=5)
        except subprocess.TimeoutExpired:
            pytest.fail(f"run {attempt + 1} of 20 did not exit within 5 s")
        assert result.returncode == 5, result.stderr
        assert result.stdout == ""  # neither "streaming" nor "published": nothing was shared
        assert result.stderr.count("\n") == 1 and f"cannot load '{path}'" in result.stderr
        assert segment_status(key) is None and not key_files(key)


def test_streaming_is_announced_once_the_first_frame_is_readable(key, spawn):
    provider = spawn("shareimg.provider", "--pattern", "64x64", "--fps", "50", "--frames", "10", "--headless",
                     "--key", key)  # fmt: skip
    announced = provider.fields()
    shared = read_shared(key)  # at once: a script that waited for the line may read
    assert announced == {
        "event": "streaming",
        "key": key,
        "width": "64",
        "height": "64",
        "codec": "qt",
        "pid": str(provider.pid),
    }
    generation = shared.metadata.generation
    assert generation >= 1
    assert pattern_index(shared.image, 0, 0) == generation - 1  # a frame of this stream, whole
    deadline = time.monotonic() + 10
    while generation < 10 and time.monotonic() < deadline:
        time.sleep(0.02)
        generation = read_shared(key).metadata.generation
    assert generation == 10  # and the last frame stays shared
    assert provider.stop() == 0
    assert provider.fields() == {"event": "stopped", "key": key, "frames": "10"}


def test_an_error_while_the_consumer_window_closes_leaves_the_watch_thread_stopped(key, spawn):
    """One line for the error, exit code 1; no second traceback from a watch thread left running."""
    spawn("shareimg.provider", "--pattern", "80x60", "--fps", "60", "--headless", "--key", key).fields()
    consumer = spawn(PROGRAMS / "closing_fails.py", "--watch", "--key", key, program=sys.executable)
    deadline = time.monotonic() + 30
    while _attached(key) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _attached(key) == 2, "the consumer window did not start watching"
    time.sleep(0.3)  # frames flowing into the window
    assert consumer.stop() == 1
    errors = consumer.popen.stderr.read()
    assert errors.startswith("shareimg-consumer: unexpected error: ") and errors.count("\n") == 1, errors
    assert "injected: the window failed to close" in errors


def _attached(key: str) -> int:
    status = segment_status(key)
    return status.attached if status else 0


@pytest.mark.parametrize("display", ["", ":987"], ids=["no-display-set", "a-display-nobody-serves"])
@pytest.mark.parametrize("program", ["shareimg.provider", "shareimg.consumer", "shareimg.provider.demo"])
def test_a_window_without_a_display_exits_9_with_one_line(key, program, display, monkeypatch, tmp_path):
    """Without a display, and no platform chosen, Qt aborts the process (and the demo said 0)."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # no Wayland socket there
    if display:
        monkeypatch.setenv("DISPLAY", display)
    result = run_program(python_module(program, "--key", key), timeout=30)
    assert result.returncode == 9, result.stderr
    assert result.stderr.count("\n") == 1 and "no display to open a window on" in result.stderr, result.stderr
    assert (f"no X server answers DISPLAY '{display}'" if display else "DISPLAY and WAYLAND_DISPLAY") in result.stderr
    assert "xvfb-run" in result.stderr and ("--headless" in result.stderr) == (program != "shareimg.provider.demo")
    assert segment_status(key) is None and not key_files(key)
