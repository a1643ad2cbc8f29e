"""What each of the article's calls does on one QSharedMemory, and what it says where Qt says nothing.

Each call is exactly Qt's call on the object it is given; around it, the
project's own reason for a failure where Qt gives none (or none of this
call's), and what the call worked on. :class:`HandCalls` makes these calls on
its worker thread, one at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from PySide6.QtCore import QSharedMemory
from PySide6.QtGui import QImage

from shareimg.errors import NothingShared, ShareImgError
from shareimg.transport.codecs import EncodedImage
from shareimg.transport.keys import native_key
from shareimg.transport.publication import write_publication
from shareimg.transport.reader import copy_publication
from shareimg.wire import layout

# Why a call failed, in the project's own words, where Qt gives none (or none of this call's):
ALREADY_ATTACHED = "already attached"  # attach() on an attached object: false, error() untouched
NOT_ATTACHED = "not attached"  # detach(), data() or constData() with nothing attached
NOT_LOCKED = "not locked"  # unlock() by an object whose lock() did not succeed
TOO_SMALL = "too small"  # the image does not fit in the segment
NOTHING_SHARED = "nothing shared"  # the segment holds no image
NOT_AN_IMAGE = "not an image"  # the segment's bytes are no image
LOCK_GONE = "lock gone"  # Qt's lock of the key was removed under this object (initKey: unable to set key on lock)
GAVE_BACK = "QSharedMemory::lock: already locked"  # Qt's warning when it locks inside a call and we held it


@dataclass(frozen=True)
class Said:
    """What one call gave: whether it worked, the project's reason if not, and what it worked on."""

    ok: bool
    reason: str = ""
    detail: str = ""
    image: QImage | None = None
    generation: int = 0


def _drop_kept_handle(shm: QSharedMemory) -> None:
    """Forget the System V key a failed create() kept, as Qt's own create() and attach() first try to.

    After create() fails with AlreadyExists, Qt's object keeps that segment's key. If the segment is
    removed before the object's next create() or attach() (the other program's last detach), that
    call's first step, dropping the kept key, fails on the vanished segment: it returns false untried,
    error() still AlreadyExists from before, and only the call after it works. setNativeKey() with
    the same key drops the kept key without that failure; on an object not attached it does nothing else.
    """
    if not shm.isAttached():
        shm.setNativeKey(shm.nativeIpcKey())


class QtCalls:
    """The calls under ``key``, and who holds the lock by hand: the window's object, or the stand-in."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.holding = {False: False, True: False}  # Qt's lockedByMe, of the window's object and the stand-in's
        self._generation = 0

    def call(self, name: str) -> Callable[[QSharedMemory, object, bool], Said]:
        """The call ``name`` (setKey, create, attach, lock, copy, read, unlock, detach), to make on an object."""
        return getattr(self, "_" + name.lower())

    def _setkey(self, shm: QSharedMemory, _: object, stand_in: bool) -> Said:
        shm.setNativeKey(native_key(self.key))
        self.holding[stand_in] = False
        return Said(True)

    def _create(self, shm: QSharedMemory, size: int, _stand_in: bool) -> Said:
        _drop_kept_handle(shm)
        return Said(shm.create(size))

    def _attach(self, shm: QSharedMemory, _: object, _stand_in: bool) -> Said:
        if shm.isAttached():  # Qt returns false at once and leaves error() as an earlier call left it
            return Said(shm.attach(), ALREADY_ATTACHED)
        _drop_kept_handle(shm)
        return Said(shm.attach())

    def _detach(self, shm: QSharedMemory, _: object, _stand_in: bool) -> Said:
        if not shm.isAttached():  # the same: false, and no error of this call's
            return Said(shm.detach(), NOT_ATTACHED)
        return Said(shm.detach())

    def _lock(self, shm: QSharedMemory, _: object, stand_in: bool) -> Said:
        ok = shm.lock()
        self.holding[stand_in] = self.holding[stand_in] or ok
        return Said(ok)

    def _unlock(self, shm: QSharedMemory, _: object, stand_in: bool) -> Said:
        ok = shm.unlock()  # sets no error when this object holds no lock: it says false, nothing more
        self.holding[stand_in] = self.holding[stand_in] and not ok
        return Said(ok, "" if ok else NOT_LOCKED)

    def _copy(self, shm: QSharedMemory, encoded: EncodedImage, _stand_in: bool) -> Said:
        view = cast("memoryview | None", shm.data())  # PySide6's stub says int
        if view is None:
            return Said(False, NOT_ATTACHED)
        if layout.segment_size(len(encoded.payload)) > len(view):
            return Said(False, TOO_SMALL, f"{len(encoded.payload):,} B > {len(view):,} B")
        # Above what is there: another object may have written into this segment (the stand-in, or
        # the provider), and a watcher takes an equal generation for a frame it has seen.
        self._generation = max(self._generation, layout.committed(view)) + 1
        write_publication(view, encoded, self._generation)
        return Said(True, detail=f"{len(encoded.payload):,} B", generation=self._generation)

    def _read(self, shm: QSharedMemory, _: object, _stand_in: bool) -> Said:
        view = cast("memoryview | None", shm.constData())  # PySide6's stub says int
        if view is None:
            return Said(False, NOT_ATTACHED)
        try:
            image = copy_publication(self.key, view).decode().image
        except NothingShared as error:
            return Said(False, NOTHING_SHARED, str(error))
        except ShareImgError as error:
            return Said(False, NOT_AN_IMAGE, str(error))
        return Said(True, detail=f"{image.width()}×{image.height()}", image=image)
