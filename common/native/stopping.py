"""Stop signals, held from a program's first line until it can act on them.

SIGINT (Ctrl-C), SIGTERM and SIGHUP (the terminal closed, an ssh session
dropped) all mean "stop".  Python's own SIGINT handler raises
KeyboardInterrupt wherever the program happens to be: inside the import of
PySide6 (shiboken, half initialised, then aborts), inside Qt code that catches
and prints it (the signal is lost), in the middle of a clean-up.  So every
program of shareimg calls :func:`hold` first, before any heavy import: a stop
signal is then only recorded, and :func:`on_stop` acts on it at a point where
stopping is clean -- at once if one came while held.

A signal the program was started with ignored stays ignored: ``nohup`` (SIGHUP),
and a shell's background job (SIGINT), mean the user wants it to live on.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

_received: list[int] = []


def _record(signum: int, _frame: FrameType | None) -> None:
    _received.append(signum)


def _heard() -> list[int]:
    return [signum for signum in STOP_SIGNALS if signal.getsignal(signum) is not signal.SIG_IGN]


def hold() -> None:
    """From now on, a stop signal is recorded, never acted on, until :func:`on_stop`."""
    for signum in _heard():
        signal.signal(signum, _record)


def held() -> bool:
    """Whether a stop signal came while held."""
    return bool(_received)


def on_stop(callback: Callable[[], None]) -> None:
    """Call ``callback`` (on the main thread, between bytecodes) on a stop signal, instead of dying.

    Called at once if one came while the signals were held.
    """
    for signum in _heard():
        signal.signal(signum, lambda *_: callback())
    if _received:
        callback()
