"""The windows under a stream: a guard that they keep up (not a timing target: see make bench), a steps panel
that stays the same size however many frames pass, and a status bar that says when frames stop."""

from __future__ import annotations

import re

from images import photo_like

from shareimg import RAW, Publisher
from shareimg.consumer.window import ConsumerWindow
from shareimg.provider.streams import moving_pattern
from shareimg.provider.window import ProviderWindow
from shareimg.qt.steplog import REPEATS, STEP


def _consumer(qtbot, key: str, steps_shown: bool) -> ConsumerWindow:
    window = ConsumerWindow(key)
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.show()
    window.steps_dock.setVisible(steps_shown)
    return window


def _steps(model) -> dict[str, str]:
    """Each step's name and its count and mean, as the panel shows them."""
    return {model.index(row, STEP).data(): model.index(row, REPEATS).data() for row in range(model.rowCount())}


def test_a_watching_window_shows_most_frames_of_a_30_fps_stream(qtbot, key, spawn):
    spawn(
        "shareimg.provider", "--headless", "--pattern", "640x480", "--fps", "30", "--codec", "raw", "--key", key
    ).fields()
    window = _consumer(qtbot, key, steps_shown=True)
    painted: list[int] = []
    window.image_view.frame_painted.connect(lambda shared: painted.append(shared.metadata.generation))
    window.watch_box.setChecked(True)
    qtbot.waitUntil(lambda: len(painted) > 0, timeout=10_000)
    first = len(painted)
    qtbot.wait(3000)
    shown = painted[first:]
    assert len(shown) >= 45, f"painted {len(shown)} of about 90 frames in 3 s"
    assert shown == sorted(set(shown))  # in order, each once
    assert re.search(r" · [1-9]\d* fps · \d+ dropped · latency \d+\.\d ms$", window.status_line.text())
    window.close()


def test_the_steps_panels_stay_bounded_over_1000_frames(qtbot, key):
    provider = ProviderWindow(key, RAW)
    qtbot.addWidget(provider)
    provider.show()
    provider.steps_dock.show()
    consumer = _consumer(qtbot, key, steps_shown=True)
    consumer.watch_box.setChecked(True)
    provider.play(moving_pattern(64, 48, 500, frames=1000), "pattern")
    qtbot.waitUntil(lambda: (_steps(provider.steps_model).get("copy") or "").startswith("×1,000 · "), timeout=20_000)
    qtbot.waitUntil(lambda: bool(consumer.shared and consumer.shared.metadata.generation == 1000), timeout=10_000)
    consumer.watch_box.setChecked(False)  # the stream's rows show their final counts
    for model in (provider.steps_model, consumer.steps_model):
        assert model.rowCount() <= 8, _steps(model)
    # A raw stream goes through the ring: slots are pinned by readers, so the provider takes no lock.
    assert set(_steps(provider.steps_model)) == {"setKey", "create", "copy"}
    read = _steps(consumer.steps_model)["read"]
    assert re.fullmatch(r"×[\d,]+ · mean \d+\.\d\d ms", read)
    consumer.close()
    provider.close()


def test_a_hidden_steps_panel_only_counts(qtbot, key):
    window = _consumer(qtbot, key, steps_shown=False)
    with Publisher(key, RAW) as publisher:
        publisher.publish(photo_like(32, 24))
        window.watch_box.setChecked(True)
        qtbot.waitUntil(lambda: window.shared is not None, timeout=10_000)
        for _ in range(20):
            publisher.publish(photo_like(32, 24))
            qtbot.wait(20)
        assert window.steps_model.rowCount() == 0  # counted, not shown
        window.steps_dock.show()
        qtbot.waitUntil(lambda: "read" in _steps(window.steps_model), timeout=5_000)
        assert _steps(window.steps_model)["attach"].startswith("×1 ·")
        window.close()


def test_the_status_bar_says_when_frames_stop(qtbot, key):
    window = _consumer(qtbot, key, steps_shown=False)
    image = photo_like(32, 24)
    with Publisher(key, RAW) as publisher:
        publisher.publish(image)
        window.watch_box.setChecked(True)
        for _ in range(30):
            publisher.publish(image)
            qtbot.wait(30)
        assert re.search(r" · [1-9]\d* fps · \d+ dropped · latency \d+\.\d ms$", window.status_line.text())
        # No new frame from now on: within about a second the rate is 0 and there is no latency.
        stopped = re.compile(r" · 0 fps · \d+ dropped · latency –$")
        qtbot.waitUntil(lambda: bool(stopped.search(window.status_line.text())), timeout=3_000)
        window.close()
