"""shareimg beside its peers: the same frames between two processes, in one run.

    .venv/bin/python benchmarks/bench.py --peers          # this section alone (make bench runs it too)
    .venv/bin/python benchmarks/bench.py --paired 8       # only the two iceoryx2 pairs, 8 pairs of runs each

Like is compared with like, in two pairs of senders:

- the copy path: shareimg's ``publisher.publish(array)`` (raw codec) beside
  iceoryx2's publisher sending a copy of the same array.  iceoryx2's Python API
  has no copy-send for a slice (its ``send_copy`` takes fixed-size ctypes
  payloads only), so its copy path is what that method does inside: loan an
  uninitialised slice, copy into it, send.  Both copies are numpy's, so that
  the pair compares the transports, not two memcpy loops;
- the write-in-place path: shareimg's ``with publisher.frame(h, w, 4) as a``
  beside iceoryx2's loan (``loan_slice_uninit``, write, ``send``).

The writer's work per frame is the same on both sides of a pair: the clock is
read before the first call, the same source array is copied once, the same
stamps are written (into the source before the copy path's copy, into the slot
after the write-in-place fill).  The two sides of a pair run back to back,
which goes first alternating, several pairs: on a shared machine the rate of a
run moves by 10 to 30 % from one run to the next, more than the peers differ.
Each pair gives a ratio; the table gives the median of the ratios beside the
targets.

Besides: pyzmq (PUB/SUB over ipc://, high-water mark 2) and a hand-written
``multiprocessing.shared_memory`` pair (one buffer, a counter, no lock, the
reader polls), one run each.  The floor is one copy of the frame within one
process.  Each frame carries, at its start, middle and end, a sequence number
and the sender's clock before its first call: the receiver measures the time
from then to the moment it holds the frame, as a *view* (it can read the frame
in place) and *owned* (after its own copy), and counts a frame as torn when the
three stamps disagree.  Paced runs send 30 frames a second;
flat-out runs send as fast as the sender can.

The peers are a benchmark extra (``pip install '.[bench]'``, which ``make bench``
does); the apps and tests never need them.

This file is also the program of each side: ``peers.py send|recv PEER SIZE MODE NAME SECONDS``.
"""

from __future__ import annotations

import ctypes
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"1080p": (1920, 1080), "4K": (3840, 2160)}
# The two pairs compared like with like (shareimg's, then iceoryx2's), and the others, run once each.
PAIRS = [("shareimg-copy", "iceoryx2-copy"), ("shareimg-frame", "iceoryx2-loan")]
OTHERS = ["pyzmq", "shared_memory"]
PEERS = [peer for pair in PAIRS for peer in pair] + OTHERS
LABELS = {
    "shareimg-copy": "shareimg publish(array)",
    "iceoryx2-copy": "iceoryx2 copy (loan, copy, send)",
    "shareimg-frame": "shareimg frame() (write in place)",
    "iceoryx2-loan": "iceoryx2 loan (write in place, send)",
    "pyzmq": "pyzmq",
    "shared_memory": "shared_memory pair",
}
# The targets of issue 23, per pair: the lowest median ratio (shareimg's flat-out rate over iceoryx2's).
RATE_TARGETS = {("shareimg-copy", "1080p"): 0.90, ("shareimg-frame", "1080p"): 1.0, ("shareimg-frame", "4K"): 1.0}
# Paced latency is level when shareimg's median is at most this much above iceoryx2's.
LEVEL_LATENCY = 0.10
PACED_FPS = 30
WARMUP_FRAMES = 5  # the first frames fault in fresh pages on both sides
IDLE_END_SECONDS = 1.5  # a receiver that heard nothing this long after a frame is done


def frame_bytes(size: str) -> int:
    width, height = SIZES[size]
    return width * height * 4


# --- the stamps -------------------------------------------------------------------------------


def _stamp_offsets(n: int) -> tuple[int, int, int]:
    return 0, n // 2 // 16 * 16, n - 16


def stamp(flat: np.ndarray, seq: int, now: int) -> None:
    """Write (seq, now) at the start, middle and end of ``flat``."""
    for at in _stamp_offsets(len(flat)):
        flat[at : at + 16].view("<u8")[:] = (seq, now)


