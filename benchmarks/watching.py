"""The benchmark's programs as real processes: a headless provider streaming a test pattern,
and a headless watcher whose ``read`` lines say which frames arrived and how late."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Headless programs draw nothing: keep them off the screen a window benchmark may use.
HEADLESS_ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def python_module(*args: object) -> list[str]:
    return [sys.executable, "-m", *map(str, args)]


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_pattern(key: str, width: int, height: int, fps: float) -> subprocess.Popen:
    """A headless provider streaming the raw test pattern; returns once it streams."""
    provider = subprocess.Popen(
        python_module("shareimg.provider", "--headless", "--pattern", f"{width}x{height}", "--fps", fps,
                      "--codec", "raw", "--key", key),
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env=HEADLESS_ENV,
    )  # fmt: skip
    provider.stdout.readline()
    return provider


class HeadlessWatcher:
    """``shareimg-consumer --headless --watch``, its lines collected with their arrival time on a thread."""

    def __init__(self, key: str) -> None:
        self.process = subprocess.Popen(
            python_module("shareimg.consumer", "--headless", "--watch", "--key", key),
            cwd=ROOT, stdout=subprocess.PIPE, text=True, env=HEADLESS_ENV,
        )  # fmt: skip
        self._lines: list[tuple[float, dict[str, str]]] = []
        self._thread = threading.Thread(target=self._collect, daemon=True)
        self._thread.start()

    def _collect(self) -> None:
        for line in self.process.stdout:
            if line.startswith("read "):
                self._lines.append((time.monotonic(), dict(pair.split("=", 1) for pair in line.split()[1:])))

    def between(self, started: float, ended: float) -> list[dict[str, str]]:
        return [fields for at, fields in self._lines if started <= at < ended]

    def stop(self) -> None:
        stop(self.process)
        self._thread.join(5)


def stream_figures(generations: list[int], latencies_ms: list[float], seconds: float) -> dict:
    """Rates, drops and latency of the frames a consumer got during ``seconds``, from their generations."""
    if not generations:
        return {"published_fps": 0.0, "received_fps": 0.0, "dropped": 0, "latency_median_ms": None,
                "latency_p99_ms": None}  # fmt: skip
    published = generations[-1] - generations[0] + 1
    latencies = sorted(latencies_ms)
    return {
        "published_fps": published / seconds,
        "received_fps": len(generations) / seconds,
        "dropped": published - len(generations),
        "latency_median_ms": statistics.median(latencies),
        "latency_p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }
