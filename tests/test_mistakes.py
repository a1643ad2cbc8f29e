"""Try a Mistake: each of the ten (five entries, in each window) says what its calls really gave, in both languages.

Driven through the windows as a person would (the menu, the log, the sentence), on real segments:
the sentence shown must agree with the results logged, whatever the window did before.
"""

from __future__ import annotations

import os
import re

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QSettings, QSharedMemory
from test_teach import click

from shareimg.qt.steplog import step_word
from shareimg.transport.keys import native_key
from shareimg.transport.lock import lock_holder
from shareimg.transport.segment import segment_status
from shareimg.ui import translations
from shareimg.ui.translations import install_translator
from shareimg.wire import layout

FORGET_UNLOCK, CREATE_TWICE, ATTACH_FIRST, READ_UNLOCKED, DETACH_WHILE_READ = range(5)
QT_ERRORS = ("NotFound", "AlreadyExists", "KeyError", "LockError", "UnknownError", "PermissionDenied", "InvalidSize")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(params=["en", "zh_CN"])
def language(request, qapp):
    """The windows made in the test speak ``request.param``."""
    assert install_translator(qapp, request.param) == request.param
    yield request.param
    for translator in translations._installed:
        QCoreApplication.removeTranslator(translator)
    translations._installed.clear()


@pytest.fixture
def windows(qtbot, key, language, tmp_path):
    """A provider and a consumer window made in ``language``, both stepping through the article."""
    from shareimg.consumer.window import ConsumerWindow
    from shareimg.provider.window import ProviderWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    made = ProviderWindow(key, settings=settings), ConsumerWindow(key, settings)
    for window in made:
        qtbot.addWidget(window)
        window.show()
        window.teach.action.setChecked(True)
    yield made
    for window in made:
        window.close()


def ok_word() -> str:
    return QCoreApplication.translate("StepLog", "ok")


def unexpected_word() -> str:
    return QCoreApplication.translate("StepNotes", "Unexpected: {} worked.").partition("{}")[0].strip(" :：")


def rows(window) -> list[tuple[str, str]]:
    """(call, result) of each row; the project's own steps (copy, read) by their call, whatever the language."""
    log = window.teach.results
    calls = {step_word(call): call for call in ("copy", "read")}
    logged = [(log.topLevelItem(i).text(1), log.topLevelItem(i).text(2)) for i in range(log.topLevelItemCount())]
    return [(calls.get(step, step), result) for step, result in logged]


def wait_for_the_sentence(qtbot, window) -> str:
    dock = window.teach
    scene = QCoreApplication.translate("TeachDock", "Setting the scene…")
    qtbot.waitUntil(
        lambda: dock.explanation.text() not in ("", scene) and not dock.calls.busy and not dock._queue, timeout=10000
    )
    return dock.explanation.text()


def try_mistake(qtbot, window, index: int, own_calls: int) -> tuple[str, list[tuple[str, bool, str]]]:
    """Choose the mistake; its sentence, and its own calls' rows as (call, ok, result) once all came."""
    dock = window.teach
    dock.mistakes_menu.actions()[index].trigger()
    sentence = wait_for_the_sentence(qtbot, window)
    logged = rows(window)[-own_calls:]
    if index != FORGET_UNLOCK:  # no scene leaves the lock held (the other window would wait for it for ever)
        assert lock_holder(dock.calls.key) is None, rows(window)
    return sentence, [(call, result.startswith(ok_word()), result) for call, result in logged]


def agree(sentence: str, logged: list[tuple[str, bool, str]]) -> None:
    """A sentence names no error that the log does not show, and is not the unexpected one."""
    shown = " ".join(result for _call, _ok, result in logged)
    for error in QT_ERRORS:
        assert error not in sentence or error in shown, (error, sentence, logged)
    assert unexpected_word() not in sentence, (sentence, logged)