def read_stamps(flat: np.ndarray) -> tuple[int, int, bool]:
    """(seq, sent_ns, torn) of a frame."""
    marks = [tuple(flat[at : at + 16].view("<u8")) for at in _stamp_offsets(len(flat))]
    return int(marks[0][0]), int(marks[0][1]), len(set(marks)) > 1


def source_frame(size: str) -> np.ndarray:
    width, height = SIZES[size]
    rng = np.random.default_rng(7)
    return rng.integers(0, 256, (height, width, 4), dtype=np.uint8)


# --- senders ---------------------------------------------------------------------------------


def _paced(mode: str, seconds: float, send_one) -> dict:
    started = time.monotonic()
    cpu = time.process_time()  # the whole process's, every thread of it
    sent = 0
    while time.monotonic() - started < seconds:
        send_one(sent)
        sent += 1
        if mode == "paced":
            time.sleep(max(0.0, started + sent / PACED_FPS - time.monotonic()))
    return {
        "sent": sent,
        "sent_fps": sent / (time.monotonic() - started),
        "sender_cpu_us": (time.process_time() - cpu) / max(sent, 1) * 1e6,
    }


def send_shareimg_copy(size: str, mode: str, name: str, seconds: float) -> dict:
    from shareimg import RAW, Publisher

    frame = source_frame(size)
    flat = frame.reshape(-1)
    with Publisher(name, RAW) as publisher:

        def one(seq: int) -> None:
            stamp(flat, seq, time.monotonic_ns())
            publisher.publish(frame)

        return _paced(mode, seconds, one)


def send_shareimg_frame(size: str, mode: str, name: str, seconds: float) -> dict:
    from shareimg import RAW, Publisher

    frame = source_frame(size)
    height, width, channels = frame.shape
    with Publisher(name, RAW) as publisher:

        def one(seq: int) -> None:
            now = time.monotonic_ns()  # before the first call
            with publisher.frame(height, width, channels) as slot:
                np.copyto(slot, frame)
                stamp(slot.reshape(-1), seq, now)

        return _paced(mode, seconds, one)


def send_iceoryx2_copy(size: str, mode: str, name: str, seconds: float) -> dict:
    frame = source_frame(size).reshape(-1)

    def one(seq: int, loan, send) -> None:
        stamp(frame, seq, time.monotonic_ns())  # before the loan, the first call
        slot, sample = loan()
        np.copyto(slot, frame)
        send(sample)

    return _send_iceoryx2(size, mode, name, seconds, one)


def send_iceoryx2_loan(size: str, mode: str, name: str, seconds: float) -> dict:
    frame = source_frame(size).reshape(-1)

    def one(seq: int, loan, send) -> None:
        now = time.monotonic_ns()  # before the loan, the first call
        slot, sample = loan()
        np.copyto(slot, frame)
        stamp(slot, seq, now)
        send(sample)

    return _send_iceoryx2(size, mode, name, seconds, one)


def _send_iceoryx2(size: str, mode: str, name: str, seconds: float, one) -> dict:
    import iceoryx2 as iox2

    n = frame_bytes(size)
    node = _iceoryx2_node(iox2)
    service = _iceoryx2_service(iox2, node, name)
    publisher = service.publisher_builder().initial_max_slice_len(n).create()
    notifier = _iceoryx2_event(iox2, node, name).notifier_builder().create()

    def loan() -> tuple[np.ndarray, object]:
        sample = publisher.loan_slice_uninit(n)
        return np.frombuffer((ctypes.c_uint8 * n).from_address(sample.payload_ptr), np.uint8), sample

    def send(sample) -> None:
        sample.assume_init().send()
        notifier.notify()

    result = _paced(mode, seconds, lambda seq: one(seq, loan, send))
    time.sleep(0.2)  # let the subscriber take the last sample before the publisher goes
    return result


def _iceoryx2_node(iox2):
    iox2.set_log_level(iox2.LogLevel.Error)  # not its note that it runs on defaults, on our stdout
    return iox2.NodeBuilder.new().create(iox2.ServiceType.Ipc)


