"""What the ring costs a frame without the copy: a publish of a tiny frame, a look, a pin.

python benchmarks/ring_path.py [--frames N] [--repeats R]

Run it with each checkout's interpreter (before and after a change to the ring's
stores and loads) and compare: the pixels are 8 bytes, so what is left is the
ring's own work -- claiming a slot (semctl), the descriptor, ``newest`` and
``committed`` stores, the doorbell (futex) -- and, for a reader, a look that
finds nothing new (one load of ``committed``) and taking a frame (loads, a pin and
an unpin: two semop).  Best of R repeats, per call.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import timeit
import uuid

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QSharedMemory  # noqa: E402

from shareimg import RAW, Publisher  # noqa: E402
from shareimg.transport import pins  # noqa: E402
from shareimg.transport.keys import key_file  # noqa: E402
from shareimg.transport.ring import RingReader  # noqa: E402


def per_call(action, frames: int, repeats: int) -> float:
    """Microseconds per call, best of ``repeats`` runs of ``frames`` calls."""
    return min(timeit.repeat(action, number=frames, repeat=repeats)) / frames * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    key = f"bench-ring-{uuid.uuid4().hex[:12]}"
    frame = np.zeros((2, 4), np.uint8)
    with Publisher(key, RAW) as publisher:
        publisher.publish(frame)
        shm = QSharedMemory(QSharedMemory.legacyNativeKey(key))
        assert shm.attach(QSharedMemory.AccessMode.ReadOnly), shm.errorString()
        try:
            ring = RingReader(shm.constData(), pins.pins_key(key_file(key)))
            publish = per_call(lambda: publisher.publish(frame), args.frames, args.repeats)
            newest = ring.pin_newest()
            ring.unpin(newest[0])
            generation = newest[1].generation
            look = per_call(lambda: ring.pin_newest(newer_than=generation), args.frames, args.repeats)

            def take() -> None:
                index, _ = ring.pin_newest()
                ring.unpin(index)

            pin = per_call(take, args.frames, args.repeats)
        finally:
            shm.detach()
    print(f"# {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}, {time.strftime('%F %R')}")
    print(f"publish of a 2x4 frame (claim, commit, doorbell)  {publish:7.2f} us")
    print(f"look finding nothing new (pin_newest, newer_than)  {look:7.2f} us")
    print(f"take the newest frame (pin_newest + unpin)         {pin:7.2f} us")


if __name__ == "__main__":
    main()