def project_words(result: str) -> str:
    """A result's words that are the project's own: all but Qt's error names, errorString() and warnings."""
    return re.sub(r"(\w+: )?QSharedMemory\S*:.*", "", result)


def test_attach_before_create_in_a_window_that_was_attached_shows_its_own_result(qtbot, windows):
    provider, _consumer = windows
    click(qtbot, provider, "setKey")
    click(qtbot, provider, "create")
    assert "AlreadyExists" in click(qtbot, provider, "create")  # Qt's error() keeps this until a call sets another
    sentence, logged = try_mistake(qtbot, provider, ATTACH_FIRST, 1)
    assert "AlreadyExists" not in logged[0][2], logged
    agree(sentence, logged)


def test_read_without_the_lock_before_the_provider_wrote_reads_an_image(qtbot, windows, language):
    provider, consumer = windows
    click(qtbot, provider, "setKey")
    click(qtbot, provider, "create")
    sentence, logged = try_mistake(qtbot, consumer, READ_UNLOCKED, 1)
    assert logged[0][:2] == ("read", True), logged  # the scene had an image written first
    agree(sentence, logged)


def test_detach_while_the_other_side_reads_has_another_side_attached(qtbot, windows, key):
    provider, _consumer = windows
    click(qtbot, provider, "setKey")
    click(qtbot, provider, "create")  # nobody else attached
    sentence, logged = try_mistake(qtbot, provider, DETACH_WHILE_READ, 1)
    assert segment_status(key) is not None, "the other side was never attached: the segment vanished"
    agree(sentence, logged)


def test_each_mistake_in_the_provider_says_what_its_calls_gave(qtbot, windows, key, language):
    provider, _consumer = windows
    assert click(qtbot, provider, "setKey").startswith(ok_word())
    assert click(qtbot, provider, "create").startswith(ok_word())  # attached: attach() would fail at once

    sentence, logged = try_mistake(qtbot, provider, ATTACH_FIRST, 1)
    assert logged[0][:2] == ("attach", False) and "NotFound" in logged[0][2], logged
    assert "NotFound" in sentence
    agree(sentence, logged)

    sentence, logged = try_mistake(qtbot, provider, CREATE_TWICE, 2)
    assert [(call, ok) for call, ok, _ in logged] == [("create", True), ("create", False)], logged
    assert "AlreadyExists" in logged[1][2] and "AlreadyExists" in sentence
    agree(sentence, logged)

    sentence, logged = try_mistake(qtbot, provider, FORGET_UNLOCK, 1)
    assert logged[0][:2] == ("lock", True) and lock_holder(key) == os.getpid()
    assert str(os.getpid()) in sentence
    agree(sentence, logged)

    sentence, logged = try_mistake(qtbot, provider, READ_UNLOCKED, 1)
    assert logged[0][:2] == ("read", True), logged
    assert logged[0][2].split()[1] in sentence  # the size read, e.g. 800×600
    agree(sentence, logged)

    sentence, logged = try_mistake(qtbot, provider, DETACH_WHILE_READ, 1)  # nobody else was attached
    assert logged[0][:2] == ("detach", True)
    status = segment_status(key)
    assert status is not None, "the other side was never attached: the segment vanished under the sentence"
    assert {str(status.attached + 1), str(status.attached)} <= set(re.findall(r"\d+", sentence)), sentence
    agree(sentence, logged)

    # The window goes on: the next mistake lets the stand-in go and makes its segment afresh; steps follow.
    sentence, logged = try_mistake(qtbot, provider, CREATE_TWICE, 2)
    assert [(call, ok) for call, ok, _ in logged] == [("create", True), ("create", False)], logged
    agree(sentence, logged)
    for call in ("lock", "copy", "unlock"):
        assert click(qtbot, provider, call).startswith(ok_word()), (call, rows(provider)[-1])