def _iceoryx2_service(iox2, node, name: str):
    return (
        node.service_builder(iox2.ServiceName.new(name))
        .publish_subscribe(iox2.Slice[ctypes.c_uint8])
        .enable_safe_overflow(True)
        .subscriber_max_buffer_size(2)
        .history_size(0)
        .open_or_create()
    )


def _iceoryx2_event(iox2, node, name: str):
    return node.service_builder(iox2.ServiceName.new(name + "/ready")).event().open_or_create()


def send_pyzmq(size: str, mode: str, name: str, seconds: float) -> dict:
    import zmq

    context = zmq.Context()
    socket = context.socket(zmq.PUB)
    socket.setsockopt(zmq.SNDHWM, 2)
    socket.connect(_zmq_address(name))
    time.sleep(0.5)  # PUB/SUB drops what is sent before the subscription arrives
    frame = source_frame(size).reshape(-1)

    def one(seq: int) -> None:
        stamp(frame, seq, time.monotonic_ns())
        socket.send(frame, copy=True)

    result = _paced(mode, seconds, one)
    time.sleep(0.2)
    socket.close(linger=0)
    context.term()
    return result


def _zmq_address(name: str) -> str:
    return f"ipc://{os.environ.get('TMPDIR', '/tmp')}/{name}.ipc"


def send_shared_memory(size: str, mode: str, name: str, seconds: float) -> dict:
    from multiprocessing import shared_memory

    n = frame_bytes(size)
    shm = shared_memory.SharedMemory(name=name, create=True, size=64 + n)
    # counter, then the frame; views of shm.buf must go before it closes
    views = [np.ndarray(1, "<u8", buffer=shm.buf), np.ndarray(n, np.uint8, buffer=shm.buf, offset=64)]
    frame = source_frame(size).reshape(-1)

    def one(seq: int) -> None:
        stamp(frame, seq, time.monotonic_ns())
        views[1][:] = frame
        views[0][0] = seq + 1

    try:
        return _paced(mode, seconds, one)
    finally:
        time.sleep(0.2)
        views.clear()
        shm.close()
        shm.unlink()


# --- receivers -------------------------------------------------------------------------------


class Tally:
    def __init__(self) -> None:
        self.view: list[float] = []
        self.owned: list[float] = []
        self.frames = 0
        self.torn = 0
        self.first = self.last = 0.0

    def record(self, flat: np.ndarray, held_ns: int | None, copy_out=None, owned_ns: int | None = None) -> None:
        """One frame, a view held since ``held_ns``; ``copy_out`` makes the owned copy (or it came at ``owned_ns``)."""
        seq, sent_ns, torn = read_stamps(flat)
        if copy_out is not None:
            copied = copy_out()
            owned_ns = time.monotonic_ns()
            torn = torn or read_stamps(copied)[2]
        now = time.monotonic()
        self.first = self.first or now
        self.last = now
        self.frames += 1
        self.torn += torn
        if seq >= WARMUP_FRAMES and not torn:
            if held_ns is not None:
                self.view.append((held_ns - sent_ns) / 1e6)
            if owned_ns is not None:
                self.owned.append((owned_ns - sent_ns) / 1e6)

    def result(self) -> dict:
        span = self.last - self.first
        return {
            "frames": self.frames,
            "received_fps": (self.frames - 1) / span if span > 0 else 0.0,
            "torn": self.torn,
            "view_ms": self.view,
            "owned_ms": self.owned,
        }


def _ready() -> None:
    print("ready", flush=True)


def recv_shareimg(size: str, mode: str, name: str, seconds: float) -> dict:
    from shareimg import Watcher

    tally = Tally()
    _ready()
    deadline = time.monotonic() + seconds + 10
    with Watcher(name) as watcher:
        while time.monotonic() < deadline:
            frame = watcher.next_frame(timeout=IDLE_END_SECONDS if tally.frames else 1.0, view=True)
            if frame is None:
                if tally.frames:
                    break
                continue
            with frame:
                held = time.monotonic_ns()
                flat = np.frombuffer(frame.pixels, np.uint8)
                copy = (lambda f=frame: np.frombuffer(f.copy().pixels, np.uint8)) if mode == "paced" else None
                tally.record(flat, held, copy)
    return tally.result()


