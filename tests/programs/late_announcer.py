"""A program that shares first and announces itself later: a Qt program that starts announcing.

python tests/programs/late_announcer.py KEY TITLE
    shares a Qt stream under KEY (as the article's program A does) and prints "shared"; on SIGUSR1
    announces itself as TITLE and prints "announced"; on SIGTERM withdraws, detaches and exits.
"""

from __future__ import annotations

import signal
import sys

from PySide6.QtCore import QSharedMemory
from PySide6.QtGui import QImage

from shareimg import QT
from shareimg.discovery.announcements import Announcement

key, title = sys.argv[1], sys.argv[2]
image = QImage(32, 24, QImage.Format.Format_RGB32)
image.fill(0x336699)
payload = bytes(QT.encode(image).payload)
shm = QSharedMemory(QSharedMemory.legacyNativeKey(key))
if not shm.create(len(payload)):
    sys.exit(f"late_announcer: cannot create: {shm.errorString()}")
shm.lock()
shm.data()[: len(payload)] = payload
shm.unlock()
announcement = Announcement(key, title)


def announce(*_: object) -> None:
    announcement.announce()
    print(announcement.error or "announced", flush=True)


signal.signal(signal.SIGUSR1, announce)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
print("shared", flush=True)
try:
    while True:
        signal.pause()
finally:
    announcement.withdraw()
    shm.detach()
