"""Copy a large frame in two halves at once, one on the caller's thread and one on a helper thread.

Only for frames that come back to back (a stream published flat out): then the
memory is in the cache and both processors are awake, and a 1920x1080 RGBA
frame (8 MB) takes ~0.17 ms instead of ~0.22 ms.  After a pause, the frame is
cold and the other processor asleep: waking it cost more than it saved (1080p
every 33 ms: ~0.69 ms in halves, ~0.47 ms whole), so the caller says when to
split.  Both halves let go of Python's global lock.

The helper is one thread per process, started at the first split copy and
asleep between copies.  It takes one copy at a time: another thread copying
meanwhile copies whole, as does a process given only one processor.
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Callable

#: Smaller copies are not worth waking a thread for (that costs ~10-20 µs).
SPLIT_FROM = 2 << 20

_SPARE_CPU = len(os.sched_getaffinity(0)) > 1 if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1) > 1


class _Helper:
    """A thread that runs the second half of one copy at a time."""

    def __init__(self) -> None:
        self.busy = threading.Lock()  # held by the thread whose copy the helper shares
        self._go, self._done = threading.Lock(), threading.Lock()
        self._go.acquire()
        self._done.acquire()
        self._half: Callable[[], object] = _nothing
        self._error: BaseException | None = None
        threading.Thread(target=self._run, name="shareimg copy helper", daemon=True).start()

    def _run(self) -> None:
        while True:
            self._go.acquire()
            try:
                self._half()
            except BaseException as error:  # noqa: BLE001 -- handed to the caller, who raises it
                self._error = error
            self._done.release()

    def split(self, first: Callable[[], object], second: Callable[[], object]) -> None:
        """Run ``second`` on the helper while ``first`` runs here; the caller holds :attr:`busy`."""
        self._half, self._error = second, None
        self._go.release()
        try:
            first()
        finally:
            self._done.acquire()  # the second half is over before its memory can go
            self._half = _nothing
        if self._error is not None:
            error, self._error = self._error, None
            raise error


def _nothing() -> None:
    pass


_helper: _Helper | None = None
_starting = threading.Lock()


def _forget_helper() -> None:
    global _helper, _starting
    # A forked child has the objects, but not the thread, and perhaps a lock another thread held.
    _helper, _starting = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_helper)


def _the_helper() -> _Helper:
    global _helper
    with _starting:
        if _helper is None:
            _helper = _Helper()
        return _helper


def _run(
    nbytes: int, split: bool, whole: Callable[[], object], first: Callable[[], object], second: Callable[[], object]
) -> None:
    if not split or nbytes < SPLIT_FROM or not _SPARE_CPU:
        whole()
        return
    helper = _helper or _the_helper()
    if not helper.busy.acquire(blocking=False):
        whole()  # another of our threads is copying with the helper
        return
    try:
        helper.split(first, second)
    finally:
        helper.busy.release()


def copyto(target: object, source: object, split: bool) -> None:
    """``numpy.copyto(target, source, casting="no")``; ``split``: the rows in two halves at once if large.

    ``target`` and ``source`` are numpy arrays of one shape and dtype, any strides.
    """
    import numpy

    half = len(target) // 2
    _run(
        target.nbytes,
        split,
        lambda: numpy.copyto(target, source, casting="no"),
        lambda: numpy.copyto(target[:half], source[:half], casting="no"),
        lambda: numpy.copyto(target[half:], source[half:], casting="no"),
    )


def memmove(at: int, source_at: int, nbytes: int, split: bool) -> None:
    """``ctypes.memmove(at, source_at, nbytes)`` of bytes that do not overlap; ``split`` as in :func:`copyto`."""
    half = nbytes // 2
    _run(
        nbytes,
        split,
        lambda: ctypes.memmove(at, source_at, nbytes),
        lambda: ctypes.memmove(at, source_at, half),
        lambda: ctypes.memmove(at + half, source_at + half, nbytes - half),
    )
