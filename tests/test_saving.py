"""Open and Save As on a home without Pictures: a folder that exists, no folder's name as a file name, and
a failed save that says why, cleared by the next one that works (issue 22, 2)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from dialogs import answer_file_dialog, open_dialog
from images import photo_like, same_pixels
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QLineEdit

from shareimg import Publisher


@pytest.fixture
def bare_home(tmp_path, monkeypatch) -> Path:
    """A HOME with nothing in it: no Pictures, as on a fresh account or in a container."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


def _name_field(dialog: QFileDialog) -> str:
    return dialog.findChild(QLineEdit, "fileNameEdit").text()


def _shown(qtbot, consumer, key: str) -> QImage:
    image = photo_like(40, 30, seed=7)
    with Publisher(key) as publisher:
        publisher.publish(image)
        with qtbot.waitSignal(consumer.displayed, timeout=10_000):
            consumer.display_button.click()
    return image


def test_open_proposes_home_when_there_is_no_pictures_folder_and_fills_in_no_name(qtbot, provider, bare_home):
    provider.load_from_file()
    dialog = open_dialog(qtbot, provider)
    assert dialog.directory().absolutePath() == str(bare_home)
    assert _name_field(dialog) == ""  # not "Pictures"
    dialog.reject()


def test_a_vanished_folder_falls_back_to_home_then_to_pictures_once_it_exists(
    qtbot, provider, bare_home, settings, tmp_path
):
    gone = tmp_path / "gone"
    gone.mkdir()
    settings.setValue("folder", str(gone))
    shutil.rmtree(gone)
    for proposed in (bare_home, bare_home / "Pictures"):
        provider.load_from_file()
        dialog = open_dialog(qtbot, provider)
        assert dialog.directory().absolutePath() == str(proposed)
        assert _name_field(dialog) == ""
        dialog.reject()
        (bare_home / "Pictures").mkdir(exist_ok=True)


def test_the_first_save_as_on_a_bare_home_saves_where_enter_says(qtbot, consumer, key, bare_home):
    image = _shown(qtbot, consumer, key)
    said = consumer.message.text()
    consumer.save_action.trigger()
    dialog = open_dialog(qtbot, consumer)
    assert dialog.directory().absolutePath() == str(bare_home)
    assert _name_field(dialog) == f"{key}.png"  # named after what is shown: no source here, so its key
    qtbot.keyClick(dialog.findChild(QLineEdit, "fileNameEdit"), Qt.Key.Key_Return)
    saved = bare_home / f"{key}.png"
    qtbot.waitUntil(saved.exists, timeout=5_000)
    assert same_pixels(QImage(str(saved)), image)
    assert consumer.message.text() == said
    consumer.save_action.trigger()
    dialog = open_dialog(qtbot, consumer)
    assert _name_field(dialog) == f"{key}-2.png"  # Enter again would not ask to replace the first
    dialog.reject()


def test_a_failed_save_says_why_and_a_later_save_clears_it(qtbot, consumer, key, bare_home):
    _shown(qtbot, consumer, key)
    said = consumer.message.text()
    consumer.save_action.trigger()
    answer_file_dialog(qtbot, consumer, bare_home / "picture.xyz")
    assert consumer.message.text().startswith(f"Error: cannot save the image to '{bare_home / 'picture.xyz'}': ")
    assert "Qt cannot write '.xyz' images: use one of " in consumer.message.text()
    assert ".png" in consumer.message.text()
    consumer.save_action.trigger()
    answer_file_dialog(qtbot, consumer, bare_home / "missing" / "picture.png")
    assert consumer.message.text() == (
        f"Error: cannot save the image to '{bare_home / 'missing' / 'picture.png'}': "
        f"the folder '{bare_home / 'missing'}' does not exist."
    )
    consumer.save_action.trigger()
    answer_file_dialog(qtbot, consumer, bare_home / "picture.png")
    assert (bare_home / "picture.png").exists()
    assert consumer.message.text() == said  # the failure is gone: what was said before it is back


def test_the_dialogs_offer_the_formats_qt_reads_and_writes(qtbot, provider, consumer, key, bare_home):
    """Open lists what Qt reads, Save As what it writes (the very list a failed save names): one list of each."""
    from shareimg.qt.saving import readable_formats, writable_formats

    provider.load_from_file()
    dialog = open_dialog(qtbot, provider)
    assert dialog.nameFilters()[0].endswith("(" + " ".join(f"*.{name}" for name in readable_formats()) + ")")
    assert "*.png" in dialog.nameFilters()[0]
    dialog.reject()
    _shown(qtbot, consumer, key)
    consumer.save_as()
    dialog = open_dialog(qtbot, consumer)
    assert dialog.nameFilters() == [f"{name.upper()} (*.{name})" for name in writable_formats()]
    dialog.reject()
