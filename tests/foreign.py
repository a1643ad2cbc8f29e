"""Another program's writer and reader, in the test process: QSharedMemory used the way Qt's C++ example does.

The project's code reaches QSharedMemory only through ``common``; this stands
for a program that is not ours.
"""

from __future__ import annotations

from PySide6.QtCore import QSharedMemory


class ForeignSegment:
    def __init__(self, key: str, data: bytes) -> None:
        self.shm = QSharedMemory(QSharedMemory.legacyNativeKey(key))
        assert self.shm.create(len(data)), self.shm.errorString()
        assert self.shm.lock()
        self.shm.data()[: len(data)] = data
        assert self.shm.unlock()

    def close(self) -> None:
        self.shm.detach()


class ForeignReader:
    """A reader that stays attached, as a slow consumer would."""

    def __init__(self, key: str) -> None:
        self.shm = QSharedMemory(QSharedMemory.legacyNativeKey(key))
        assert self.shm.attach(QSharedMemory.AccessMode.ReadOnly), self.shm.errorString()

    def close(self) -> None:
        self.shm.detach()
