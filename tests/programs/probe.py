"""A consumer that checks what it sees: every frame of the moving test pattern, whole and in order.

python tests/programs/probe.py KEY     prints "frame generation=G width=W height=H corners=C" per frame
"""

from __future__ import annotations

import os
import signal
import sys
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication

from shareimg import ShareImgError
from shareimg.provider.streams import pattern_index
from shareimg.transport.watcher import Watcher

app = QGuiApplication([])
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
watcher = Watcher(sys.argv[1])
print("watching", flush=True)
while not stop.is_set():
    try:
        frame = watcher.next_frame(stop=stop)
    except ShareImgError as error:
        print(f"error {error}", flush=True)
        continue
    if frame is None:
        break
    image = frame.shared.image
    w, h = image.width(), image.height()
    corners = {pattern_index(image, x, y) for x in (0, w - 1) for y in (0, h - 1)}
    print(
        f"frame generation={frame.shared.metadata.generation} width={w} height={h} "
        f"corners={','.join(map(str, sorted(corners)))} reason={watcher.waiting_reason}",
        flush=True,
    )
watcher.close()