def test_each_mistake_in_the_consumer_says_what_its_calls_gave(qtbot, windows, key, language):
    provider, consumer = windows
    sentence, logged = try_mistake(qtbot, consumer, ATTACH_FIRST, 1)  # nothing created yet
    assert logged[0][:2] == ("attach", False) and "NotFound" in logged[0][2] and "NotFound" in sentence
    agree(sentence, logged)

    assert click(qtbot, provider, "setKey").startswith(ok_word())
    assert click(qtbot, provider, "create").startswith(ok_word())  # created, nothing written yet

    sentence, logged = try_mistake(qtbot, consumer, READ_UNLOCKED, 1)
    assert logged[0][:2] == ("read", True), logged
    assert logged[0][2].split()[1] in sentence
    agree(sentence, logged)
    assert consumer.image_view.has_image

    sentence, logged = try_mistake(qtbot, consumer, CREATE_TWICE, 2)  # the provider's segment is there
    assert [(call, ok) for call, ok, _ in logged] == [("create", False), ("create", False)], logged
    assert all("AlreadyExists" in result for *_, result in logged) and "AlreadyExists" in sentence
    agree(sentence, logged)

    sentence, logged = try_mistake(qtbot, consumer, FORGET_UNLOCK, 1)
    assert logged[0][:2] == ("lock", True) and lock_holder(key) == os.getpid()
    agree(sentence, logged)

    sentence, logged = try_mistake(qtbot, consumer, DETACH_WHILE_READ, 1)  # the provider stays attached
    assert logged[0][:2] == ("detach", True)
    assert segment_status(key).attached == 1 and {"2", "1"} <= set(re.findall(r"\d+", sentence)), sentence
    agree(sentence, logged)
    # An image the provider wrote is read as it is, not replaced by the stand-in's.
    for call in ("lock", "copy", "unlock"):
        click(qtbot, provider, call)
    sentence, logged = try_mistake(qtbot, consumer, READ_UNLOCKED, 1)
    written = provider.teach.lesson.argument("copy")
    assert logged[0][:2] == ("read", True) and f"{written.width}×{written.height}" in logged[0][2], logged
    assert not any(call.startswith("↳") for call, _ in rows(consumer)[-4:]), rows(consumer)  # no stand-in row
    agree(sentence, logged)
    consumer.teach.action.setChecked(False)
    # The step-through's objects let go on its worker, never on the GUI thread: wait for it.
    qtbot.waitUntil(lambda: segment_status(key).attached == 1, timeout=5000)  # the provider's


def test_a_call_that_fails_at_once_shows_no_earlier_error_and_says_when_it_is_normal(qtbot, windows, language):
    provider, consumer = windows
    click(qtbot, consumer, "setKey")
    assert "NotFound" in click(qtbot, consumer, "attach")
    detached = click(qtbot, consumer, "detach")  # not attached: Qt returns false and sets no error
    assert not detached.startswith(ok_word()) and "NotFound" not in detached, detached
    assert consumer.teach.explanation.text()
    click(qtbot, provider, "setKey")
    detached = click(qtbot, provider, "detach")  # program A's step 2: nothing attached yet
    assert not detached.startswith(ok_word())
    assert "detach()" in provider.teach.explanation.text()
    if language == "zh_CN":
        for result in (detached, *(result for _call, result in rows(consumer))):
            assert not re.search(r"[A-Za-z]{3,}", project_words(result)), result
            assert CJK.search(result), result


def test_reading_nothing_says_so_in_the_windows_language(qtbot, windows, language):
    provider, consumer = windows
    click(qtbot, provider, "setKey")
    click(qtbot, provider, "create")
    click(qtbot, consumer, "setKey")
    click(qtbot, consumer, "attach")
    result = click(qtbot, consumer, "read")  # the provider wrote nothing yet
    assert not result.startswith(ok_word())
    row = consumer.teach.results.topLevelItem(consumer.teach.results.topLevelItemCount() - 1)
    assert row.toolTip(2), "the whole result is not readable"
    if language == "zh_CN":
        assert not re.search(r"[A-Za-z]{3,}", project_words(result)), result
    assert consumer.teach.explanation.text()


