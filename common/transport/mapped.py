"""The bytes of an attached QSharedMemory, typed as PySide6 hands them out.

``data()`` and ``constData()`` give a memoryview of the mapped segment (writable
and read-only), or None when nothing is attached; PySide6's stubs say int.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QSharedMemory


def writable(shm: QSharedMemory) -> memoryview:
    """``shm.data()``, for an attached ``shm``."""
    return cast(memoryview, shm.data())


def readonly(shm: QSharedMemory) -> memoryview:
    """``shm.constData()``, for an attached ``shm``."""
    return cast(memoryview, shm.constData())
