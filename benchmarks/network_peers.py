"""The programs on each side of benchmarks/network.py, one process each.

    network_peers.py source KEY WIDTH HEIGHT FPS       # a provider: raw frames into KEY by Publisher.frame()
    network_peers.py watch KEY...                        # a Watcher per key: when each frame was readable
    network_peers.py zenoh-pub|zmq-pub ENDPOINT WIDTH HEIGHT FPS
    network_peers.py zenoh-sub|zmq-sub ENDPOINT WIDTH HEIGHT

The two peers are what a user would write without the bridge, as research-25.md
section 4 describes them: simplejpeg q85 4:2:0 from the same RGBA array, the
sender's clock (time.time_ns(), before the encode) carried with the frame;
the receiver checks the JPEG header and decodes into a buffer it keeps.
zenoh: a peer configured as the bridge's session is (no scouting, no shared
memory, lease 2 s, so_sndbuf 256 KiB), CongestionControl.DROP, RingChannel(1).
pyzmq: PUB/SUB over TCP, CONFLATE on the receiver (one message a frame: the
clock is an 8-byte prefix), SNDHWM 1, SNDBUF/RCVBUF 256 KiB.

FPS 0 is flat out.  Every program says ``ready`` once it runs and stops on
SIGTERM; a receiving program then prints one JSON line: its frames as
[time.monotonic() when readable, latency in ms, payload bytes].
"""

from __future__ import annotations

import json
import signal
import struct
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
STAMP = struct.Struct("<q")
SOCKET_BUFFER = 256 * 1024


