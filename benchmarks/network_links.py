"""What benchmarks/network.py runs its peers on: processes it can read, free ports, a slow link.

A slow link is a network namespace of our own (``bench-<random>``) whose
loopback goes through ``tc tbf``: the peers inside talk over 127.0.0.1 at
the rate given.  Everything started here is stopped by :class:`Processes`,
every namespace deleted by :func:`slow_link` even when a run fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = str(Path(__file__).resolve().parent / "network_peers.py")
BRIDGE = str(Path(sys.executable).parent / "shareimg-bridge")
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Process:
    """A program whose stdout lines are collected on a thread, so that a full pipe never stops it."""

    def __init__(self, argv: list[str], netns: str | None = None) -> None:
        prefix = ["ip", "netns", "exec", netns] if netns else []
        self.argv = argv
        self.popen = subprocess.Popen(
            prefix + argv, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )  # `ip netns exec` execs the program: same pid
        self.pid = self.popen.pid
        self.lines: queue.Queue[str] = queue.Queue()
        self.errors: list[str] = []
        self._threads = [
            threading.Thread(target=self._collect, args=(self.popen.stdout, self.lines.put), daemon=True),
            threading.Thread(target=self._collect, args=(self.popen.stderr, self.errors.append), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    @staticmethod
    def _collect(stream, keep) -> None:
        for line in stream:
            keep(line.rstrip("\n"))

    def wait_line(self, prefix: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if line.startswith(prefix):
                return line
        raise RuntimeError(f"{' '.join(self.argv[:3])}: no '{prefix}' line in {timeout} s; stderr: {self.errors[-3:]}")

    def cpu_seconds(self) -> float:
        """CPU time of every thread so far, in ns precision (/proc/PID/stat counts 10 ms ticks)."""
        try:
            tasks = Path(f"/proc/{self.pid}/task").iterdir()
            return sum(int((task / "schedstat").read_text().split()[0]) for task in tasks) / 1e9
        except (FileNotFoundError, ProcessLookupError):
            return 0.0

    def stop(self, timeout: float = 10.0) -> list[str]:
        """SIGTERM, then SIGKILL if it lingers; its remaining stdout lines."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        for thread in self._threads:
            thread.join(5.0)
        lines = []
        while not self.lines.empty():
            lines.append(self.lines.get())
        return lines

    def result(self) -> object:
        """Stop it and read the JSON line a receiving program prints as it stops."""
        lines = [line for line in self.stop() if line.startswith(("{", "["))]
        if not lines:
            raise RuntimeError(f"{' '.join(self.argv[:3])} printed no result; stderr: {self.errors[-3:]}")
        return json.loads(lines[-1])


class Processes:
    """Every process of one run: started in order, stopped in the reverse order (receivers print first)."""

    def __init__(self, netns: str | None = None) -> None:
        self.netns = netns
        self.all: list[Process] = []

    def peer(self, *args: object, netns: bool = True) -> Process:
        process = Process([sys.executable, PEERS, *map(str, args)], self.netns if netns else None)
        self.all.append(process)
        process.wait_line("ready")
        return process

    def bridge(self, *args: object, ready: str) -> Process:
        process = Process([BRIDGE, *map(str, args)], self.netns)
        self.all.append(process)
        process.wait_line(ready)
        return process

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for process in reversed(self.all):
            process.stop()


class CpuWindow:
    """The CPU each process used between :meth:`start` and :meth:`end`, as a share of one core."""

    def __init__(self, named: dict[str, Process]) -> None:
        self.named = named

    def start(self) -> None:
        self._started = time.monotonic()
        self._before = {name: process.cpu_seconds() for name, process in self.named.items()}

    def end(self) -> dict[str, float]:
        wall = time.monotonic() - self._started
        return {name: (process.cpu_seconds() - self._before[name]) / wall for name, process in self.named.items()}


def bytes_sent(port: int, netns: str | None = None) -> int:
    """TCP bytes sent so far by the sockets whose local port is ``port`` (the listening sender's)."""
    prefix = ["ip", "netns", "exec", netns] if netns else []
    out = subprocess.run(
        [*prefix, "ss", "-tinH", "state", "established", f"( sport = :{port} )"],
        capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    return sum(int(found) for found in re.findall(r"bytes_sent:(\d+)", out))


@contextlib.contextmanager
def slow_link(rate: str = "100mbit") -> Iterator[str]:
    """A namespace whose loopback carries ``rate`` (tbf, burst 256 kB: lo's MTU is 64 kB); deleted after."""
    name = f"bench-{secrets.token_hex(4)}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        subprocess.run(["ip", "-n", name, "link", "set", "lo", "up"], check=True)
        subprocess.run(
            ["tc", "-n", name, "qdisc", "add", "dev", "lo", "root", "tbf", "rate", rate, "burst", "256kb",
             "latency", "50ms"], check=True,
        )  # fmt: skip
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], check=False)


def set_link(netns: str, up: bool) -> None:
    subprocess.run(["ip", "-n", netns, "link", "set", "lo", "up" if up else "down"], check=True)
