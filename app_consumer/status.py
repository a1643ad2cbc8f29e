"""What the consumer's window says of the image it shows and of a watch that waits.

(Translated in the window's context, ConsumerWindow.)
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication

from shareimg import KeyOfAnotherUser, SharedImage
from shareimg.consumer.stats import StreamStats
from shareimg.transport.waiting import ANOTHER_USER, GONE, NOTHING_SHARED, STOPPED
from shareimg.ui.labels import KEPT, Field
from shareimg.ui.translations import translated_message

translate = QCoreApplication.translate


def status_text(shared: SharedImage, stats: StreamStats | None) -> list[Field]:
    """Key, size, codec, generation; and the rate of the stream watched (``stats``), else the bytes.

    Each field is translated on its own and carries its rank (see
    common.ui.labels.shortened): when the line is too narrow the bytes and the
    dropped frames go first, the key next (the title says it), the size and the
    codec never.
    """
    image, meta = shared.image, shared.metadata
    fields = [
        Field(translate("ConsumerWindow", "key '{}'").format(shared.key), 3),
        Field(f"{image.width()}×{image.height()}", KEPT),
        Field(translate("ConsumerWindow", "{} codec").format(shared.codec), KEPT),
    ]
    if meta is not None:
        fields.append(Field(translate("ConsumerWindow", "generation {}").format(meta.generation), 4))
    if stats is not None:
        now = time.monotonic_ns()
        latency_ms = stats.latency_ms(now)
        latency = f"{latency_ms:.1f} ms" if latency_ms is not None else "–"
        fields += [
            Field(translate("ConsumerWindow", "{:.0f} fps").format(stats.fps(now)), 6),
            Field(translate("ConsumerWindow", "{} dropped").format(stats.dropped), 1),
            Field(translate("ConsumerWindow", "latency {}").format(latency), 5),
        ]
    else:
        fields.append(Field(translate("ConsumerWindow", "{:,} bytes").format(shared.segment_bytes), 2))
    return fields


def waiting_text(key: str, kind: str, number: int) -> str:
    """Why a watch shows nothing new (common.watcher.Watcher.waiting); ``number`` is a pid or a uid."""
    reason = {
        NOTHING_SHARED: translate("ConsumerWindow", "nothing is shared yet"),
        STOPPED: translate("ConsumerWindow", "the provider stopped sharing"),
        GONE: translate("ConsumerWindow", "the provider (pid {}) is gone").format(number),
        ANOTHER_USER: translated_message(KeyOfAnotherUser(key, number)),
    }[kind]
    return translate("ConsumerWindow", "Watching key '{}': {}.").format(key, reason)
