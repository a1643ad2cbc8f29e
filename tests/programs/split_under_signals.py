"""Split copies while signals whose handler raises (as Ctrl-C's does) land anywhere in common/halves.py.

python tests/programs/split_under_signals.py SECONDS
    prints "splits=N interrupted=I early=E" and exits 0; E counts copies whose helper half had not run when
    the copy returned.  A hang ends it after 60 s with a traceback and exit code 1.
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


signal.signal(signal.SIGALRM, handler)
faulthandler.dump_traceback_later(60, exit=True)
helper = halves._the_helper()
signal.setitimer(signal.ITIMER_REAL, 0.0001, 0.00007)
splits = interrupted = early = 0
deadline = time.monotonic() + float(sys.argv[1])
while time.monotonic() < deadline:
    written: list[int] = []
    try:
        splits += 1
        with helper.busy:
            helper.split(lambda: None, lambda written=written: written.append(1))
        early += not written
    except Tick:
        interrupted += 1
signal.setitimer(signal.ITIMER_REAL, 0)
faulthandler.cancel_dump_traceback_later()
print(f"splits={splits} interrupted={interrupted} early={early}", flush=True)
