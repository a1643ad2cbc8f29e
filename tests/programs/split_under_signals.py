"""Split copies while signals whose handler raises (as Ctrl-C's does) land anywhere in common/halves.py.

python tests/programs/split_under_signals.py SECONDS
    prints "splits=N interrupted=I early=E overlaps=O" and exits 0.  E counts copies that a signal ended
    while their half still ran (allowed: the caller publishes nothing then); O counts copies whose first
    half began while the split before's second half still ran (never allowed).  A hang ends it after 60 s
    with exit code 1.
"""

from __future__ import annotations

import faulthandler
import signal
import sys
import time

from shareimg.common import halves


class Tick(Exception):
    pass


def handler(signum: int, frame: object) -> None:
    if frame is not None and frame.f_code.co_filename.endswith("halves.py"):
        raise Tick


def busy_for(microseconds: int, spans: dict[int, tuple[int, int]], number: int) -> None:
    started = time.perf_counter_ns()
    while time.perf_counter_ns() - started < microseconds * 1000:
        pass
    spans[number] = (started, time.perf_counter_ns())


signal.signal(signal.SIGALRM, handler)
faulthandler.dump_traceback_later(60, exit=True)
helper = halves._the_helper()
firsts: dict[int, tuple[int, int]] = {}  # each split's first half, on this thread
seconds: dict[int, tuple[int, int]] = {}  # ... and its second, on the helper
signal.setitimer(signal.ITIMER_REAL, 0.0001, 0.00007)
splits = interrupted = early = 0
deadline = time.monotonic() + float(sys.argv[1])
while time.monotonic() < deadline:
    splits += 1
    number = splits
    try:
        with helper.busy:
            helper.split(lambda n=number: busy_for(10, firsts, n), lambda n=number: busy_for(50, seconds, n))
    except Tick:
        interrupted += 1
        early += number not in seconds and not helper._half.over  # read here: no frame in halves.py
signal.setitimer(signal.ITIMER_REAL, 0)
halves.wait_idle()
faulthandler.cancel_dump_traceback_later()
# A split's first half may not start while the half of the split before still runs: both could be one slot.
overlaps = sum(n - 1 in seconds and start < seconds[n - 1][1] for n, (start, _) in firsts.items())
print(f"splits={splits} interrupted={interrupted} early={early} overlaps={overlaps}", flush=True)
