"""The shared-memory steps as they happen, for whoever wants to watch them.

Publisher, read_shared and Watcher report each Qt call they make -- setKey,
attach, create, lock, copy, unlock, detach -- twice: when it starts (duration
None) and when it ends (with its duration, and Qt's error string if it
failed).  A window can list them (the article, live) or notice that a lock
has been waited for too long.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    name: str  # the QSharedMemory call: "setKey", "attach", "create", "lock", "copy", "read", "unlock", "detach"
    detail: str  # what it worked on, e.g. "1,234 bytes"
    started_ns: int  # time.monotonic_ns()
    duration_ms: float | None = None  # None while the step runs
    error: str | None = None  # Qt's reason, when it failed

    @property
    def running(self) -> bool:
        return self.duration_ms is None


StepObserver = Callable[[Step], None]


@contextmanager
def step(observer: StepObserver | None, name: str, detail: str = "") -> Iterator[None]:
    """Report the block as one step; an exception inside marks it failed, with Qt's reason if it has one."""
    if observer is None:
        yield
        return
    started = time.monotonic_ns()
    observer(Step(name, detail, started))
    try:
        yield
    except Exception as error:
        reason = getattr(error, "qt_error", None) or str(error)
        observer(Step(name, detail, started, (time.monotonic_ns() - started) / 1e6, reason))
        raise
    observer(Step(name, detail, started, (time.monotonic_ns() - started) / 1e6))


def report(observer: StepObserver | None, name: str, detail: Callable[[], str], started_ns: int) -> None:
    """Report a step that ran from ``started_ns`` until now, after the fact.

    For the steps of every frame, which no window needs to see running:
    without an observer this costs nothing, not even the detail's text.
    """
    if observer is not None:
        text = detail()
        observer(Step(name, text, started_ns))
        observer(Step(name, text, started_ns, (time.monotonic_ns() - started_ns) / 1e6))


# Qt takes the segment's lock in all of these, not only in lock().
_LOCKING = {"lock", "attach", "create", "detach"}


class StepTracker:
    """An observer that remembers the step now running, to tell a long lock wait from work.

    Safe to call from a worker thread and read from another: it only swaps one reference.
    """

    def __init__(self, forward: StepObserver | None = None) -> None:
        self._forward = forward
        self._running: Step | None = None

    def __call__(self, current: Step) -> None:
        self._running = current if current.running else None
        if self._forward is not None:
            self._forward(current)

    def lock_wait_seconds(self) -> float:
        """How long the running step has waited for the segment's lock; 0 if none waits."""
        running = self._running
        if running is None or running.name not in _LOCKING:
            return 0.0
        return (time.monotonic_ns() - running.started_ns) / 1e9
