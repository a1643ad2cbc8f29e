"""A consumer that lists the sources over and over, printing each list with the time its look began.

python tests/programs/lister.py watch   SourceWatcher: one line per look it is woken for (events only)
python tests/programs/lister.py poll    sources() in a loop, as fast as it goes

Each line: "list at=NS sources=KEY@PID,..." (NS: time.monotonic_ns() when the look began).
SIGTERM ends it with exit code 0.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication

from shareimg.discovery.source_watcher import SourceWatcher
from shareimg.discovery.sources import Source, sources
from shareimg.qt.signals import EventLoop


def show(at_ns: int, found: list[Source]) -> None:
    print(f"list at={at_ns} sources={','.join(f'{s.key}@{s.pid}' for s in found)}", flush=True)


if sys.argv[1] == "watch":
    app = QCoreApplication([])
    loop = EventLoop(app)
    watcher = SourceWatcher(app)
    watcher.updated.connect(lambda found: show(watcher.as_of_ns, found))
    print("ready", flush=True)
    show(watcher.as_of_ns, watcher.sources)
    loop.run()
    watcher.stop()
else:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("ready", flush=True)
    while not stop.is_set():
        began = time.monotonic_ns()
        show(began, sources(0))
        stop.wait(0.02)