def test_after_the_lock_of_the_key_was_removed_the_window_says_how_to_go_on(qtbot, provider, consumer):
    """A QSharedMemory that made the key's lock removes it when deleted: the others' next create() fails once."""
    for window in (provider, consumer):
        window.teach.action.setChecked(True)
    click(qtbot, consumer, "setKey")
    click(qtbot, consumer, "attach")  # nothing to attach to, but the consumer's object made the key's lock
    for call in ("setKey", "create", "lock", "copy", "unlock", "detach"):
        click(qtbot, provider, call)
    consumer.teach.action.setChecked(False)  # its QSharedMemory is deleted, and the lock with it
    created = click(qtbot, provider, "create")
    assert "unable to set key on lock" in created, created
    assert "setKey()" in provider.teach.explanation.text()
    assert click(qtbot, provider, "setKey") == ok_word()
    assert click(qtbot, provider, "create") == ok_word()


def test_an_attach_made_while_holding_the_lock_says_it_gave_the_lock_back(qtbot, provider, consumer, key):
    """Qt's attach() locks inside; finding the lock ours, it warns, and its unlock on return gives ours back."""
    for window in (provider, consumer):
        window.teach.action.setChecked(True)
    for call in ("setKey", "create", "lock", "copy", "unlock"):
        click(qtbot, provider, call)
    for call in ("setKey", "attach", "detach", "lock"):  # lock() works now: an attach() set its key up
        assert click(qtbot, consumer, call).startswith(ok_word()), call
    assert lock_holder(key) == os.getpid()
    attached = click(qtbot, consumer, "attach")
    assert "already locked" in attached and lock_holder(key) is None
    assert "gave it back" in consumer.teach.explanation.text()
    assert not click(qtbot, consumer, "unlock").startswith(ok_word())
    assert "unlock() returned false" in consumer.teach.explanation.text()
    assert not consumer.teach.calls.holding


def test_the_other_side_is_the_provider_in_another_process_when_there_is_one(qtbot, consumer, key, hand_provider):
    consumer.teach.action.setChecked(True)
    sentence, logged = try_mistake(qtbot, consumer, READ_UNLOCKED, 1)  # the provider wrote nothing yet
    assert logged[0][:2] == ("read", True) and "stand-in" in sentence  # it wrote, and the sentence says so
    sentence, logged = try_mistake(qtbot, consumer, DETACH_WHILE_READ, 1)
    assert "stand-in" not in sentence  # the provider's process is the other side
    assert logged[0][:2] == ("detach", True) and segment_status(key).attached == 1
    assert {"2", "1"} <= set(re.findall(r"\d+", sentence)), sentence
    consumer.teach.action.setChecked(False)


def leave_the_stand_in(qtbot, provider) -> None:
    """The provider detached, its stand-in still attached (nobody else was)."""
    click(qtbot, provider, "setKey")
    click(qtbot, provider, "create")
    try_mistake(qtbot, provider, DETACH_WHILE_READ, 1)
    assert provider.teach.calls.stand_in_attached


def test_letting_the_stand_in_go_while_this_window_holds_the_lock_unlocks_first(qtbot, windows, key):
    """Qt's detach() of the stand-in takes the lock: with this window holding it, it waited for ever."""
    provider, _consumer = windows
    leave_the_stand_in(qtbot, provider)
    assert click(qtbot, provider, "lock").startswith(ok_word())
    sentence, logged = try_mistake(qtbot, provider, CREATE_TWICE, 2)
    assert [(call, ok) for call, ok, _ in logged] == [("create", True), ("create", False)], logged
    assert ("unlock", ok_word()) in rows(provider)[-5:-2], rows(provider)
    assert "unlock()" in sentence
    assert not provider.teach.calls.stand_in_attached
    agree(sentence, logged)


