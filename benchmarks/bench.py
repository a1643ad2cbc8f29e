"""shareimg's benchmark: how close to the speed of memory an image crosses the segment.

    make bench                      # full run (adds 7680x4320)
    make bench ARGS=--quick         # about two minutes on 2 cores
    make bench ARGS=--peers         # part 5 alone
    make bench ARGS="--paired 8"    # part 5, the iceoryx2 pairs only, 8 paired runs each
    make bench ARGS=--network       # across machines: the network bridge beside bare zenoh and pyzmq (network.py)
    .venv/bin/python benchmarks/bench.py --quick --json out.json

Part 1, in one process: publish (encode + copy into the segment) and read (copy
out + decode to a QImage) for Qt's example path as the PySide6 port does it
(the baseline), our ``qt`` and ``raw`` codecs, and a plain copy of the same
bytes (the physical limit).  Part 2, across processes: a provider streaming a
test pattern with the raw codec to a watching consumer.  Part 3: the CPU a
watching consumer uses while nothing changes.  Part 4 (windows.py): the real
consumer and provider windows under such streams, offscreen and on Xvfb.  Part 5
(peers.py): shareimg's copy and write-in-place paths beside iceoryx2's copy and loan, in paired
runs, and beside pyzmq and a hand-written shared-memory pair.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6 import __version__ as PYSIDE_VERSION  # noqa: E402
from PySide6.QtCore import QBuffer, QByteArray, QDataStream, QIODevice, QSharedMemory, qVersion  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter  # noqa: E402
from watching import HEADLESS_ENV, HeadlessWatcher, python_module, start_pattern, stop, stream_figures  # noqa: E402
from windows import bench_windows  # noqa: E402

from shareimg import QT, RAW, Publisher, read_shared  # noqa: E402
from shareimg.transport.segment import reclaim  # noqa: E402
from shareimg.transport.watcher import Watcher  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from peers import bench_peers, print_peers  # noqa: E402

SIZES = {"1080p": (1920, 1080), "4K": (3840, 2160), "8K": (7680, 4320)}
# Part 5's seconds per run and paired runs per pair, by --quick.
PEER_RUNS = {False: (3.0, 4), True: (2.0, 2)}


def photo_like(width: int, height: int, seed: int = 1) -> QImage:
    """Smooth colour and alpha gradients with a few bits of noise, like a photo with transparency."""
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, width, height)
    gradient.setColorAt(0.0, QColor(20, 80, 200, 255))
    gradient.setColorAt(0.5, QColor(240, 180, 60, 200))
    gradient.setColorAt(1.0, QColor(30, 160, 90, 255))
    painter.fillRect(image.rect(), gradient)
    painter.end()
    size = image.sizeInBytes()
    bits = memoryview(image.bits())
    noise = random.Random(seed).randbytes(size).translate(bytes(b & 7 for b in range(256)))
    bits[:size] = (int.from_bytes(bits[:size], "little") ^ int.from_bytes(noise, "little")).to_bytes(size, "little")
    return image


def timed(action, repeats: int) -> float:
    """The median wall time of ``action`` in milliseconds."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


class ExampleBaseline:
    """Qt's Shared Memory Example as its PySide6 port does it: loadFromFile() and loadFromMemory()."""

    def __init__(self, key: str) -> None:
        self.shm = QSharedMemory(QSharedMemory.legacyNativeKey(key))
        self.reader = QSharedMemory(QSharedMemory.legacyNativeKey(key))

    def publish(self, image: QImage) -> None:
        if self.shm.isAttached():
            self.shm.detach()
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.ReadWrite)
        out = QDataStream(buffer)
        out << image
        size = buffer.size()
        if not self.shm.create(size):
            raise RuntimeError(self.shm.errorString())
        self.shm.lock()
        self.shm.data()[:size] = buffer.data().data()[:size]
        self.shm.unlock()

    def read(self) -> QImage:
        if not self.reader.attach():
            raise RuntimeError(self.reader.errorString())
        buffer = QBuffer()
        stream = QDataStream(buffer)
        image = QImage()
        self.reader.lock()
        buffer.setData(QByteArray(bytes(self.reader.constData())))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        stream >> image
        self.reader.unlock()
        self.reader.detach()
        return image

    def close(self) -> None:
        self.shm.detach()


