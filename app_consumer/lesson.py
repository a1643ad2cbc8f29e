"""The consumer's step-through: program B of the article, in the article's order, by hand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSharedMemory
from PySide6.QtGui import QImage

from shareimg import SharedImage
from shareimg.qt.steplog import step_word
from shareimg.teach.hand_calls import HandCalls
from shareimg.transport import mapped
from shareimg.transport.lock import lock_holder
from shareimg.ui.teach_dock import Lesson, TeachDock
from shareimg.wire import layout

if TYPE_CHECKING:
    from shareimg.consumer.window import ConsumerWindow  # which imports this module

translate = QCoreApplication.translate

CORRECTED = ["attach", "lock", "read", "unlock", "detach"]


def consumer_steps() -> list[tuple[str, str, str]]:
    return [
        ("setKey", "setKey()", translate("ConsumerLesson", "Name the segment: the key the provider used.")),
        ("lock", "lock()", translate("ConsumerLesson", "Take the lock, so the provider cannot write meanwhile.")),
        ("attach", "attach()", translate("ConsumerLesson", "Map the provider's segment into this program.")),
        ("read", step_word("read"), translate("ConsumerLesson", "Copy the image out and show it.")),
        ("unlock", "unlock()", translate("ConsumerLesson", "Give the lock back to the provider.")),
        ("detach", "detach()", translate("ConsumerLesson", "Leave the segment; the last to leave removes it.")),
    ]


def _show_read(window: ConsumerWindow, image: QImage, shm: QSharedMemory) -> None:
    """An image read by hand: shown, said in the status line, and detailed as its segment's trailer says."""
    window.image_view.set_image(image)
    text = translate("ConsumerLesson", "key '{}' · {}×{} · read by hand")
    window.status_line.setText(text.format(window.key, image.width(), image.height()))
    meta = layout.unpack(mapped.readonly(shm)) if shm.isAttached() else None  # the read is done: the worker is idle
    window.details.show_image(SharedImage(window.key, image, meta, shm.size()))


def consumer_lesson(window: ConsumerWindow) -> TeachDock:
    """The step-through panel of the consumer ``window``, on a QSharedMemory of its own, as each read uses."""
    memory = [QSharedMemory()]
    details_shown = [False]

    def begin() -> None:
        calls.key = window.key
        window.watch_box.setChecked(False)
        # The step panel shares Details' place; its own picture of the segment says what Details would, and
        # a tab in front of it would hide the steps (View brings Details back).
        details_shown[0] = not window.details.isHidden()
        window.details.hide()

    def end() -> None:
        # The calls let the last object go (on their worker: Qt's detach() locks with the GIL held).
        window.details.setVisible(details_shown[0])
        memory[0] = QSharedMemory()
        if calls.busy and lock_holder(window.key) is not None:
            window.say(
                translate(
                    "ConsumerLesson",
                    "Step-through ended: detach() waits for the provider's unlock, and the window goes on meanwhile.",
                )
            )

    calls = HandCalls(window.key, lambda: memory[0], window)
    lesson = Lesson(
        consumer_steps(),
        calls,
        lambda call: 4096 if call == "create" else None,
        begin,
        end,
        lambda image: _show_read(window, image, memory[0]),
        provider=False,
        corrected=CORRECTED,
        own_memory=True,
    )
    dock = TeachDock(lesson, window)
    window.tabifyDockWidget(window.details, dock)  # one panel beside the image, not two stacked in its height
    return dock
