"""The step-through mode: each button makes its Qt call on the real segment, across real processes."""

from __future__ import annotations

import os
import re
import time

import pytest
from images import photo_like
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QLabel

from shareimg.qt.steplog import step_word
from shareimg.transport.lock import lock_holder
from shareimg.transport.segment import segment_status
from shareimg.ui.translations import install_translator


def click(qtbot, window, call: str) -> str:
    """Click the step ``call`` and return its row's result, once it came."""
    rows = window.teach.results.topLevelItemCount()
    window.teach.buttons[call].click()
    qtbot.waitUntil(lambda: window.teach.results.topLevelItemCount() > rows, timeout=10000)
    row = window.teach.results.topLevelItem(rows)
    assert row.text(1) == step_word(call)
    return row.text(2)


def test_each_provider_button_makes_its_call(qtbot, provider, key):
    provider.teach.action.setChecked(True)
    assert segment_status(key) is None and not provider.image_view.has_image
    assert click(qtbot, provider, "create") == "ok"
    status = segment_status(key)
    assert status is not None and status.attached == 1
    assert "AlreadyExists" in click(qtbot, provider, "create")
    assert click(qtbot, provider, "lock") == "ok"
    assert lock_holder(key) == os.getpid()
    assert "QSharedMemory::lock: already locked" in click(qtbot, provider, "lock")
    assert click(qtbot, provider, "copy").startswith("ok")
    assert provider.image_view.has_image, "the window does not show the image it wrote"
    assert re.search(r"800×600 · qt codec · [\d,]+ bytes written by hand", provider.status_line.text())
    assert click(qtbot, provider, "unlock") == "ok"
    assert lock_holder(key) is None
    assert provider.teach.calls.facts().payload > 0
    assert "image (blue)" in provider.teach.picture.text.text()
    provider.teach.action.setChecked(False)  # ending the mode removes what was made by hand, on the worker
    qtbot.waitUntil(lambda: segment_status(key) is None)
    assert provider.load_button.isEnabled()


def test_the_step_through_pauses_each_windows_own_ways_to_share_or_read(qtbot, provider, consumer, key, tmp_path):
    """Open, Paste, a drop, Display, Watch or a new key would work on the segment under the user's hand calls."""
    path = tmp_path / "photo.png"
    assert photo_like(40, 30).save(str(path))
    provider.share_file(path)  # and so one recent file
    qtbot.waitUntil(lambda: provider.stop_action.isEnabled(), timeout=10000)
    assert provider.recent_menu.isEnabled()
    for window in (provider, consumer):
        controls = window.sharing_controls
        assert len(controls) >= 5 and all(control.isEnabled() for control in controls)
        window.teach.action.setChecked(True)
        assert not any(control.isEnabled() for control in controls), [c for c in controls if c.isEnabled()]
    assert not provider.acceptDrops() and not provider.stop_action.isEnabled()
    assert not provider.recent_menu.isEnabled()
    consumer.display_button.click()  # disabled: no read starts
    assert not consumer.jobs.busy
    for window in (provider, consumer):
        window.teach.action.setChecked(False)
        assert all(control.isEnabled() for control in window.sharing_controls)
    assert provider.acceptDrops() and provider.recent_menu.isEnabled()
    assert provider.again_action.isEnabled()  # the step-through removed what was shared: Share Again offered


def test_an_image_still_loading_when_the_step_through_begins_is_not_shared(qtbot, provider, key, tmp_path):
    path = tmp_path / "photo.png"
    assert photo_like(400, 300).save(str(path))
    provider.share_file(path)
    provider.teach.action.setChecked(True)  # at once: the file is still being looked at
    qtbot.wait(1500)
    assert segment_status(key) is None and not provider._publisher.sharing
    assert not provider.load_button.isEnabled() and not provider.recent_menu.isEnabled()
    provider.teach.action.setChecked(False)
    assert provider.load_button.isEnabled()


def test_a_key_found_taken_as_the_step_through_begins_is_not_waited_for(qtbot, provider, key, spawn):
    """The step-through owns the key from its start: no Change Key offer, no retries behind the user's back."""
    spawn("shareimg.provider", "--pattern", "32x32", "--fps", "5", "--headless", "--key", key).fields()
    provider.share_image(photo_like(40, 30), "photo")
    provider.teach.action.setChecked(True)  # the share's failure arrives after this
    qtbot.wait(500)
    assert not provider.change_key_button.isVisible() and provider._retry_with is None
    assert "Step-through" in provider.message.text()


