"""What the consumer's window says of the image it shows and of a watch that waits.

(Translated in the window's context, ConsumerWindow.)
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication
from shareimg.common import KeyOfAnotherUser, SharedImage
from shareimg.common.ui.labels import KEPT, SEPARATOR
from shareimg.common.ui.translations import translated_message
from shareimg.common.watcher import ANOTHER_USER, GONE, NOTHING_SHARED, STOPPED

from .stats import StreamStats

translate = QCoreApplication.translate


def status_text(shared: SharedImage, stats: StreamStats | None) -> tuple[list[str], list[int]]:
    """Key, size, codec, generation; and the rate of the stream watched (``stats``), else the bytes.

    With each field its rank (see common.ui.labels.shortened): when the line is
    too narrow the bytes and the dropped frames go first, the key next (the
    title says it), the size and the codec never.
    """
    image, meta = shared.image, shared.metadata
    fields = [
        (translate("ConsumerWindow", "key '{}'").format(shared.key), 3),
        (f"{image.width()}×{image.height()}", KEPT),
        (translate("ConsumerWindow", "{} codec").format(shared.codec), KEPT),
    ]
    if meta is not None:
        fields.append((translate("ConsumerWindow", "generation {}").format(meta.generation), 4))
    if stats is not None:
        now = time.monotonic_ns()
        latency_ms = stats.latency_ms(now)
        latency = f"{latency_ms:.1f} ms" if latency_ms is not None else "–"
        rate = translate("ConsumerWindow", "{:.0f} fps · {} dropped · latency {}")
        fps, dropped, *late = rate.format(stats.fps(now), stats.dropped, latency).split(SEPARATOR)
        fields += [(fps, 6), (dropped, 1), *((text, 5) for text in late)]
    else:
        fields.append((translate("ConsumerWindow", "{:,} bytes").format(shared.segment_bytes), 2))
    return [text for text, _ in fields], [rank for _, rank in fields]


def waiting_text(key: str, kind: str, number: int) -> str:
    """Why a watch shows nothing new (common.watcher.Watcher.waiting); ``number`` is a pid or a uid."""
    reason = {
        NOTHING_SHARED: translate("ConsumerWindow", "nothing is shared yet"),
        STOPPED: translate("ConsumerWindow", "the provider stopped sharing"),
        GONE: translate("ConsumerWindow", "the provider (pid {}) is gone").format(number),
        ANOTHER_USER: translated_message(KeyOfAnotherUser(key, number)),
    }[kind]
    return translate("ConsumerWindow", "Watching key '{}': {}.").format(key, reason)
