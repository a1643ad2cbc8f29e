"""Copy a large frame in two halves at once, one on the caller's thread and one on a helper thread.

Only for frames that come back to back (a stream published flat out), and only
while it pays.  After a pause the frame is cold and the other processor asleep,
and waking it costs more than it saves (1080p every 33 ms: ~0.69 ms in halves,
~0.47 ms whole): the caller says when it may split.  Back to back, it depends on
the size and the machine.  Flat out to a reader in another process, on the
2-core machine measured, 1920x1080 RGBA frames (8 MB) went ~20 % faster split
(~4,900 against ~4,200 a second); 1280x720 ones (3.7 MB, which the caches
hold) 30 % slower; 4K ones (33 MB, bound by the memory) 5 to 15 % faster for 55 %
more processor time.  So each size is tried both ways on its first copies and
again every few thousand, and split only while the stream goes clearly (10 %)
faster.  Both halves let go of Python's global lock.

The helper is one thread per process, started at the first split copy and
asleep between copies.  It takes one copy at a time: another thread copying
meanwhile copies whole, as does a process given only one processor.
"""

from __future__ import annotations

import ctypes
import os
import statistics
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy

#: Smaller copies are not worth waking a thread for (that costs ~10-40 µs).
SPLIT_FROM = 2 << 20
TRIAL_COPIES = 200  # copies of a size made whole and split, to choose
_TRIAL_RUN = 100  # ... in runs of this many: a helper woken for every other copy is slower than one kept busy
RETRIAL_EVERY = 4000  # copies, after which a size is tried again: the machine's load changes
_SPLIT_PACE_AT_MOST = 0.9  # split copies must keep a pace of at most this part of whole ones' pace
_SIZES_KEPT = 16

_SPARE_CPU = len(os.sched_getaffinity(0)) > 1 if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1) > 1


class _Half:
    """The second half of one copy, handed to the helper: done once ``over``.

    A new one, with a lock of its own, for every copy: whatever a wait cut short
    leaves behind (a release nobody took) stays with this copy.  A signal whose
    handler raises (Ctrl-C) can still end the copy while its half runs -- pure
    Python has no wait that no signal can cut short -- so the half keeps what it
    reads alive, the next split waits for it, and a publisher calls
    :func:`wait_idle` before it writes a slot or unmaps a segment.
    """

    __slots__ = ("copy", "over", "error", "_done")

    def __init__(self, copy: Callable[[], object], over: bool = False) -> None:
        self.copy = copy
        self.over = over
        self.error: BaseException | None = None
        self._done = threading.Lock()
        self._done.acquire()

    def run(self) -> None:
        try:
            self.copy()
        except BaseException as error:  # noqa: BLE001 -- handed to the caller, who raises it
            self.error = error
        self.over = True  # before the release: a waiter cut short by a signal looks here
        self._done.release()

    def wait(self) -> None:
        """Until the half is over, then raise a signal's exception that came meanwhile.

        A latch: each waiter passes the release on, so several (a thread, a
        signal handler on the thread that copies) all end; one that misses it
        (a signal between its acquire and its release) still looks every 50 ms.
        """
        interrupted: BaseException | None = None
        while not self.over:
            try:
                if self._done.acquire(timeout=0.05):
                    self._done.release()
            except BaseException as error:  # noqa: BLE001 -- a signal's (Ctrl-C): raised once the half is over
                interrupted = error
        if interrupted is not None:
            raise interrupted


