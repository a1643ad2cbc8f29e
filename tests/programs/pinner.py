"""A reader that takes one frame as a view and keeps it pinned until killed.

python tests/programs/pinner.py KEY     prints "pinned generation=G", then sleeps
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from shareimg import Watcher  # noqa: E402

with Watcher(sys.argv[1]) as watcher:
    frame = watcher.next_frame(timeout=20, view=True)
    if frame is None or not frame.pinned:
        sys.exit("pinner: no frame to pin")
    with frame:
        print(f"pinned generation={frame.metadata.generation}", flush=True)
        time.sleep(3600)
