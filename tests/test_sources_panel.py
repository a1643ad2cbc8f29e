"""The consumer window's Sources panel and menu, driven with qtbot, over real provider processes."""

from __future__ import annotations

import threading
import time

import pytest
from images import photo_like, same_pixels
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage

from shareimg.consumer import thumbnails
from shareimg.consumer.source_rows import CURRENT_ROLE
from shareimg.consumer.sources_panel import THUMBNAIL
from shareimg.consumer.thumbnails import make_thumbnail
from shareimg.consumer.window import ConsumerWindow
from shareimg.discovery import announcements
from shareimg.provider.window import ProviderWindow


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def made_on(monkeypatch):
    """The threads thumbnails are scaled on."""
    threads: list[threading.Thread] = []
    scale = thumbnails.make_thumbnail

    def recording(image, size):
        threads.append(threading.current_thread())
        return scale(image, size)

    monkeypatch.setattr(thumbnails, "make_thumbnail", recording)
    return threads


@pytest.fixture
def own_tmpdir(tmp_path, monkeypatch):
    """A $TMPDIR of the test's own: the panel lists only the test's providers, not a demo someone runs."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))


@pytest.fixture
def window(own_tmpdir, qtbot, key, settings, made_on):
    window = ConsumerWindow(key, settings)
    qtbot.addWidget(window)
    window.show()
    window.sources_dock.show()
    yield window
    window.close()


def _rows(window) -> dict[str, str]:
    """Key -> the row's text, as shown."""
    dock = window.sources_dock
    return {dock.model.item(row).data(Qt.ItemDataRole.UserRole + 1): dock.model.item(row).text()
            for row in range(dock.model.rowCount())}  # fmt: skip


def _row_picture(window, key: str) -> QImage:
    dock = window.sources_dock
    icon = dock.model.item(dock.row_of(key)).icon()
    return icon.pixmap(THUMBNAIL).toImage().convertToFormat(QImage.Format.Format_ARGB32)


def _expected_picture(path) -> QImage:
    return make_thumbnail(QImage(str(path)), THUMBNAIL).convertToFormat(QImage.Format.Format_ARGB32)


def test_the_panel_lists_the_sources_and_a_double_click_shows_one(qtbot, window, keys, spawn, tmp_path, made_on):
    names = sorted(keys() for _ in range(3))
    paths = {}
    for seed, name in enumerate(names, 1):
        paths[name] = tmp_path / f"image{seed}.png"
        assert photo_like(160 + 16 * seed, 90, seed=seed).save(str(paths[name]))
        spawn("shareimg.provider", paths[name], "--key", name, "--headless", "--title", f"Camera {seed}").fields()
    qtbot.waitUntil(lambda: set(names) <= _rows(window).keys(), timeout=1000)
    rows = _rows(window)
    assert rows[names[1]] == f"Camera 2\n{names[1]} · 192×90 · still"  # title, then key, size and rate
    for name in names:  # each row shows its own source's picture
        qtbot.waitUntil(lambda name=name: _row_picture(window, name) == _expected_picture(paths[name]), timeout=3000)
    assert made_on and threading.main_thread() not in made_on, "scaled on the GUI thread"

    view = window.sources_dock.view
    index = window.sources_dock.model.index(window.sources_dock.row_of(names[1]), 0)
    with qtbot.waitSignal(window.displayed, timeout=10_000) as displayed:
        where = view.visualRect(index).center()
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a double-click's first press
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert window.key == names[1]
    assert same_pixels(displayed.args[0].image, QImage(str(paths[names[1]])))
    assert window.windowTitle() == f"Camera 2 — shareimg consumer — key '{names[1]}'"
    assert window.sources_dock.model.item(index.row()).data(CURRENT_ROLE)  # marked: the source shown

    view.setCurrentIndex(window.sources_dock.model.index(window.sources_dock.row_of(names[2]), 0))
    with qtbot.waitSignal(window.displayed, timeout=10_000) as displayed:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert window.key == names[2] and "Camera 3" in window.windowTitle()
    assert same_pixels(displayed.args[0].image, QImage(str(paths[names[2]])))


def test_the_sources_menu_lists_the_same_sources(qtbot, window, keys, spawn, tmp_path):
    names = sorted(keys() for _ in range(2))
    path = tmp_path / "image.png"
    photo_like(40, 30).save(str(path))
    for name in names:
        spawn("shareimg.provider", path, "--key", name, "--headless", "--title", f"T&{name}").fields()
    qtbot.waitUntil(lambda: set(names) <= _rows(window).keys(), timeout=1000)
    menu = window.sources_dock.menu
    assert menu in [action.menu() for action in window.menuBar().actions()]
    menu.aboutToShow.emit()
    texts = [action.text() for action in menu.actions() if not action.isSeparator()]
    assert texts[:2] == [f"T&&{name} — {name}" for name in names]  # & shown, not an accelerator
    with qtbot.waitSignal(window.displayed, timeout=10_000):
        menu.actions()[1].trigger()
    assert window.key == names[1] and window.watch_box.isChecked()
    menu.aboutToShow.emit()
    assert menu.actions()[1].isChecked() and not menu.actions()[0].isChecked()