def test_letting_the_stand_in_go_while_the_other_window_holds_the_lock_waits_visibly(qtbot, windows, key):
    provider, consumer = windows
    leave_the_stand_in(qtbot, provider)
    try_mistake(qtbot, consumer, FORGET_UNLOCK, 1)
    assert lock_holder(key) == os.getpid()
    provider.teach.mistakes_menu.actions()[CREATE_TWICE].trigger()  # the window goes on: it waits on its worker
    qtbot.waitUntil(lambda: "detach()" in provider.teach.waiting.text(), timeout=10000)
    assert provider.teach.calls.busy
    assert click(qtbot, consumer, "unlock").startswith(ok_word())
    sentence = wait_for_the_sentence(qtbot, provider)
    logged = [(call, result.startswith(ok_word()), result) for call, result in rows(provider)[-2:]]
    assert [(call, ok) for call, ok, _ in logged] == [("create", False), ("create", False)], logged  # the consumer's
    agree(sentence, logged)


def test_ending_the_step_through_while_the_other_window_holds_the_lock_does_not_freeze(qtbot, windows, key):
    provider, consumer = windows
    leave_the_stand_in(qtbot, provider)
    try_mistake(qtbot, consumer, FORGET_UNLOCK, 1)
    assert lock_holder(key) == os.getpid() and provider.teach.calls.stand_in_attached
    provider.teach.action.setChecked(False)  # returns: the stand-in's detach waits on the worker
    click(qtbot, consumer, "unlock")  # (the provider's ending may have removed the key's lock already)
    qtbot.waitUntil(lambda: not provider.teach.calls.busy and not provider.teach.calls.stand_in_attached)
    assert segment_status(key).attached == 1  # the consumer's


def test_the_corrected_order_gives_back_the_lock_after_a_read_that_failed(qtbot, windows, key, language):
    provider, consumer = windows
    click(qtbot, provider, "setKey")
    click(qtbot, provider, "create")  # nothing written: the read will fail
    click(qtbot, consumer, "setKey")
    assert not click(qtbot, consumer, "lock").startswith(ok_word())
    dock = consumer.teach
    assert dock.correct_button.isVisible()
    before = len(rows(consumer))
    dock.correct_button.click()
    qtbot.waitUntil(lambda: len(rows(consumer)) == before + 5 and not dock.calls.busy, timeout=10000)
    made = [(call, result.startswith(ok_word())) for call, result in rows(consumer)[before:]]
    assert made == [("attach", True), ("lock", True), ("read", False), ("unlock", True), ("detach", True)], made
    assert lock_holder(key) is None and not dock.calls.holding
    assert "unlock()" in dock.explanation.text() and "detach()" in dock.explanation.text()
    assert click(qtbot, provider, "lock").startswith(ok_word())
    assert click(qtbot, provider, "unlock").startswith(ok_word())


def test_forget_to_unlock_in_a_window_holding_the_lock_but_not_attached(qtbot, windows, key, language):
    provider, _consumer = windows
    for call in ("setKey", "create", "detach", "lock"):
        assert click(qtbot, provider, call).startswith(ok_word()), call
    sentence, logged = try_mistake(qtbot, provider, FORGET_UNLOCK, 1)
    assert logged[0][:2] == ("lock", True) and lock_holder(key) == os.getpid(), (sentence, rows(provider))
    agree(sentence, logged)


def test_a_scene_that_fails_gives_back_the_stand_ins_lock_at_once(qtbot, windows, key, language):
    """A segment too small for the stand-in's image: its copy fails after its lock."""
    _provider, consumer = windows
    small = QSharedMemory()
    small.setNativeKey(native_key(key))
    assert small.create(1024)
    sentence, _logged = try_mistake(qtbot, consumer, READ_UNLOCKED, 1)  # no lock may stay held
    scene_failed = QCoreApplication.translate("TeachDock", "The scene could not be set: {} returned false ({}).")
    assert sentence.startswith(scene_failed.split("{}")[0]), sentence
    assert not consumer.teach.calls.stand_in_attached and not consumer.teach.calls.stand_in_holding
    consumer.teach.action.setChecked(False)  # detaches the consumer before the segment's maker goes
    shiboken6.delete(small)


