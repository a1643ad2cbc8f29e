"""The provider app, stopped for good at one step of laying out its ring, for a test to SIGKILL it there.

python tests/programs/killed_at.py STEP KEY
    runs ``shareimg-provider --pattern 32x24 --codec raw --headless --key KEY``; at STEP it prints
    "at STEP pins=N" (N: the id of its pins' semaphore set, -1 while there is none) and sleeps.

STEP is ``segment`` (the segment made, no pins yet), ``pins`` (the pins made, no ring header names
them yet) or ``header`` (the header names them, no trailer says the segment is a ring yet).  The
steps are the real ones: only a pause is added after them.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from shareimg.provider import cli  # noqa: E402
from shareimg.transport import owned_segment, pins  # noqa: E402

step, key = sys.argv[1], sys.argv[2]


def pause(pin_set: int) -> None:
    print(f"at {step} pins={pin_set}", flush=True)
    time.sleep(3600)


make_pins = pins.create


def create(*args: object) -> int:
    if step == "segment":
        pause(-1)
    pin_set = make_pins(*args)
    if step == "pins":
        pause(pin_set)
    return pin_set


class RingWriter(owned_segment.RingWriter):
    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        pause(self.header.pins)


pins.create = create
if step == "header":
    owned_segment.RingWriter = RingWriter
sys.exit(cli.main(["--pattern", "32x24", "--codec", "raw", "--headless", "--key", key]))