def recv_iceoryx2(size: str, mode: str, name: str, seconds: float) -> dict:
    import iceoryx2 as iox2

    n = frame_bytes(size)
    node = _iceoryx2_node(iox2)
    subscriber = _iceoryx2_service(iox2, node, name).subscriber_builder().buffer_size(2).create()
    listener = _iceoryx2_event(iox2, node, name).listener_builder().create()
    tally = Tally()
    _ready()
    deadline = time.monotonic() + seconds + 10
    idle_since = time.monotonic()
    while time.monotonic() < deadline:
        listener.timed_wait(iox2.Duration.from_millis(100))
        newest = None
        while (sample := subscriber.receive()) is not None:
            if newest is not None:
                newest.delete()
            newest = sample
        if newest is None:
            if tally.frames and time.monotonic() - idle_since > IDLE_END_SECONDS:
                break
            continue
        held = time.monotonic_ns()
        idle_since = time.monotonic()
        flat = np.frombuffer((ctypes.c_uint8 * n).from_address(newest.payload_ptr), np.uint8)
        tally.record(flat, held, (lambda flat=flat: flat.copy()) if mode == "paced" else None)
        del flat
        newest.delete()
    return tally.result()


def recv_pyzmq(size: str, mode: str, name: str, seconds: float) -> dict:
    import zmq

    context = zmq.Context()
    socket = context.socket(zmq.SUB)
    socket.setsockopt(zmq.RCVHWM, 2)
    socket.setsockopt(zmq.SUBSCRIBE, b"")
    socket.bind(_zmq_address(name))
    tally = Tally()
    _ready()
    deadline = time.monotonic() + seconds + 10
    try:
        while time.monotonic() < deadline:
            if not socket.poll(int(IDLE_END_SECONDS * 1000) if tally.frames else 1000):
                if tally.frames:
                    break
                continue
            message = socket.recv(copy=False)
            while socket.poll(0):  # the newest only, as the others do
                message = socket.recv(copy=False)
            # What arrives is already the receiver's own copy: there is no view.
            tally.record(np.frombuffer(message.buffer, np.uint8), None, owned_ns=time.monotonic_ns())
    finally:
        socket.close(linger=0)
        context.term()
        Path(_zmq_address(name).removeprefix("ipc://")).unlink(missing_ok=True)
    return tally.result()


def recv_shared_memory(size: str, mode: str, name: str, seconds: float) -> dict:
    from multiprocessing import resource_tracker, shared_memory

    n = frame_bytes(size)
    tally = Tally()
    _ready()
    deadline = time.monotonic() + seconds + 10
    shm = None
    while shm is None and time.monotonic() < deadline:
        try:
            shm = shared_memory.SharedMemory(name=name)
        except FileNotFoundError:
            time.sleep(0.005)
    resource_tracker.unregister(shm._name, "shared_memory")  # the sender owns it
    views = [np.ndarray(1, "<u8", buffer=shm.buf), np.ndarray(n, np.uint8, buffer=shm.buf, offset=64)]
    seen, idle_since = 0, time.monotonic()
    while time.monotonic() < deadline:
        current = int(views[0][0])
        if current == seen:
            if tally.frames and time.monotonic() - idle_since > IDLE_END_SECONDS:
                break
            time.sleep(0.0002)  # a hand-written reader polls
            continue
        seen, idle_since = current, time.monotonic()
        flat = views[1]
        tally.record(flat, time.monotonic_ns(), flat.copy if mode == "paced" else None)
    views.clear()
    shm.close()
    return tally.result()


# --- the run ---------------------------------------------------------------------------------


