"""Another program that takes the segment's lock and keeps it: a stuck or slow writer.

python tests/holder.py KEY SECONDS     prints "locked", holds the lock, unlocks, exits
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QSharedMemory

key, seconds = sys.argv[1], float(sys.argv[2])
shm = QSharedMemory(QSharedMemory.legacyNativeKey(key))
if not shm.attach():
    sys.exit(f"holder: cannot attach: {shm.errorString()}")
shm.lock()
print("locked", flush=True)
time.sleep(seconds)
shm.unlock()
shm.detach()
print("released", flush=True)
