"""The common mistakes of the article's calls, one click each, with one sentence on what happened."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate

READY = "ready"  # attach if a segment exists, else create: whatever makes this window hold one


def mistakes() -> list[tuple[str, list[str], str]]:
    """(menu entry, the calls made, the sentence shown after them)."""
    return [
        (
            translate("Mistakes", "Forget to unlock"),
            [READY, "lock"],
            translate(
                "Mistakes",
                "The lock stays held: the other program's lock() waits; when this process ends, "
                "the kernel frees it (SEM_UNDO).",
            ),
        ),
        (
            translate("Mistakes", "Create twice"),
            ["create", "create"],
            translate(
                "Mistakes", "One key names one segment: a second create() fails with AlreadyExists; attach() instead."
            ),
        ),
        (
            translate("Mistakes", "Attach before anything is created"),
            ["attach"],
            translate("Mistakes", "attach() fails with NotFound until some program has created the segment."),
        ),
        (
            translate("Mistakes", "Read without the lock"),
            [READY, "read"],
            translate(
                "Mistakes", "The read works, but nothing stops the provider writing meanwhile: the image can be torn."
            ),
        ),
        (
            translate("Mistakes", "Detach while the other side still reads"),
            [READY, "detach"],
            translate(
                "Mistakes",
                "The segment lives until the last detach: watch the count of attached processes go down by one.",
            ),
        ),
    ]