def synthetic(width: int, height: int) -> np.ndarray:
    """Gradients, blocks and noise, RGBA: about 230 KB as a 1080p JPEG at q85 4:2:0, like a camera's."""
    rng = np.random.default_rng(1)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    image = np.stack(
        [
            128 + 100 * np.sin(x / 97) * np.cos(y / 131),
            128 + 90 * np.sin((x + y) / 173),
            127 * (x / width + y / height),
        ],
        -1,
    )
    scale = width / 1920
    for _ in range(40):
        x0, y0 = rng.integers(0, width - int(200 * scale)), rng.integers(0, height - int(150 * scale))
        h, w = int(rng.integers(20, 150) * scale), int(rng.integers(20, 200) * scale)
        image[y0 : y0 + h, x0 : x0 + w] = rng.integers(0, 255, 3)
    image += rng.normal(0, 4, image.shape).astype(np.float32)
    rgb = np.clip(image, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(np.concatenate([rgb, np.full((height, width, 1), 255, np.uint8)], -1))


def two_frames(width: int, height: int) -> list[np.ndarray]:
    """Two different frames, sent in turn: no encoder or receiver sees the same frame twice in a row."""
    first = synthetic(width, height)
    return [first, np.ascontiguousarray(first[::-1])]


def until_stopped() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def paced(fps: float, stop: threading.Event, send_one) -> None:
    """Call ``send_one(i)`` at ``fps`` (0: flat out) until stopped."""
    started, sent = time.monotonic(), 0
    while not stop.is_set():
        send_one(sent)
        sent += 1
        if fps:
            stop.wait(max(0.0, started + sent / fps - time.monotonic()))


# --- the bridge's ends ------------------------------------------------------------------------


def run_source(key: str, width: int, height: int, fps: float) -> None:
    from shareimg import Publisher

    frames = two_frames(width, height)
    stop = until_stopped()
    with Publisher(key, title="network benchmark") as publisher:

        def one(i: int) -> None:
            with publisher.frame(height, width, 4) as slot:  # its publish time: now, before the slot is written
                slot[...] = frames[i % 2]

        one(0)
        print("ready", flush=True)
        paced(fps, stop, one)


def run_watch(keys: list[str]) -> None:
    from shareimg.transport.watcher import Watcher

    stop = until_stopped()
    seen: dict[str, list[list[float]]] = {key: [] for key in keys}

    def watch(key: str) -> None:
        with Watcher(key) as watcher:
            while not stop.is_set():
                frame = watcher.next_frame(0.5, stop, view=True)
                if frame is not None:
                    with frame:
                        seen[key].append([frame.received_ns / 1e9, frame.latency_ms or 0.0, 0])

    threads = [threading.Thread(target=watch, args=(key,), daemon=True) for key in keys]
    for thread in threads:
        thread.start()
    print("ready", flush=True)
    stop.wait()
    for thread in threads:
        thread.join(2.0)
    print(json.dumps(seen), flush=True)


# --- bare zenoh -------------------------------------------------------------------------------


def zenoh_session(endpoint: str, listen: bool):
    import zenoh

    config = {
        "mode": "peer",
        "listen": {"endpoints": [endpoint] if listen else []},
        "connect": {"endpoints": [] if listen else [endpoint]},
        "scouting": {"multicast": {"enabled": False}, "gossip": {"enabled": False}},
        "transport": {
            "shared_memory": {"enabled": False},
            "link": {"tx": {"lease": 2000, "keep_alive": 4}, "tcp": {"so_sndbuf": SOCKET_BUFFER}},
        },
    }
    return zenoh.open(zenoh.Config.from_json5(json.dumps(config)))


def run_zenoh_pub(endpoint: str, width: int, height: int, fps: float) -> None:
    import simplejpeg
    import zenoh

    frames = two_frames(width, height)
    stop = until_stopped()
    session = zenoh_session(endpoint, listen=True)
    publisher = session.declare_publisher(
        "bench/jpeg", encoding="image/jpeg", congestion_control=zenoh.CongestionControl.DROP
    )

    def one(i: int) -> None:
        sent = time.time_ns()
        data = simplejpeg.encode_jpeg(frames[i % 2], 85, "RGBA", "420")
        publisher.put(data, attachment=STAMP.pack(sent))

    print("ready", flush=True)
    paced(fps, stop, one)
    session.close()


def run_zenoh_sub(endpoint: str, width: int, height: int) -> None:
    import zenoh

    stop = until_stopped()
    session = zenoh_session(endpoint, listen=False)
    subscriber = session.declare_subscriber("bench/jpeg", zenoh.handlers.RingChannel(1))
    decoder = Decoder(width, height)

    def receive() -> None:
        while not stop.is_set():
            sample = subscriber.recv()
            decoder.take(sample.payload.to_bytes(), STAMP.unpack(sample.attachment.to_bytes())[0])

    threading.Thread(target=receive, daemon=True).start()
    print("ready", flush=True)
    stop.wait()
    print(json.dumps(decoder.frames), flush=True)


class Decoder:
    """A receiver's work: check the JPEG's header, decode into the one buffer, note when and how late."""

    def __init__(self, width: int, height: int) -> None:
        self.size = (height, width)
        self.buffer = np.empty((height, width, 4), np.uint8)
        self.frames: list[list[float]] = []

    def take(self, data: bytes, sent_ns: int) -> None:
        import simplejpeg

        if simplejpeg.decode_jpeg_header(data)[:2] != self.size:
            raise ValueError("a frame of another size")
        simplejpeg.decode_jpeg(data, "RGBA", buffer=self.buffer)
        self.frames.append([time.monotonic(), (time.time_ns() - sent_ns) / 1e6, len(data)])


# --- pyzmq ------------------------------------------------------------------------------------


def zmq_address(endpoint: str) -> str:
    return "tcp://" + endpoint.removeprefix("tcp/")


def run_zmq_pub(endpoint: str, width: int, height: int, fps: float) -> None:
    import simplejpeg
    import zmq

    frames = two_frames(width, height)
    stop = until_stopped()
    context = zmq.Context()
    socket = context.socket(zmq.PUB)
    for option, value in ((zmq.SNDHWM, 1), (zmq.SNDBUF, SOCKET_BUFFER), (zmq.LINGER, 0)):
        socket.setsockopt(option, value)
    socket.bind(zmq_address(endpoint))

    def one(i: int) -> None:
        sent = time.time_ns()
        data = simplejpeg.encode_jpeg(frames[i % 2], 85, "RGBA", "420")
        socket.send(STAMP.pack(sent) + data, copy=False)

    print("ready", flush=True)
    paced(fps, stop, one)
    socket.close()
    context.term()


def run_zmq_sub(endpoint: str, width: int, height: int) -> None:
    import zmq

    stop = until_stopped()
    context = zmq.Context()
    socket = context.socket(zmq.SUB)
    for option, value in ((zmq.CONFLATE, 1), (zmq.RCVBUF, SOCKET_BUFFER), (zmq.LINGER, 0), (zmq.RCVTIMEO, 200)):
        socket.setsockopt(option, value)
    socket.setsockopt(zmq.SUBSCRIBE, b"")
    socket.connect(zmq_address(endpoint))
    decoder = Decoder(width, height)

    def receive() -> None:
        while not stop.is_set():
            try:
                message = socket.recv(copy=False)
            except zmq.Again:
                continue
            view = message.buffer
            decoder.take(view[STAMP.size :], STAMP.unpack(view[: STAMP.size])[0])

    threading.Thread(target=receive, daemon=True).start()
    print("ready", flush=True)
    stop.wait()
    print(json.dumps(decoder.frames), flush=True)


def main(argv: list[str]) -> None:
    role, rest = argv[0], argv[1:]
    if role == "source":
        run_source(rest[0], int(rest[1]), int(rest[2]), float(rest[3]))
    elif role == "watch":
        run_watch(rest)
    elif role.endswith("-pub"):
        run = {"zenoh-pub": run_zenoh_pub, "zmq-pub": run_zmq_pub}[role]
        run(rest[0], int(rest[1]), int(rest[2]), float(rest[3]))
    else:
        run = {"zenoh-sub": run_zenoh_sub, "zmq-sub": run_zmq_sub}[role]
        run(rest[0], int(rest[1]), int(rest[2]))


if __name__ == "__main__":
    main(sys.argv[1:])