def _side(role: str, peer: str, size: str, mode: str, name: str, seconds: float) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, __file__, role, peer, size, mode, name, str(seconds)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def run_peer(peer: str, size: str, mode: str, seconds: float) -> dict:
    name = f"shareimgbench-{uuid.uuid4().hex[:8]}"
    receiver = _side("recv", peer, size, mode, name, seconds)  # a sender and its receiver
    try:
        assert receiver.stdout.readline().strip() == "ready", f"{peer} receiver did not start"
        sender = _side("send", peer, size, mode, name, seconds)
        sent = json.loads(sender.communicate(timeout=seconds + 60)[0].strip().splitlines()[-1])
        received = json.loads(receiver.communicate(timeout=30)[0].strip().splitlines()[-1])
    finally:
        for process in (receiver, locals().get("sender")):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
    return {"peer": peer, "size": size, "mode": mode, **sent, **received}


def memcpy_floor(size: str, repeats: int = 30) -> float:
    """The median time of one copy of the frame into memory already mapped, in ms."""
    source = source_frame(size)
    target = np.empty_like(source)
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        np.copyto(target, source)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def summarize(runs: list[dict]) -> list[dict]:
    """One row per peer and size: paced latencies and flat-out rates, pooled over its runs."""
    rows = []
    for size in SIZES:
        for peer in PEERS:
            paced = [r for r in runs if (r["peer"], r["size"], r["mode"]) == (peer, size, "paced")]
            flat = [r for r in runs if (r["peer"], r["size"], r["mode"]) == (peer, size, "flat")]
            if not paced and not flat:
                continue
            row = {"peer": peer, "size": size}
            for kind in ("view", "owned"):
                values = [v for r in paced for v in r[f"{kind}_ms"]]
                row[f"{kind}_median_ms"] = statistics.median(values) if values else None
                row[f"{kind}_p99_ms"] = _p99(values) if values else None
            row["paced_torn"] = sum(r["torn"] for r in paced)
            row["received_fps"] = [r["received_fps"] for r in flat]
            row["sent_fps"] = [r["sent_fps"] for r in flat]
            row["sender_cpu_us"] = [r["sender_cpu_us"] for r in flat]
            row["flat_torn"] = [r["torn"] for r in flat]
            row["flat_frames"] = [r["frames"] for r in flat]
            rows.append(row)
    return rows


def compare_pairs(pairs: list[dict]) -> list[dict]:
    """Per size and pair of peers: the median over paired runs of shareimg's rate over iceoryx2's, and latencies."""
    rows = []
    for size in SIZES:
        for ours, theirs in PAIRS:
            runs = [p for p in pairs if (p["size"], p["ours"]) == (size, ours)]
            if not runs:
                continue
            rate = [p["flat"][ours]["sent_fps"] / p["flat"][theirs]["sent_fps"] for p in runs]
            latency = {peer: [statistics.median(p["paced"][peer]["view_ms"]) for p in runs] for peer in (ours, theirs)}
            rows.append({
                "size": size,
                "ours": ours,
                "theirs": theirs,
                "pairs": len(runs),
                "ours_fps": statistics.median(p["flat"][ours]["sent_fps"] for p in runs),
                "theirs_fps": statistics.median(p["flat"][theirs]["sent_fps"] for p in runs),
                "rate_ratio": statistics.median(rate),
                "rate_ratios": rate,
                "rate_target": RATE_TARGETS.get((ours, size)),
                "ours_view_ms": statistics.median(latency[ours]),
                "theirs_view_ms": statistics.median(latency[theirs]),
                "latency_ratio": statistics.median(a / b for a, b in zip(latency[ours], latency[theirs], strict=True)),
            })  # fmt: skip
    return rows


def bench_peers(seconds: float, pairs: int, others: bool = True) -> dict:
    """Each pair of PAIRS in ``pairs`` paired runs per size and mode (which goes first alternates), then the others."""
    runs, paired = [], []
    for size in SIZES:
        for ours, theirs in PAIRS:
            for index in range(pairs):
                order = (ours, theirs) if index % 2 == 0 else (theirs, ours)
                pair: dict = {"size": size, "ours": ours}
                for mode in ("paced", "flat"):
                    pair[mode] = {peer: run_peer(peer, size, mode, seconds) for peer in order}
                    runs.extend(pair[mode].values())
                paired.append(pair)
        for peer in OTHERS if others else []:
            runs.extend(run_peer(peer, size, mode, seconds) for mode in ("paced", "flat"))
    return {
        "runs": runs,
        "rows": summarize(runs),
        "pairs": compare_pairs(paired),
        "memcpy_ms": {size: memcpy_floor(size) for size in SIZES},
        "pair_count": pairs,
        "seconds": seconds,
    }