class _Helper:
    """A thread that runs the second half of one copy at a time."""

    def __init__(self) -> None:
        # Held by the thread whose copy the helper shares; re-entrant, so that a signal handler on that
        # thread copying too does not wait on itself, and it knows its owner (see _copy).
        self.busy = threading.RLock()
        self._go = threading.Lock()  # released once per half handed over
        self._go.acquire()
        self._half = _Half(_nothing, over=True)
        self._thread = threading.Thread(target=self._run, name="shareimg copy helper", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            self._go.acquire()
            self._half.run()

    @property
    def idle(self) -> bool:
        return self._half.over

    def wait_idle(self) -> None:
        """Until the last half handed over is done (at once on the helper's own thread: it is not copying)."""
        if threading.current_thread() is not self._thread:
            self._half.wait()

    def split(self, first: Callable[[], object], second: Callable[[], object]) -> None:
        """Run ``second`` on the helper while ``first`` runs here; the caller holds :attr:`busy`.

        Each half is handed over alone: one whose wait a signal cut short is waited for first.
        """
        self._half.wait()
        half = self._half = _Half(second)
        try:
            self._go.release()
            first()
        finally:
            half.wait()
        if half.error is not None:
            raise half.error


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


class Trial:
    """Whether a stream of copies of one size goes faster whole or split, here and now.

    Measured by the stream's pace, the time from one copy's start to the next
    one's, not by the copy alone: a helper kept busy also keeps the other
    processor awake, which makes the wake-ups of readers cheaper too.
    """

    def __init__(self) -> None:
        self.copies = 0
        self.splits = False  # the choice, once tried
        self._paces: tuple[list[int], list[int]] = ([], [])  # after whole copies, after split ones
        self._last: tuple[int, bool] | None = None  # when the copy before started, and whether it was split

    def wants_split(self) -> bool:
        """Whether the next copy is split."""
        phase = self.copies % RETRIAL_EVERY
        return (phase // _TRIAL_RUN) % 2 == 1 if phase < TRIAL_COPIES else self.splits

    def started(self, split: bool, now_ns: int) -> None:
        """A copy, ``split`` or whole, starts at ``now_ns``: the time since the one before counts for that one."""
        phase = self.copies % RETRIAL_EVERY
        self.copies += 1
        last, self._last = self._last, (now_ns, split)
        if last is None or not 0 < phase <= TRIAL_COPIES:
            return
        self._paces[last[1]].append(now_ns - last[0])
        if phase == TRIAL_COPIES:
            if all(self._paces):
                whole, halves = map(statistics.median, self._paces)
                self.splits = halves < whole * _SPLIT_PACE_AT_MOST
            self._paces = ([], [])

    def paused(self) -> None:
        """A copy of this size came after a pause: the time to the next one is no pace of the stream."""
        self._last = None


_trials: dict[int, Trial] = {}


def _trial(nbytes: int) -> Trial:
    trial = _trials.get(nbytes)
    if trial is None:
        if len(_trials) >= _SIZES_KEPT:
            _trials.clear()  # a program of ever new sizes: try them afresh
        trial = _trials[nbytes] = Trial()
    return trial


def wait_idle() -> None:
    """Until no half copy runs: one whose wait a signal cut short may (a publisher calls this before it
    writes a slot or unmaps a segment).  Another thread's half ends within one copy."""
    helper = _helper
    if helper is not None and not helper.idle:
        helper.wait_idle()


def _copy(
    nbytes: int, may_split: bool, whole: Callable[[], object], first: Callable[[], object], second: Callable[[], object]
) -> None:
    if not may_split or nbytes < SPLIT_FROM or not _SPARE_CPU:
        trial = _trials.get(nbytes) if nbytes >= SPLIT_FROM else None
        if trial is not None:
            trial.paused()
        whole()
        return
    trial = _trial(nbytes)
    helper = _usable_helper() if trial.wants_split() else None
    try:
        if helper is None or not helper.busy.acquire(blocking=False):
            trial.started(False, time.perf_counter_ns())
            whole()  # as chosen, or another of our threads is copying with the helper
            return
        trial.started(True, time.perf_counter_ns())
        helper.split(first, second)
    finally:
        # Asked of the lock, not remembered: a signal between the acquire and its note would leak it.
        if helper is not None and helper.busy._is_owned():
            helper.busy.release()


def _usable_helper() -> _Helper | None:
    """The helper, started if need be; None if no thread can start (too many, or the interpreter is ending)."""
    try:
        return _helper or _the_helper()
    except RuntimeError:
        return None


def copyto(target: numpy.ndarray, source: numpy.ndarray, may_split: bool) -> None:
    """``numpy.copyto(target, source, casting="no")``; ``may_split``: the rows in two halves at once if that pays.

    ``target`` and ``source`` are numpy arrays of one shape and dtype, any strides, that do not overlap.
    """
    import numpy

    half = len(target) // 2
    _copy(
        target.nbytes,
        may_split and half > 0,
        lambda: numpy.copyto(target, source, casting="no"),
        lambda: numpy.copyto(target[:half], source[:half], casting="no"),
        lambda: numpy.copyto(target[half:], source[half:], casting="no"),
    )


def memmove(at: int, source_at: int, nbytes: int, may_split: bool, source: object = None) -> None:
    """``ctypes.memmove(at, source_at, nbytes)`` of bytes that do not overlap; ``may_split`` as in :func:`copyto`.

    ``source``: the object whose memory ``source_at`` is, kept alive by the helper's half.
    """
    half = nbytes // 2
    _copy(
        nbytes,
        may_split,
        lambda: ctypes.memmove(at, source_at, nbytes),
        lambda: ctypes.memmove(at, source_at, half),
        lambda: (source, ctypes.memmove(at + half, source_at + half, nbytes - half)),
    )
