"""What the consumer's window says of the image it shows and of a watch that waits.

(Translated in the window's context, ConsumerWindow.)
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication
from shareimg.common import KeyOfAnotherUser, SharedImage
from shareimg.common.ui.translations import translated_message
from shareimg.common.watcher import ANOTHER_USER, GONE, NOTHING_SHARED, STOPPED

from .stats import StreamStats

translate = QCoreApplication.translate


def status_text(shared: SharedImage, stats: StreamStats | None) -> str:
    """Key, size, codec, generation; and the rate of the stream watched (``stats``), else the bytes."""
    image, meta = shared.image, shared.metadata
    parts = [
        translate("ConsumerWindow", "key '{}'").format(shared.key),
        f"{image.width()}×{image.height()}",
        translate("ConsumerWindow", "{} codec").format(shared.codec),
    ]
    if meta is not None:
        parts.append(translate("ConsumerWindow", "generation {}").format(meta.generation))
    if stats is not None:
        now = time.monotonic_ns()
        latency_ms = stats.latency_ms(now)
        latency = f"{latency_ms:.1f} ms" if latency_ms is not None else "–"
        rate = translate("ConsumerWindow", "{:.0f} fps · {} dropped · latency {}")
        parts.append(rate.format(stats.fps(now), stats.dropped, latency))
    else:
        parts.append(translate("ConsumerWindow", "{:,} bytes").format(shared.segment_bytes))
    return " · ".join(parts)


def waiting_text(key: str, kind: str, number: int) -> str:
    """Why a watch shows nothing new (common.watcher.Watcher.waiting); ``number`` is a pid or a uid."""
    reason = {
        NOTHING_SHARED: translate("ConsumerWindow", "nothing is shared yet"),
        STOPPED: translate("ConsumerWindow", "the provider stopped sharing"),
        GONE: translate("ConsumerWindow", "the provider (pid {}) is gone").format(number),
        ANOTHER_USER: translated_message(KeyOfAnotherUser(key, number)),
    }[kind]
    return translate("ConsumerWindow", "Watching key '{}': {}.").format(key, reason)