def test_the_stand_ins_image_is_an_earlier_generation_than_the_providers_next(qtbot, windows, key, language):
    """A watcher takes an equal generation for a frame it has seen."""
    provider, consumer = windows
    click(qtbot, provider, "setKey")
    click(qtbot, provider, "create")
    sentence, logged = try_mistake(qtbot, consumer, READ_UNLOCKED, 1)
    agree(sentence, logged)
    memory = provider.teach.calls._memory()
    written = layout.committed(memory.constData())
    wrote = QCoreApplication.translate(
        "TeachDock",
        "the stand-in wrote an image into the segment ({}, generation {}); the provider's next copy writes over it",
    )
    assert wrote.split("{}")[0].strip(" (（") in sentence and str(written) in sentence, sentence
    for call in ("lock", "copy", "unlock"):
        click(qtbot, provider, call)
    assert layout.committed(memory.constData()) > written


def test_create_twice_while_the_consumer_holds_the_segment_gives_advice_that_works(qtbot, windows, key, language):
    """A create() that failed kept Qt's handle: once the segment went, the next create() failed untried."""
    provider, consumer = windows
    for call in ("setKey", "create", "lock", "copy", "unlock"):
        assert click(qtbot, provider, call).startswith(ok_word()), call
    for call in ("setKey", "attach"):
        assert click(qtbot, consumer, call).startswith(ok_word()), call
    sentence, logged = try_mistake(qtbot, provider, CREATE_TWICE, 2)
    assert [(call, ok) for call, ok, _ in logged] == [("create", False), ("create", False)], logged
    agree(sentence, logged)
    advice = QCoreApplication.translate(
        "Mistakes", "Next: detach() in the other window frees the key; then create() here."
    )
    assert advice in sentence, sentence
    assert click(qtbot, consumer, "detach").startswith(ok_word())
    assert segment_status(key) is None
    assert click(qtbot, provider, "create").startswith(ok_word()), rows(provider)


def test_ending_the_consumers_step_through_while_the_provider_holds_the_lock_does_not_freeze(qtbot, windows, key):
    """The consumer's own object detached on the window's thread (Qt's detach() locks with the GIL held)."""
    provider, consumer = windows
    for call in ("setKey", "create"):
        click(qtbot, provider, call)
    for call in ("setKey", "attach"):
        assert click(qtbot, consumer, call).startswith(ok_word()), call
    assert click(qtbot, provider, "lock").startswith(ok_word())
    consumer.teach.action.setChecked(False)  # returns: the detach waits on the worker
    assert consumer.teach.calls.busy and segment_status(key).attached == 2
    assert "detach()" in consumer.message.text(), consumer.message.text()
    assert click(qtbot, provider, "unlock").startswith(ok_word())
    qtbot.waitUntil(lambda: not consumer.teach.calls.busy and segment_status(key).attached == 1, timeout=10000)


def test_ending_the_providers_step_through_while_the_consumer_holds_the_lock_does_not_freeze(qtbot, windows, key):
    provider, consumer = windows
    for call in ("setKey", "create"):
        click(qtbot, provider, call)
    for call in ("setKey", "attach", "lock"):
        assert click(qtbot, consumer, call).startswith(ok_word()), call
    provider.teach.action.setChecked(False)  # returns: the segment is removed on the window's worker
    said = provider.message.text()
    assert segment_status(key) is not None and "unlock" in said, said
    assert click(qtbot, consumer, "unlock").startswith(ok_word())
    qtbot.waitUntil(lambda: provider.message.text() != said, timeout=10000)
    consumer.teach.action.setChecked(False)
    qtbot.waitUntil(lambda: not consumer.teach.calls.busy and segment_status(key) is None, timeout=10000)


