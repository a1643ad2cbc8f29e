"""What a viewer is expected to do (issue 11, B 1-10), each point driven through the real windows."""

from __future__ import annotations

import os
import re
import signal
import time

import pytest
from dialogs import answer_file_dialog, open_dialog
from gif import animated_gif
from images import photo_like, same_pixels
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from shareimg import Publisher, read_shared
from shareimg.provider.window import ProviderWindow
from shareimg.qt.steplog import STEP, TIME
from shareimg.transport.segment import reclaim, segment_status
from shareimg.ui.key_dialog import KeyDialog
from shareimg.ui.translations import install_translator

# 1. Long text never widens a window.


def test_a_long_key_and_a_long_file_name_leave_the_windows_their_size(qtbot, provider, consumer, tmp_path, key):
    long_key = key + "-" + "k" * (100 - len(key) - 1)
    for window in (provider, consumer):
        before = window.width()
        assert window.change_key(long_key)
        qtbot.wait(50)
        assert window.width() == before and window.minimumSizeHint().width() < 600, window
    long_name = tmp_path / ("n" * 180 + ".png")
    assert photo_like(30, 20).save(str(long_name))
    with qtbot.waitSignal(provider.published, timeout=10_000):
        provider.share_file(long_name)
    qtbot.wait(50)
    assert long_name.name in provider.message.text()
    assert provider.width() == 640 and provider.minimumSizeHint().width() < 600
    provider.close()  # detaches from the long key
    assert segment_status(long_key) is None


# 2. Save As: PNG proposed, the extension added, the folder remembered.


def test_save_as_without_an_extension_writes_a_png_and_remembers_the_folder(qtbot, consumer, key, tmp_path, settings):
    image = photo_like(60, 40, seed=4)
    with Publisher(key) as publisher:
        publisher.publish(image)
        with qtbot.waitSignal(consumer.displayed, timeout=10_000):
            consumer.display_button.click()
    consumer.save_action.trigger()
    dialog = open_dialog(qtbot, consumer)
    assert dialog.selectedNameFilter() == "PNG (*.png)"
    answer_file_dialog(qtbot, consumer, tmp_path / "noext")
    saved = tmp_path / "noext.png"
    assert saved.exists() and bytes(saved.read_bytes()[:8]) == b"\x89PNG\r\n\x1a\n"
    assert same_pixels(QImage(str(saved)), image)
    assert settings.value("folder") == str(tmp_path)
    consumer.save_action.trigger()
    assert open_dialog(qtbot, consumer).directory().absolutePath() == str(tmp_path)
    answer_file_dialog(qtbot, consumer, None)


# 3. Fit never enlarges; transparency on a checkerboard.


def test_fit_shows_a_small_image_at_100_percent_on_a_checkerboard(qtbot, consumer, key):
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    with Publisher(key) as publisher:
        publisher.publish(image)
        with qtbot.waitSignal(consumer.displayed, timeout=10_000):
            consumer.display_button.click()
    view = consumer.image_view
    assert view.fitting and view.zoom() == pytest.approx(1.0)
    assert "100 %" in consumer.zoom_label.text()
    painted = view.viewport().grab().toImage()
    centre = view.viewport().rect().center()
    colours = {QColor(painted.pixel(centre.x() + dx, centre.y())).name() for dx in range(-16, 16)}
    assert colours == {"#ffffff", "#cccccc"}  # the squares show through


# 4. Change Key states the rule and checks the key as it is typed.


def test_key_dialog_refuses_an_invalid_key_as_it_is_typed(qtbot, consumer, key):
    dialog = consumer.ask_for_key()
    assert isinstance(dialog, KeyDialog) and "1 to 100 ASCII letters" in dialog.rule.text()
    assert dialog.ok_button.isEnabled()
    dialog.edit.setText("bad key!")
    assert not dialog.ok_button.isEnabled() and "invalid key" in dialog.problem.text()
    dialog.edit.setText(key + "-new")
    assert dialog.ok_button.isEnabled() and dialog.problem.text() == ""
    dialog.ok_button.click()
    assert consumer.key == key + "-new"


# 5. Window words; Change Key offered; retried once the key is free.


def test_a_taken_key_offers_change_key_and_shares_once_free(qtbot, provider, spawn, key, tmp_path):
    path = tmp_path / "first.png"
    photo_like(20, 20).save(str(path))
    other = spawn("shareimg.provider", path, "--key", key, "--headless")
    other.fields()
    image = photo_like(24, 24, seed=9)
    with qtbot.waitSignal(provider.failed, timeout=10_000):
        provider.share_image(image, "mine")
    text = provider.message.text()
    assert "Another program is already sharing" in text and "--key" not in text
    assert provider.change_key_button.isVisible()
    with qtbot.waitSignal(provider.published, timeout=15_000):
        other.stop()
    assert same_pixels(read_shared(key).image, image)
    assert not provider.change_key_button.isVisible() and "Sharing mine" in provider.message.text()


# 6. The consumer's menus and keys, its width, its Display button and its Details panel.


