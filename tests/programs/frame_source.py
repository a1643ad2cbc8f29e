"""A raw stream whose frames say their number, for the network tests to tell which frame arrived.

python tests/programs/frame_source.py KEY WxH FPS [--age-ms A] [--noise N]

Frame n is a gradient plus noise of amplitude N (so that JPEG frames weigh what a camera's do), with
n in the first 4 pixels (uint32, little-endian, in their first byte each: 4 bytes survive raw only).
``--age-ms`` publishes each frame as published A ms before it was: a known publish time for a
receiver's end-to-end latency.  Prints "ready" once the first frame is shared; stops at SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np

from shareimg import RAW, Publisher

parser = argparse.ArgumentParser()
parser.add_argument("key")
parser.add_argument("size")
parser.add_argument("fps", type=float)
parser.add_argument("--age-ms", type=float, default=0.0)
parser.add_argument("--noise", type=int, default=0)
args = parser.parse_args()
width, height = map(int, args.size.split("x"))
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())

rng = np.random.default_rng(1)
gradient = (np.arange(width, dtype=np.uint16)[None, :] * 255 // max(width - 1, 1)).astype(np.uint8)
base = np.repeat(np.repeat(gradient, height, axis=0)[:, :, None], 3, axis=2)
# A few noisy frames cycled: making fresh noise at 1080p60 would cost more than the network does.
frames = [base ^ rng.integers(0, args.noise + 1, base.shape, np.uint8) for _ in range(4)] if args.noise else [base]


def stamp(frame: np.ndarray, number: int) -> None:
    frame[0, :4, 0] = np.frombuffer(number.to_bytes(4, "little"), np.uint8)


with Publisher(args.key, RAW, title="frame source") as publisher:
    period, number, start = 1.0 / args.fps, 0, time.monotonic()
    while not stop.is_set():
        frame = frames[number % len(frames)]
        stamp(frame, number)
        publisher.publish(frame, published_ns=time.monotonic_ns() - int(args.age_ms * 1e6))
        if number == 0:
            print("ready", flush=True)
        number += 1
        stop.wait(max(0.0, start + number * period - time.monotonic()))