def test_attach_before_create_where_the_other_window_holds_a_segment_says_what_it_needs(qtbot, windows, key, language):
    """This window cannot remove the other's segment: no call is made; the sentence says what would set the scene."""
    provider, consumer = windows
    for call in ("setKey", "create"):
        click(qtbot, provider, call)
    before = len(rows(consumer))
    sentence, _logged = try_mistake(qtbot, consumer, ATTACH_FIRST, 1)
    assert rows(consumer)[before:] == [], rows(consumer)  # not an attach() that worked under a prepared sentence
    assert "detach()" in sentence and "1" in sentence, sentence
    agree(sentence, [])
    for call in ("setKey", "attach"):
        click(qtbot, consumer, call)
    before = len(rows(provider))
    sentence, _logged = try_mistake(qtbot, provider, ATTACH_FIRST, 1)
    assert rows(provider)[before:] == [], rows(provider)
    assert "detach()" in sentence, sentence
    agree(sentence, [])
    assert click(qtbot, consumer, "detach").startswith(ok_word())
    sentence, logged = try_mistake(qtbot, provider, ATTACH_FIRST, 1)  # the scene detaches this window itself
    assert logged[0][:2] == ("attach", False) and "NotFound" in logged[0][2] and "NotFound" in sentence, logged
    agree(sentence, logged)


def test_the_projects_own_steps_are_named_in_the_windows_language(qtbot, windows, language):
    """copy and read are ours, not Qt's: the log and the sentences name them as the buttons do."""
    provider, consumer = windows
    for call in ("setKey", "create"):
        click(qtbot, provider, call)
    sentence, _logged = try_mistake(qtbot, consumer, READ_UNLOCKED, 1)  # the stand-in copies, this window reads
    for window, call in ((provider, "copy"), (consumer, "read")):
        assert step_word(call) in window.teach.buttons[call].text()
    log = consumer.teach.results
    steps = [log.topLevelItem(i).text(1) for i in range(log.topLevelItemCount())]
    assert step_word("read") in steps and any(step.endswith(step_word("copy")) for step in steps), steps
    if language == "zh_CN":
        assert not re.search(r"\b(copy|read)\b", " ".join([*steps, sentence])), (steps, sentence)


def test_a_scene_with_nothing_to_set_up_says_so_plainly(qtbot, windows, language):
    provider, _consumer = windows
    for call in ("setKey", "create"):  # keyed, attached, not holding the lock: as Forget to unlock needs
        click(qtbot, provider, call)
    sentence, _logged = try_mistake(qtbot, provider, FORGET_UNLOCK, 1)
    plain = QCoreApplication.translate("TeachDock", "Nothing to set up: this window is already as the mistake needs.")
    assert sentence.startswith(plain + "\n"), sentence
    click(qtbot, provider, "unlock")


def test_the_log_shows_each_results_verdict_and_short_reason_at_the_demos_size(qtbot, windows, language):
    """The Result column gets the width (the time, the wait and the stand-in's name are narrow or in the tooltip)."""
    provider, consumer = windows
    provider.resize(714, 712)  # as shareimg-demo --teach places them on a 1366x768 screen
    consumer.resize(620, 712)
    for call in ("setKey", "create", "create", "lock", "copy", "unlock"):
        click(qtbot, provider, call)
    for call in ("setKey", "detach"):
        click(qtbot, consumer, call)
    try_mistake(qtbot, consumer, READ_UNLOCKED, 1)  # a stand-in's rows: attach, lock, copy, unlock, detach
    for window in (provider, consumer):
        log = window.teach.results
        width = log.header().sectionSize(2) - 2 * log.style().pixelMetric(log.style().PixelMetric.PM_FocusFrameHMargin)
        for i in range(log.topLevelItemCount()):
            short = re.split(r" \(|（|: |：", log.topLevelItem(i).text(2))[0]  # verdict, what it worked on, and why not
            assert log.fontMetrics().horizontalAdvance(short) + 6 <= width, (short, width, rows(window))