def test_consumer_menus_keys_and_a_narrow_window(qtbot, consumer, key, spawn, tmp_path):
    assert consumer.minimumSizeHint().width() < 600
    path = tmp_path / "shared.png"
    photo_like(300, 200).save(str(path))
    provider = spawn("shareimg.provider", path, "--key", key, "--headless")
    provider.fields()
    with qtbot.waitSignal(consumer.displayed, timeout=10_000):
        qtbot.keyClick(consumer, Qt.Key.Key_F5)
    consumer.actual_size()
    qtbot.keyClick(consumer.image_view, Qt.Key.Key_Plus)
    assert consumer.image_view.zoom() == pytest.approx(1.25)
    qtbot.keyClick(consumer.image_view, Qt.Key.Key_Minus)
    assert consumer.image_view.zoom() == pytest.approx(1.0)
    consumer.watch_action.trigger()
    assert consumer.watch_box.isChecked()
    consumer.watch_box.setChecked(False)
    assert not consumer.watch_action.isChecked()
    consumer.full_screen_action.trigger()
    assert consumer.windowState() & Qt.WindowState.WindowFullScreen
    consumer.full_screen_action.trigger()
    consumer.resize(1800, 900)
    qtbot.wait(50)
    assert consumer.display_button.width() <= consumer.display_button.sizeHint().width() + 2
    width = consumer.details.width()
    qtbot.waitUntil(lambda: "running" in consumer.details.fields["provider"].text(), timeout=5_000)
    provider.stop()
    qtbot.waitUntil(lambda: "gone" in consumer.details.fields["provider"].text(), timeout=5_000)
    assert consumer.details.width() == width


# 7. The provider: Stop Sharing, Share Again, animations in Open Recent, Paused.


def test_provider_stop_share_again_recent_animation_and_pause(qtbot, provider, key, tmp_path):
    assert not provider.stop_action.isEnabled() and not provider.again_action.isEnabled()
    assert provider.playback.button.text() == "Play" and not provider.playback.button.isEnabled()
    image = photo_like(20, 20, seed=3)
    with qtbot.waitSignal(provider.published, timeout=10_000):
        provider.share_image(image, "test")
    assert provider.stop_action.isEnabled()
    with qtbot.waitSignal(provider.stopped, timeout=10_000):
        provider.stop_action.trigger()
    assert not provider.stop_action.isEnabled() and provider.again_action.isEnabled()
    with qtbot.waitSignal(provider.published, timeout=10_000):
        provider.again_action.trigger()
    assert same_pixels(read_shared(key).image, image)

    gif = tmp_path / "moving.gif"
    gif.write_bytes(animated_gif(8, 8, [((255, 0, 0), 5), ((0, 0, 255), 5)]))
    with qtbot.waitSignal(provider.published, timeout=10_000):
        provider.share_file(gif)
    assert str(gif.resolve()) in provider.recent.paths()
    provider.playback.button.click()
    assert "Paused" in provider.message.text() and provider.playback.button.text() == "Play"
    provider.playback.button.click()
    assert "Playing" in provider.message.text()


# 8. The steps panel: a time column and Clear.


def test_steps_panel_has_times_and_clears(qtbot, provider):
    with qtbot.waitSignal(provider.published, timeout=10_000):
        provider.share_image(photo_like(10, 10), "test")
    model = provider.steps_model
    assert model.rowCount() == 5
    assert all(re.fullmatch(r"\d\d:\d\d:\d\d\.\d{3}", model.index(r, TIME).data()) for r in range(5))
    provider.steps_dock.clear_action.trigger()
    assert model.rowCount() == 0
    with qtbot.waitSignal(provider.published, timeout=10_000):
        provider.share_image(photo_like(10, 10), "again")
    assert [model.index(r, STEP).data() for r in range(model.rowCount())] == ["lock", "copy", "unlock"]


# 9. Chinese all the way: Qt's own dialogs and the library's errors.


@pytest.fixture
def all_chinese(qapp):
    assert install_translator(qapp, "zh_CN") == "zh_CN"
    yield
    from shareimg.ui import translations

    for translator in translations._installed:
        QCoreApplication.removeTranslator(translator)
    translations._installed.clear()


def test_chinese_file_dialog_and_library_errors(qtbot, key, settings, all_chinese, tmp_path):
    window = ProviderWindow(key, settings=settings)
    qtbot.addWidget(window)
    window.show()
    window.load_from_file()
    dialog = open_dialog(qtbot, window, QFileDialog)
    buttons = [b.text() for b in dialog.findChild(QDialogButtonBox).buttons()]
    assert any("打开" in text for text in buttons) and any("取消" in text for text in buttons), buttons
    dialog.reject()
    missing = tmp_path / "missing.png"
    with qtbot.waitSignal(window.failed, timeout=10_000):
        window.share_file(missing)
    assert window.message.text() == f"错误：无法加载 '{missing}'：没有这个文件。"
    window.close()


# 10. The demo shows a dying provider.


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as listed:
        return [int(child) for child in listed.read().split()]


def test_the_demos_consumer_outlives_a_killed_provider(key, spawn):
    demo = spawn("shareimg.provider.demo", "--key", key)
    deadline = time.monotonic() + 30
    while len(_children(demo.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    provider_pid, consumer_pid = _children(demo.pid)
    assert read_shared(key).metadata.pid == provider_pid
    os.kill(provider_pid, signal.SIGKILL)
    time.sleep(2)
    assert demo.popen.poll() is None, "the demo ended with its provider"
    assert consumer_pid in _children(demo.pid)
    assert demo.stop() == 0
    said = demo.popen.stderr.read()
    assert f"the provider (pid {provider_pid}) was killed by signal 9" in said
    reclaim(key)  # what the killed provider left behind