def test_each_steps_sentence_is_shown_whole_in_a_window_of_the_demos_size(qtbot, provider, consumer):
    """On a laptop's screen the panel scrolls; its sentences are never squeezed to half a line or a column."""
    for window, size in ((provider, (740, 600)), (consumer, (620, 600))):
        window.resize(*size)
        window.teach.action.setChecked(True)
        qtbot.waitUntil(lambda window=window: window.teach.isVisible(), timeout=5000)
        qtbot.wait(50)  # laid out
        notes = [label for label in window.teach.findChildren(QLabel) if label.wordWrap() and label.text()]
        assert len(notes) >= 6
        for note in notes:
            assert note.width() >= 150, (note.text(), note.width())
            assert note.height() >= note.heightForWidth(note.width()), (note.text(), note.height())
        window.teach.action.setChecked(False)


def test_clicking_a_step_does_not_scroll_the_panel_away_from_the_mouse(qtbot, consumer):
    consumer.resize(620, 420)  # short: the panel scrolls
    consumer.teach.action.setChecked(True)
    qtbot.waitUntil(lambda: consumer.teach.scroll_area.verticalScrollBar().maximum() > 0, timeout=5000)
    bar = consumer.teach.scroll_area.verticalScrollBar()
    assert bar.value() == 0
    rows = consumer.teach.results.topLevelItemCount()
    qtbot.mouseClick(consumer.teach.buttons["setKey"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: consumer.teach.results.topLevelItemCount() > rows, timeout=10000)
    qtbot.wait(50)
    assert bar.value() == 0, "the panel moved under the mouse"


def test_consumer_in_the_articles_order_is_corrected(qtbot, provider, consumer, key):
    consumer.teach.action.setChecked(True)
    provider.teach.action.setChecked(True)
    click(qtbot, provider, "create")
    click(qtbot, provider, "lock")
    click(qtbot, provider, "copy")
    click(qtbot, provider, "unlock")
    assert click(qtbot, consumer, "setKey") == "ok"
    assert "QSharedMemory::lock: unable to lock" in click(qtbot, consumer, "lock")
    assert consumer.teach.correct_button.isVisible()
    assert "attach, lock, read, unlock, detach" in consumer.teach.explanation.text()
    rows = consumer.teach.results.topLevelItemCount()
    consumer.teach.correct_button.click()
    qtbot.waitUntil(lambda: consumer.teach.results.topLevelItemCount() == rows + 5, timeout=10000)
    ran = [consumer.teach.results.topLevelItem(rows + i) for i in range(5)]
    assert [(row.text(1), row.text(2).split()[0]) for row in ran] == [
        (call, "ok") for call in ("attach", "lock", "read", "unlock", "detach")
    ]
    assert consumer.image_view.has_image
    written = provider.teach.lesson.argument("copy")  # what the provider's copy step wrote
    assert consumer.status_line.text() == f"key '{key}' · {written.width}×{written.height} · read by hand"
    assert consumer.details.fields["size"].text() == f"{written.width} × {written.height}"  # not "–"
    assert consumer.details.fields["provider"].text().startswith(f"pid {os.getpid()} ")
    assert segment_status(key).attached == 1  # the consumer detached; the provider stays


def test_a_window_not_attached_does_not_claim_to_see_what_the_segment_holds(qtbot, provider, consumer, key):
    provider.teach.action.setChecked(True)
    for call in ("create", "lock", "copy", "unlock"):
        click(qtbot, provider, call)
    consumer.teach.action.setChecked(True)
    click(qtbot, consumer, "setKey")
    consumer.teach._tick()
    said = consumer.teach.picture.text.text()
    assert "unseen from this window until it attaches" in said and "image (blue)" not in said, said
    assert consumer.teach.picture.bar.unseen
    click(qtbot, consumer, "attach")
    consumer.teach._tick()
    assert f"{provider.teach.calls.facts().payload:,} image (blue)" in consumer.teach.picture.text.text()


def test_a_mistake_says_what_happened(qtbot, provider, consumer, key):
    consumer.teach.action.setChecked(True)
    assert "KeyError" in click(qtbot, consumer, "attach")  # before setKey
    assert "setKey()" in consumer.teach.explanation.text()
    menu = consumer.teach.mistakes_menu
    assert menu.menuAction().isVisible() and len(menu.actions()) == 5
    menu.actions()[0].trigger()  # forget to unlock: setKey and create set the scene, then lock
    qtbot.waitUntil(lambda: "kernel would free it" in consumer.teach.explanation.text(), timeout=10000)
    assert lock_holder(key) == os.getpid()
    assert "setKey(), create()" in consumer.teach.explanation.text()  # the scene, as set up
    consumer.teach.action.setChecked(False)  # ending the mode gives the lock back
    assert lock_holder(key) is None


def test_the_consumers_lock_waits_for_the_providers_unlock_in_another_process(qtbot, consumer, key, hand_provider):
    program, commands = hand_provider
    consumer.teach.action.setChecked(True)
    assert click(qtbot, consumer, "setKey") == "ok"
    assert click(qtbot, consumer, "attach") == "ok"  # Qt's attach() locks too: before the provider's lock
    commands.write_text("create\nlock\n")
    assert program.line() == "lock ok"
    assert segment_status(key).attached == 2
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    consumer.teach.buttons["lock"].click()
    qtbot.waitUntil(lambda: bool(re.search(r"unlock… [1-9]\d* s", consumer.teach.waiting.text())), timeout=10000)
    assert consumer.teach.results.topLevelItemCount() == 2  # still waiting
    qtbot.wait(300)  # a tick of the picture
    assert f"held by pid {program.pid}" in consumer.teach.picture.text.text()
    assert len(ticks) > 20  # the event loop ran all along
    commands.write_text("create\nlock\nunlock\n")
    assert program.line() == "unlock ok"
    qtbot.waitUntil(lambda: consumer.teach.results.topLevelItemCount() == 3, timeout=10000)
    assert consumer.teach.results.topLevelItem(2).text(2) == "ok"
    assert lock_holder(key) == os.getpid()
    assert consumer.teach.waiting.text() == ""
    consumer.teach.action.setChecked(False)
    assert lock_holder(key) is None
    timer.stop()


def test_every_step_and_mistake_in_chinese(qapp):
    from shareimg.consumer.lesson import consumer_steps
    from shareimg.provider.lesson import provider_steps
    from shareimg.ui.mistakes import mistakes

    english = [*provider_steps(), *consumer_steps(), *[(m.title, "", m.title) for m in mistakes()]]
    assert install_translator(qapp, "zh_CN") == "zh_CN"
    try:
        chinese = [*provider_steps(), *consumer_steps(), *[(m.title, "", m.title) for m in mistakes()]]
    finally:
        from shareimg.ui import translations

        for translator in translations._installed:
            QCoreApplication.removeTranslator(translator)
        translations._installed.clear()
    for before, after in zip(english, chinese, strict=True):
        assert after[2] != before[2] and re.search(r"[\u4e00-\u9fff]", after[2]), after
    assert [step[1] for step in chinese[:6]][:4] == ["setKey()", "detach()", "create()", "lock()"]


@pytest.mark.parametrize("role", ["provider", "consumer"])
def test_at_the_demos_size_the_panel_shows_its_steps_picture_and_newest_rows_without_scrolling(
    qtbot, provider, consumer, role
):
    """The demo's windows on a 1366x768 screen: buttons, picture and the newest three rows, all in view."""
    window = provider if role == "provider" else consumer
    window.resize(740 if role == "provider" else 596, 620)
    provider.teach.action.setChecked(True)
    window.teach.action.setChecked(True)
    for call in ("setKey", "detach", "create", "lock", "copy", "unlock"):
        click(qtbot, provider, call)
    for call in ("setKey", "lock", "attach", "read", "unlock", "detach") if window is consumer else ():
        click(qtbot, consumer, call)
    window.teach.mistakes_menu.actions()[1].trigger()  # create twice: a long sentence under the steps
    qtbot.waitUntil(lambda: "AlreadyExists" in window.teach.explanation.text(), timeout=10000)
    dock = window.teach
    for layout in (window.layout(), dock.scroll_area.widget().layout()):
        layout.activate()  # the longer sentence laid out now, not at the next pass of the event loop
    assert dock.scroll_area.verticalScrollBar().maximum() == 0, "the panel scrolls"
    log = dock.results
    count = log.topLevelItemCount()
    for index in range(count - 3, count):
        shown = log.visualItemRect(log.topLevelItem(index))
        assert shown.top() >= 0 and shown.bottom() < log.viewport().height(), f"row {index} of {count} is out of view"
    for each in (provider, consumer):
        each.teach.action.setChecked(False)


def test_the_consumers_steps_are_in_front_and_details_come_back_after(qtbot, consumer):
    """Details shares the step panel's place: a tab in front of it hid program B's steps (seen in Chinese)."""
    consumer.details.show()
    consumer.teach.action.setChecked(True)
    qtbot.waitUntil(lambda: consumer.teach.isVisible())
    assert consumer.details.isHidden() and not consumer.teach.visibleRegion().isEmpty()  # not behind a tab
    consumer.teach.action.setChecked(False)
    assert not consumer.details.isHidden()  # as it was before


def test_the_consumer_in_the_step_through_is_titled_by_its_key_not_a_source(qtbot, consumer, key, spawn, tmp_path):
    """A segment made by hand is announced by nobody: its source is "Qt program", which is not what is shown."""
    path = tmp_path / "still.png"
    assert photo_like(8, 8).save(str(path))
    spawn("shareimg.provider", path, "--key", key, "--headless").fields()
    consumer.sources_dock.show()
    qtbot.waitUntil(lambda: consumer.windowTitle().startswith("still.png — "), timeout=5000)
    consumer.teach.action.setChecked(True)
    assert consumer.windowTitle() == f"shareimg consumer — key '{key}'"
    consumer.teach.action.setChecked(False)
    assert consumer.windowTitle().startswith("still.png — ")
