"""Commits 1, 2, ... COUNT as fast as it can, for tests/test_order.py to read from another process.

python tests/programs/committer.py KEY COUNT store_release   one ordered store each, at offset 8 of the segment
python tests/programs/committer.py KEY COUNT commit          the trailer's commit (wire/layout.py), at size - 8
python tests/programs/committer.py KEY COUNT ring            COUNT frames of a raw Publisher's ring under KEY

The first two attach to a segment the test made under KEY and begin once its first word is non-zero;
the ring prints "ready" once its first frame is shared, begins at a SIGUSR1, and stops at another.
"""

from __future__ import annotations

import os
import signal
import sys

# Blocked before any import can start a thread (numpy's), so that only sigwait() takes it.
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSharedMemory  # noqa: E402

from shareimg.native.copies import address  # noqa: E402
from shareimg.native.order import load_acquire, store_release  # noqa: E402
from shareimg.wire import layout  # noqa: E402

key, count, how = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if how == "ring":
    import numpy as np

    from shareimg import RAW, Publisher

    frame = np.zeros((2, 4), np.uint8)
    with Publisher(key, RAW) as publisher:
        publisher.publish(frame)
        print("ready", flush=True)
        signal.sigwait({signal.SIGUSR1})
        for _ in range(count - 1):
            publisher.publish(frame)
        signal.sigwait({signal.SIGUSR1})
    sys.exit(0)

shm = QSharedMemory(QSharedMemory.legacyNativeKey(key))
if not shm.attach():
    sys.exit(f"committer: {shm.errorString()}")
segment = shm.data()
start = address(segment)
while load_acquire(start) == 0:
    pass  # the reader is not reading yet
if how == "store_release":
    for value in range(1, count + 1):
        store_release(start + 8, value)
else:
    for value in range(1, count + 1):
        layout.commit(segment, value)
shm.detach()
