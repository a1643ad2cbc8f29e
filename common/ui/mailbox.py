"""The newest frame, handed from a worker thread to the GUI thread without a queue.

A worker puts each frame it made ready; the window takes the newest when it
can draw.  Frames that come while the window is busy replace each other, so a
slow screen skips frames instead of falling behind.
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Signal

Item = TypeVar("Item")


class LatestFrame(QObject, Generic[Item]):
    arrived = Signal()  # something waits in take(); emitted once until it is taken

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._item: Item | None = None
        self._guard = threading.Lock()

    @property
    def empty(self) -> bool:
        """True when the last frame was taken: a worker may skip making the next one ready until then."""
        with self._guard:
            return self._item is None

    def put(self, item: Item) -> None:
        """From any thread: ``item`` replaces what was not taken yet."""
        with self._guard:
            idle, self._item = self._item is None, item
        if idle:
            self.arrived.emit()

    def take(self) -> Item | None:
        with self._guard:
            item, self._item = self._item, None
        return item
