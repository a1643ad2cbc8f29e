"""The provider's step-through: program A of the article, by hand, on the window's own QSharedMemory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage

from shareimg.assets import SAMPLE_IMAGE
from shareimg.qt.steplog import step_word
from shareimg.teach.hand_calls import HandCalls, Outcome
from shareimg.transport.codecs import EncodedImage
from shareimg.transport.lock import lock_holder
from shareimg.ui.labels import KEPT, Field
from shareimg.ui.teach_dock import Lesson, TeachDock
from shareimg.wire import layout

if TYPE_CHECKING:
    from shareimg.provider.window import ProviderWindow  # which imports this module

translate = QCoreApplication.translate


def provider_steps() -> list[tuple[str, str, str]]:
    return [
        ("setKey", "setKey()", translate("ProviderLesson", "Name the segment: the key both programs use.")),
        ("detach", "detach()", translate("ProviderLesson", "Leave the segment this program had, if any.")),
        ("create", "create()", translate("ProviderLesson", "Make a new segment big enough for the image.")),
        ("lock", "lock()", translate("ProviderLesson", "Take the lock: nobody else reads or writes meanwhile.")),
        ("copy", step_word("copy"), translate("ProviderLesson", "Write the image into the segment.")),
        ("unlock", "unlock()", translate("ProviderLesson", "Give the lock back: the consumer may read now.")),
    ]


def provider_lesson(window: ProviderWindow) -> TeachDock:
    """The step-through panel of the provider ``window``: its calls go to its publisher's QSharedMemory."""
    encoded: list[EncodedImage] = []  # the image written by "copy", encoded once per mode

    def image() -> EncodedImage:
        if not encoded:
            if not window.image_view.has_image:
                window.image_view.set_image(QImage(str(SAMPLE_IMAGE)))  # program A shows the image it shares
            encoded.append(window._publisher.codec.encode(window.image_view._image))
        return encoded[0]

    def argument(call: str) -> object:
        if call == "create":
            return layout.segment_size(len(image().payload))
        return image() if call == "copy" else None

    def begin() -> None:
        # The segment is made by hand from nothing: what the window shared is withdrawn.
        calls.key = window.key
        window.playback.stop()
        window.stop_waiting_for_key()
        window.jobs.run_now(window._publisher.close)
        encoded.clear()

    def end() -> None:
        # A segment created by hand is removed, on the window's worker: its detach waits for the lock.
        if lock_holder(calls.key) is not None:
            window.say(
                translate(
                    "ProviderLesson",
                    "Step-through ended: the segment made by hand is removed once the consumer unlocks; the "
                    "window goes on meanwhile.",
                )
            )
        window.jobs.run(window._publisher.close, lambda _: window._stopped(), window._failed)

    def said(outcome: Outcome) -> None:
        """The status line follows the hand calls: what "copy" wrote, and nothing once this window detached."""
        if not outcome.ok or outcome.stand_in:
            return
        if outcome.call == "copy" and encoded:
            written = encoded[0]
            window.status_line.set_fields(
                [
                    Field(translate("ProviderWindow", "key '{}'").format(calls.key), 2),
                    Field(f"{written.width}×{written.height}", KEPT),
                    Field(translate("ProviderWindow", "{} codec").format(written.codec.name), KEPT),
                    Field(translate("ProviderLesson", "{:,} bytes written by hand").format(len(written.payload)), 1),
                ]
            )
        elif outcome.call == "detach":
            window._show_key()

    calls = HandCalls(window.key, lambda: window._publisher.memory, window)
    calls.finished.connect(said)
    lesson = Lesson(provider_steps(), calls, argument, begin, end, window.image_view.set_image, provider=True)
    return TeachDock(lesson, window)
