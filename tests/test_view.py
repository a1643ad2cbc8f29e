"""The consumer's image view: 100 % is pixel-exact and pans, a fitted frame is painted as prepared elsewhere,
and a still image is drawn smoothly scaled."""

from __future__ import annotations

import threading

import pytest
from images import photo_like
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage

from shareimg.consumer.feed import FrameFeed
from shareimg.qt.display import prepare
from shareimg.ui.image_view import SETTLE_MS, ImageView


@pytest.fixture
def view(qtbot):
    view = ImageView()
    qtbot.addWidget(view)
    view.resize(300, 200)
    view.show()
    qtbot.waitExposed(view)
    return view


def _painted(view: ImageView) -> QImage:
    return view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def _opaque(width: int, height: int) -> QImage:
    return photo_like(width, height).convertToFormat(QImage.Format.Format_RGB32)


def test_actual_size_is_pixel_exact_and_pans_with_the_mouse(qtbot, view):
    image = _opaque(640, 480)
    view.set_image(image)
    view.set_zoom(1.0)
    bars = view.horizontalScrollBar(), view.verticalScrollBar()
    assert (bars[0].maximum(), bars[1].maximum()) == (640 - 300, 480 - 200)
    x, y = bars[0].value(), bars[1].value()
    assert _painted(view) == image.copy(QRect(x, y, 300, 200))

    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=QPoint(150, 100))
    qtbot.mouseMove(viewport, QPoint(100, 60))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=QPoint(100, 60))
    assert (bars[0].value(), bars[1].value()) == (x + 50, y + 40)
    assert _painted(view) == image.copy(QRect(x + 50, y + 40, 300, 200))


def test_a_fitted_frame_is_painted_as_prepared_then_smoothly_when_the_stream_rests(qtbot, view):
    image = _opaque(1920, 1080)
    frame = view.prepare_frame(image)
    assert frame.size() == view.placement.shown_size(image.size())
    assert frame.width() == 300 and frame.format() == QImage.Format.Format_RGB32
    with qtbot.waitSignal(view.frame_painted) as painted:
        view.set_frame(image, frame, tag="frame 1")
    assert painted.args == ["frame 1"]
    top = (200 - frame.height()) // 2
    assert _painted(view).copy(QRect(0, top, 300, frame.height())) == frame

    still = prepare(image, view.placement)  # smooth: every source pixel counts
    assert still != frame
    qtbot.wait(SETTLE_MS + 100)
    assert _painted(view).copy(QRect(0, top, 300, frame.height())) == still


def test_the_watching_thread_prepares_each_frame(qtbot, view, spawn, key):
    spawn(
        "shareimg.provider", "--headless", "--pattern", "800x600", "--fps", "20", "--codec", "raw", "--key", key
    ).fields()
    threads = []

    def prepare_frame(image: QImage) -> QImage:
        threads.append(threading.current_thread().name)
        return view.prepare_frame(image)

    feed = FrameFeed(key, prepare=prepare_frame)
    try:
        with qtbot.waitSignal(feed.arrived, timeout=10_000):
            feed.start()
        frame, shown = feed.take()
    finally:
        feed.stop()
    assert frame.shared.image.width() == 800
    assert shown.size() == view.placement.shown_size(frame.shared.image.size())
    assert set(threads) == {"shareimg-watch"}