def bench_codecs(name: str, repeats: int) -> list[dict]:
    width, height = SIZES[name]
    image = photo_like(width, height)
    nbytes = image.sizeInBytes()
    key = f"shareimgbench-{uuid.uuid4().hex[:8]}"
    rows = []
    frames = [None]

    baseline = ExampleBaseline(key)
    try:
        publish = timed(lambda: baseline.publish(image), 1)
        read = timed(baseline.read, 1)
        assert baseline.read() == image.convertToFormat(QImage.Format.Format_ARGB32)
    finally:
        baseline.close()
    rows.append({"size": name, "path": "baseline", "publish_ms": publish, "read_ms": read})

    view = memoryview(image.constBits())[:nbytes]
    target = memoryview(bytearray(nbytes))
    copies: list[float] = []
    memcpys: list[float] = []
    for codec in (QT, RAW):
        # The watcher is a watching consumer: attached, its mapping warm.
        with Publisher(key, codec) as publisher, Watcher(key) as watcher:
            publisher.publish(image)  # creates the segment; later publishes reuse it
            watcher.poll()
            publish, read = [], []
            for _ in range(repeats):
                publish.append(timed(lambda codec=codec, publisher=publisher: publisher.publish(image, codec), 1))
                # Keep only the newest frame, as a consumer does: its memory is then reused.
                read.append(timed(lambda watcher=watcher: frames.__setitem__(0, watcher.poll()), 1))
                # The plain copies, measured in the same moments, so that ratios compare like with like:
                # into a new buffer (as a read must) and into memory already mapped (memcpy alone).
                copies.append(timed(lambda: bytes(view), 1))
                memcpys.append(timed(lambda: target.__setitem__(slice(0, nbytes), view), 1))
            assert frames[0].shared.image == image
            one_shot = timed(lambda: read_shared(key), repeats)
        rows.append(
            {
                "size": name,
                "path": codec.name,
                "publish_ms": statistics.median(publish),
                "read_ms": statistics.median(read),
                "one_shot_read_ms": one_shot,
            }
        )
    rows.append({"size": name, "path": "copy", "publish_ms": statistics.median(copies), "read_ms": 0.0})
    rows.append({"size": name, "path": "memcpy", "publish_ms": statistics.median(memcpys), "read_ms": 0.0})
    reclaim(key)

    total = {row["path"]: row["publish_ms"] + row["read_ms"] for row in rows}
    for row in rows:
        row["total_ms"] = total[row["path"]]
        row["bytes"] = nbytes
        row["x_faster_than_baseline"] = total["baseline"] / row["total_ms"]
        row["x_copy"] = row["total_ms"] / total["copy"]
        row["x_memcpy"] = row["total_ms"] / total["memcpy"]
    return rows


def bench_stream(name: str, fps: int, seconds: float) -> dict:
    """A raw test-pattern stream at ``fps`` from one process to a watching consumer in another."""
    width, height = SIZES[name]
    key = f"shareimgbench-{uuid.uuid4().hex[:8]}"
    watcher = HeadlessWatcher(key)
    provider = start_pattern(key, width, height, fps)
    time.sleep(1.0)  # the watcher attached, both warm
    started = time.monotonic()
    time.sleep(seconds)
    ended = time.monotonic()
    stop(provider)
    watcher.stop()
    reclaim(key)
    fields = watcher.between(started, ended)
    generations = [int(f["generation"]) for f in fields]
    latencies = [float(f["latency_ms"]) for f in fields]
    return {"size": name, "requested_fps": fps, **stream_figures(generations, latencies, ended - started)}


def bench_idle_cpu(seconds: float) -> dict:
    """CPU a watching consumer uses while the shared image does not change."""
    key = f"shareimgbench-{uuid.uuid4().hex[:8]}"
    sample = ROOT / "assets" / "sample.png"
    provider = subprocess.Popen(
        python_module("shareimg.provider", sample, "--headless", "--key", key),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=HEADLESS_ENV,
    )
    provider.stdout.readline()
    consumer = subprocess.Popen(
        python_module("shareimg.consumer", "--headless", "--watch", "--key", key),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=HEADLESS_ENV,
    )
    consumer.stdout.readline()
    time.sleep(6.0)  # watching an image all day: past the first seconds, when it checks the provider more often

    def cpu_seconds() -> float:
        # Nanoseconds on the CPU, every thread: /proc/PID/stat counts in 10 ms ticks, too coarse for 0.1 %.
        tasks = Path(f"/proc/{consumer.pid}/task").iterdir()
        return sum(int((task / "schedstat").read_text().split()[0]) for task in tasks) / 1e9

    before, started = cpu_seconds(), time.monotonic()
    time.sleep(seconds)
    used, elapsed = cpu_seconds() - before, time.monotonic() - started
    stop(consumer)
    stop(provider)
    reclaim(key)
    return {"seconds": elapsed, "cpu_percent_of_one_core": 100 * used / elapsed}


def machine() -> dict:
    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 2**20),
        "python": platform.python_version(),
        "pyside6": PYSIDE_VERSION,
        "qt": qVersion(),
        "kernel": platform.release(),
    }


