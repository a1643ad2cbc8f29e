"""The real windows, driven with qtbot: buttons clicked, file dialog answered, what they show checked."""

from __future__ import annotations

import pytest
from dialogs import answer_file_dialog
from images import photo_like, same_pixels
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from shareimg import Publisher, read_shared, segment_status
from shareimg.consumer.window import ConsumerWindow
from shareimg.provider.window import ProviderWindow


@pytest.fixture
def images(tmp_path):
    paths = {}
    for name, (w, h, seed) in {"first": (160, 120, 1), "larger": (640, 360, 2)}.items():
        paths[name] = tmp_path / f"{name}.png"
        assert photo_like(w, h, seed=seed).save(str(paths[name]))
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    paths["broken"] = tmp_path / "broken.png"
    return paths


@pytest.fixture
def provider_window(qtbot, key):
    window = ProviderWindow(key)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


def test_provider_button_loads_shows_and_shares(qtbot, provider_window, images, key):
    with qtbot.waitSignal(provider_window.published, timeout=10_000) as published:
        qtbot.mouseClick(provider_window.load_button, Qt.MouseButton.LeftButton)
        answer_file_dialog(qtbot, provider_window, images["first"])
    assert published.args[0].width == 160
    assert "160×120" in provider_window.status_line.text()
    assert f"key '{key}'" in provider_window.status_line.text()
    assert "bytes shared" in provider_window.status_line.text()
    shown = provider_window.image_view.shown_size()
    assert not shown.isEmpty()
    # Scaled to fit, aspect kept (4:3 within a pixel).
    assert abs(shown.width() * 3 - shown.height() * 4) <= 4
    assert same_pixels(read_shared(key).image, QImage(str(images["first"])))


def test_provider_replaces_with_a_larger_image_and_keeps_it_on_a_bad_file(qtbot, provider_window, images, key):
    for name in ("first", "larger"):
        with qtbot.waitSignal(provider_window.published, timeout=10_000):
            provider_window.load_button.click()
            answer_file_dialog(qtbot, provider_window, images[name])
    assert same_pixels(read_shared(key).image, QImage(str(images["larger"])))

    with qtbot.waitSignal(provider_window.failed, timeout=10_000) as failed:
        provider_window.load_button.click()
        answer_file_dialog(qtbot, provider_window, images["broken"])
    assert "cannot load" in failed.args[0]
    assert "broken.png" in provider_window.message.text()
    assert "still shared" in provider_window.message.text()
    assert provider_window.load_button.isEnabled()
    assert same_pixels(read_shared(key).image, QImage(str(images["larger"])))


def test_cancelled_file_dialog_changes_nothing(qtbot, provider_window, key):
    before = provider_window.message.text()
    provider_window.load_button.click()
    answer_file_dialog(qtbot, provider_window, None)
    qtbot.wait(50)
    assert provider_window.message.text() == before
    assert segment_status(key) is None


def test_closing_the_provider_window_detaches(qtbot, provider_window, images, key):
    with qtbot.waitSignal(provider_window.published, timeout=10_000):
        provider_window.share_file(images["first"])
    assert segment_status(key) is not None
    provider_window.close()
    assert segment_status(key) is None


def test_provider_window_resize_rescales(qtbot, provider_window, images):
    with qtbot.waitSignal(provider_window.published, timeout=10_000):
        provider_window.share_file(images["larger"])
    provider_window.resize(400, 300)  # smaller than the image: fitted, shrunk
    qtbot.waitUntil(lambda: provider_window.image_view.shown_size().width() < 640, timeout=5_000)
    before = provider_window.image_view.shown_size().width()
    provider_window.resize(provider_window.width() + 300, provider_window.height() + 300)
    qtbot.waitUntil(lambda: provider_window.image_view.shown_size().width() > before, timeout=5_000)


@pytest.fixture
def consumer_window(qtbot, key):
    window = ConsumerWindow(key)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


def test_consumer_button_reads_from_a_provider_process(qtbot, consumer_window, spawn, images, key):
    provider = spawn("shareimg.provider", images["first"], "--key", key, "--headless")
    provider.fields()
    with qtbot.waitSignal(consumer_window.displayed, timeout=10_000) as displayed:
        qtbot.mouseClick(consumer_window.display_button, Qt.MouseButton.LeftButton)
    assert same_pixels(displayed.args[0].image, QImage(str(images["first"])))
    assert consumer_window.image_view.has_image
    assert "160×120" in consumer_window.status_line.text()
    assert "qt codec" in consumer_window.status_line.text()


def test_consumer_says_when_nothing_is_shared(qtbot, consumer_window, key):
    with qtbot.waitSignal(consumer_window.failed, timeout=10_000):
        consumer_window.display_button.click()
    assert f"Nothing is shared under key '{key}' yet" in consumer_window.message.text()
    assert not consumer_window.image_view.has_image


def test_consumer_keeps_the_last_image_when_the_provider_leaves(qtbot, consumer_window, key):
    image = photo_like(90, 60)
    with Publisher(key) as publisher:
        publisher.publish(image)
        with qtbot.waitSignal(consumer_window.displayed, timeout=10_000):
            consumer_window.display_button.click()
    with qtbot.waitSignal(consumer_window.failed, timeout=10_000):
        consumer_window.display_button.click()
    assert consumer_window.image_view.has_image
    assert "last one read" in consumer_window.message.text()