def test_the_panel_follows_providers_starting_and_stopping_within_a_second(qtbot, window, key, spawn, tmp_path):
    path = tmp_path / "image.png"
    photo_like(40, 30).save(str(path))
    assert window.sources_dock.empty.isVisible()  # nothing yet: it says so
    provider = spawn("shareimg.provider", path, "--key", key, "--headless")
    provider.fields()
    ready = time.monotonic()
    qtbot.waitUntil(lambda: key in _rows(window), timeout=1000)
    assert time.monotonic() - ready < 1.0
    assert window.windowTitle() == f"image.png — shareimg consumer — key '{key}'"  # the window's own key
    assert not window.sources_dock.empty.isVisible()

    assert provider.stop() == 0
    stopped = time.monotonic()
    qtbot.waitUntil(lambda: key not in _rows(window), timeout=1000)
    assert time.monotonic() - stopped < 1.0
    assert window.windowTitle() == f"shareimg consumer — key '{key}'"


def test_live_pictures_and_rates_are_refreshed_about_once_a_second(qtbot, window, key, spawn):
    spawn("shareimg.provider", "--pattern", "64x48", "--fps", "20", "--key", key, "--headless").fields()
    qtbot.waitUntil(lambda: key in _rows(window) and "fps" in _rows(window)[key], timeout=3000)
    first = _row_picture(window, key)
    qtbot.waitUntil(lambda: _row_picture(window, key) != first, timeout=2500)  # the pattern moved


def test_the_provider_window_title_follows_what_is_shared(qtbot, keys, settings, tmp_path):
    key, fixed = keys(), keys()
    providers = [ProviderWindow(key, settings=settings), ProviderWindow(fixed, settings=settings, title="Fixed")]
    consumers = [ConsumerWindow(key, settings), ConsumerWindow(fixed, settings)]
    for window in providers + consumers:
        qtbot.addWidget(window)
    path = tmp_path / "holiday.png"
    photo_like(30, 20).save(str(path))
    try:
        for provider in providers:
            with qtbot.waitSignal(provider.published, timeout=10_000):
                provider.share_file(path)
        qtbot.waitUntil(lambda: consumers[0].windowTitle().startswith("holiday.png — "), timeout=1000)
        qtbot.waitUntil(lambda: consumers[1].windowTitle().startswith("Fixed — "), timeout=1000)  # --title stays
        with qtbot.waitSignal(providers[0].published, timeout=10_000):
            providers[0].share_image(photo_like(10, 10), "the clipboard image", "pasted image")
        qtbot.waitUntil(lambda: consumers[0].windowTitle().startswith("pasted image — "), timeout=1000)
        with qtbot.waitSignal(providers[0].stopped, timeout=10_000):
            providers[0].stop_action.trigger()
        assert not [entry for entry in announcements.entries() if entry.key == key], "Stop Sharing withdraws"
        qtbot.waitUntil(lambda: consumers[0].windowTitle() == f"shareimg consumer — key '{key}'", timeout=1000)
    finally:
        for window in providers + consumers:
            window.close()


def test_the_panel_says_when_sources_cannot_be_listed(qtbot, key, settings, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    announcements.directory().symlink_to(tmp_path)  # not a directory of this user's own
    window = ConsumerWindow(key, settings)
    qtbot.addWidget(window)
    window.show()
    window.sources_dock.show()
    assert window.sources_dock.error.isVisible()
    assert "not a directory of this user" in window.sources_dock.error.text()
    assert not window.sources_dock.empty.isVisible()
    window.close()


def test_the_selection_follows_the_source_shown_and_clears_when_it_goes(qtbot, window, keys, spawn, tmp_path):
    """A source that stops sharing took the selection to its neighbour, which the window did not show."""
    names = sorted(keys() for _ in range(3))
    path = tmp_path / "image.png"
    photo_like(40, 30).save(str(path))
    providers = {name: spawn("shareimg.provider", path, "--key", name, "--headless") for name in names}
    for process in providers.values():
        process.fields()
    qtbot.waitUntil(lambda: set(names) <= _rows(window).keys(), timeout=1000)
    view, dock = window.sources_dock.view, window.sources_dock

    def selected() -> list[str]:
        return [dock.model.itemFromIndex(index).data(Qt.ItemDataRole.UserRole + 1) for index in view.selectedIndexes()]

    with qtbot.waitSignal(window.displayed, timeout=10_000):
        window.sources_dock.chosen.emit(names[1])  # as the Sources menu chooses
    assert selected() == [names[1]]  # the source shown
    providers[names[1]].stop()
    qtbot.waitUntil(lambda: names[1] not in _rows(window), timeout=5000)
    assert window.key == names[1]  # still showing the last image of the source gone
    assert selected() == [] and not view.currentIndex().isValid()
    with qtbot.waitSignal(window.displayed, timeout=10_000):
        view.setCurrentIndex(dock.model.index(dock.row_of(names[2]), 0))
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert selected() == [names[2]]