def print_report(result: dict) -> None:
    m = result["machine"]
    print(f"\nMachine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; "
          f"Python {m['python']}, PySide6 {m['pyside6']} (Qt {m['qt']})\n")  # fmt: skip
    print(
        "| size | path | publish ms | read ms | total ms | x faster than baseline | x copy | x memcpy "
        "| one-shot read ms |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in result["codecs"]:
        one_shot = f"{row['one_shot_read_ms']:.1f}" if "one_shot_read_ms" in row else ""
        print(
            f"| {row['size']} | {row['path']} | {row['publish_ms']:.1f} | {row['read_ms']:.1f} | "
            f"{row['total_ms']:.1f} | {row['x_faster_than_baseline']:.1f} | {row['x_copy']:.2f} | "
            f"{row['x_memcpy']:.2f} | {one_shot} |"
        )
    print("\n| stream (raw, 2 processes) | requested fps | published fps | received fps | dropped | "
          "latency median ms | latency p99 ms |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in result["streams"]:
        print(
            f"| {row['size']} | {row['requested_fps']} | {row['published_fps']:.1f} | {row['received_fps']:.1f} | "
            f"{row['dropped']} | {row['latency_median_ms']:.1f} | {row['latency_p99_ms']:.1f} |"
        )
    idle = result["idle"]
    print(f"\nWatching an unchanged segment: {idle['cpu_percent_of_one_core']:.2f} % of one core "
          f"over {idle['seconds']:.1f} s")  # fmt: skip
    print_windows(result["windows"])


def print_windows(windows: dict) -> None:
    print("\nWindows (raw test pattern; window 1000x700, fit; consumer: frames its view painted, latency from "
          "publish to paint; provider: what a headless watcher saw it publish):\n")  # fmt: skip
    print("| platform | window | stream | published fps | painted fps | dropped | latency median ms "
          "| latency p99 ms | CPU % |")  # fmt: skip
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for row in windows["rows"]:
        stream = f"{row['width']}x{row['height']} @ {row['requested_fps']}"
        if "error" in row:
            print(f"| {row['platform']} | {row['window']} | {stream} | failed: {row['error']} ||||||")
            continue
        consumer = row["window"] == "consumer"
        painted = f"{row['received_fps']:.1f}" if consumer else "–"
        dropped = row["dropped"] if consumer else "–"
        latency = [f"{row[k]:.1f}" if row[k] is not None else "–" for k in ("latency_median_ms", "latency_p99_ms")]
        print(f"| {row['platform']} | {row['window']} | {stream} | {row['published_fps']:.1f} | {painted} | "
              f"{dropped} | {latency[0]} | {latency[1]} | {row['cpu_percent']:.0f} |")  # fmt: skip
    if windows["skipped"]:
        print(f"\nSkipped the windows on Xvfb: {windows['skipped']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1080p and 4K only, shorter runs (under a minute)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--peers", action="store_true", help="only part 5: shareimg beside its peers")
    paired = "only part 5's iceoryx2 pairs, N paired runs each (with --network: N rounds of its paced cases)"
    parser.add_argument("--paired", type=int, metavar="N", help=paired)
    parser.add_argument("--network", action="store_true", help="only the network bridge beside its peers (network.py)")
    args = parser.parse_args()
    if args.network:
        import network

        return network.main(args.quick, args.json, args.paired)
    if args.peers or args.paired:
        return _peers_only(args)
    QGuiApplication([sys.argv[0]])
    sizes = ["1080p", "4K"] if args.quick else ["1080p", "4K", "8K"]
    repeats, seconds = (9, 3.0) if args.quick else (15, 6.0)
    started = time.monotonic()
    result = {
        "machine": machine(),
        "quick": args.quick,
        "codecs": [row for size in sizes for row in bench_codecs(size, repeats)],
        "streams": [bench_stream("1080p", 60, seconds), bench_stream("4K", 30, seconds)]
        + ([] if args.quick else [bench_stream("1080p", 1000, seconds), bench_stream("4K", 1000, seconds)]),
        "idle": bench_idle_cpu(seconds),
        "windows": bench_windows(args.quick, seconds),
        "peers": bench_peers(*PEER_RUNS[args.quick]),
    }
    result["seconds"] = time.monotonic() - started
    print_report(result)
    print_peers(result["peers"])
    print(f"\n(benchmark took {result['seconds']:.0f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


def _peers_only(args: argparse.Namespace) -> int:
    started = time.monotonic()
    seconds, pairs = PEER_RUNS[args.quick]
    peers = bench_peers(seconds, args.paired or pairs, others=not args.paired)
    result = {"machine": machine(), "peers": peers}
    m = result["machine"]
    print(f"\nMachine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; Python {m['python']}")
    print_peers(result["peers"])
    print(f"\n(benchmark took {time.monotonic() - started:.0f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
