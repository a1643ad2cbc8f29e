"""A consumer that lists the sources over and over, printing each list with the time its look began.

python tests/lister.py watch   SourceWatcher: one line per look it is woken for (events only)
python tests/lister.py poll    sources() in a loop, as fast as it goes

Each line: "list at=NS sources=KEY@PID,..." (NS: time.monotonic_ns() when the look began).
SIGTERM ends it with exit code 0.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication  # noqa: E402
from shareimg.common.signals import EventLoop  # noqa: E402
from shareimg.common.source_watcher import SourceWatcher  # noqa: E402
from shareimg.common.sources import Source, sources  # noqa: E402


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