def print_peers(result: dict) -> None:
    def ms(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f}"

    def spread(values: list[float], digits: int = 0) -> str:
        if not values:
            return "—"
        low, high = min(values), max(values)
        return f"{low:,.{digits}f}" if round(low) == round(high) else f"{low:,.{digits}f}–{high:,.{digits}f}"

    print(f"\nLike with like, {result['pair_count']} paired runs of {result['seconds']:g} s per size and mode "
          "(which goes first alternates). Rate: frames sent per second flat out, median of the paired runs; "
          "ratio: median over the pairs of shareimg's rate over iceoryx2's. Latency: paced at "
          f"{PACED_FPS} fps, to a view, median of the runs' medians.")  # fmt: skip
    print("\n| size | shareimg | iceoryx2 | fps shareimg | fps iceoryx2 | ratio (per pair) | target | "
          "latency ms shareimg | iceoryx2 | latency target |")  # fmt: skip
    print("|---|---|---|---:|---:|---:|---|---:|---:|---|")
    for row in result["pairs"]:
        target = row["rate_target"]
        rate_target = "—" if target is None else f"≥ {target:.2f}: {'met' if row['rate_ratio'] >= target else 'missed'}"
        level = row["latency_ratio"] <= 1 + LEVEL_LATENCY
        ratios = ", ".join(f"{r:.2f}" for r in row["rate_ratios"])
        print(f"| {row['size']} | {LABELS[row['ours']]} | {LABELS[row['theirs']]} | {row['ours_fps']:,.0f} | "
              f"{row['theirs_fps']:,.0f} | **{row['rate_ratio']:.2f}** ({ratios}) | {rate_target} | "
              f"{row['ours_view_ms']:.2f} | {row['theirs_view_ms']:.2f} | "
              f"≤ +{LEVEL_LATENCY:.0%}: {'met' if level else 'missed'} |")  # fmt: skip

    print("\nEvery peer, its runs pooled; latency paced, fps flat out (one value per run).")
    for size in SIZES:
        floor = result["memcpy_ms"][size]
        width, height = SIZES[size]
        print(f"\n| {width}x{height} RGBA (memcpy {floor:.2f} ms) | view median / p99 ms | owned median / p99 ms "
              "| torn (paced) | received fps flat out | sent | sender CPU µs/frame | torn (flat out) |")  # fmt: skip
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for row in (r for r in result["rows"] if r["size"] == size):
            print(
                f"| {LABELS[row['peer']]} | {ms(row['view_median_ms'])} / {ms(row['view_p99_ms'])} | "
                f"{ms(row['owned_median_ms'])} / {ms(row['owned_p99_ms'])} | {row['paced_torn']} | "
                f"{spread(row['received_fps'])} | {spread(row['sent_fps'])} | {spread(row['sender_cpu_us'])} | "
                f"{', '.join(f'{t} of {n}' for t, n in zip(row['flat_torn'], row['flat_frames'], strict=True))} |"
            )


SENDERS = {
    "shareimg-copy": send_shareimg_copy,
    "shareimg-frame": send_shareimg_frame,
    "iceoryx2-copy": send_iceoryx2_copy,
    "iceoryx2-loan": send_iceoryx2_loan,
    "pyzmq": send_pyzmq,
    "shared_memory": send_shared_memory,
}
RECEIVERS = {
    "shareimg": recv_shareimg,
    "iceoryx2": recv_iceoryx2,
    "pyzmq": recv_pyzmq,
    "shared_memory": recv_shared_memory,
}


def main(argv: list[str]) -> int:
    role, peer, size, mode, name, seconds = argv
    sys.path.insert(0, str(ROOT))
    library = peer.split("-")[0]  # both of a library's senders have the same receiver
    if library == "shareimg":
        from PySide6.QtGui import QGuiApplication

        QGuiApplication([role])
    side = SENDERS[peer] if role == "send" else RECEIVERS[library]
    print(json.dumps(side(size, mode, name, float(seconds))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
