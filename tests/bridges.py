"""Two "machines" as two zenoh peers on this one: bridge processes, free ports, what a process binds.

Nothing here sends to an address outside this machine: every endpoint is 127.0.0.1 and a port
picked free at run time (other programs run zenoh peers on this machine at the same time).
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from processes import PROGRAMS, Process
from PySide6.QtCore import QBuffer, QByteArray, QDataStream, QIODevice, QSharedMemory
from PySide6.QtGui import QImage

from shareimg.transport.watcher import Watcher

#: The machine name the tests' senders give (--name): the source is HOST/KEY.
HOST = "hosta"


def endpoint(port: int) -> str:
    return f"tcp/127.0.0.1:{port}"


class Program(Process):
    """A process whose stdout (:meth:`line`) and stderr (:meth:`error_line`) are both read as they come."""

    def __init__(self, argv: list[object], prefix: tuple[str, ...] = ()) -> None:
        self.argv = [*prefix, *map(str, argv)]
        super().__init__(self.argv)
        self.errors: list[str] = []  # every stderr line so far
        self._errors_read = 0
        self._error_pump = threading.Thread(target=self._pump_errors, daemon=True)
        self._error_pump.start()

    def _pump_errors(self) -> None:
        with self.popen.stderr:
            self.errors.extend(line.rstrip("\n") for line in self.popen.stderr)

    def error_line(self, timeout: float = 30.0) -> str:
        """The next stderr line."""
        assert wait_until(lambda: len(self.errors) > self._errors_read, timeout), f"no stderr line in {timeout} s"
        self._errors_read += 1
        return self.errors[self._errors_read - 1]

    def fields(self, timeout: float = 30.0) -> dict[str, str]:
        """The next ``word [NAME] name=value ...`` line as a dict (``event`` is the word, ``name`` NAME)."""
        word, *pairs = self.line(timeout).split()
        named = {"name": pairs.pop(0)} if pairs and "=" not in pairs[0] else {}
        return {"event": word, **named, **dict(pair.split("=", 1) for pair in pairs)}

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        """Stop it (a process the test stopped with SIGSTOP too), killing it if it does not end in time."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGCONT)
        try:
            code = super().stop(sig, timeout)
            self._error_pump.join(10)  # every stderr line in :attr:`errors`
            return code
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(10)
            raise AssertionError(f"{self.argv} did not stop within {timeout} s of signal {sig}") from None

    def close(self) -> None:
        """Nothing to close: its stderr is closed by the thread that reads it."""


@pytest.fixture
def programs(keys):
    """``programs(argv)`` starts a process; all are stopped (SIGTERM) after the test, the last started first."""
    started: list[Program] = []

    def start(argv: list[object], prefix: tuple[str, ...] = ()) -> Program:
        started.append(Program(argv, prefix))
        return started[-1]

    yield start
    stop_all(started)


def send_bridge(programs, key: str, port: int, *options: object) -> Program:
    sender = programs(bridge_argv("send", "--key", key, "--name", HOST, "--listen", endpoint(port), *options))
    line = sender.fields()
    expected = {"event": "sending", "name": f"{HOST}/{key}", "key": key, "codec": line.get("codec")}
    assert line == {**expected, "listen": endpoint(port)} and line["codec"] in ("jpeg", *options), line
    return sender


def receive_bridge(programs, key: str, local: str, port: int, *options: object) -> Program:
    return programs(bridge_argv("receive", f"{HOST}/{key}", "--key", local, "--connect", endpoint(port), *options))


def bridge_argv(*args: object) -> list[object]:
    return [sys.executable, "-m", "shareimg.bridge", *args]


def provider_argv(*args: object) -> list[object]:
    return [sys.executable, "-m", "shareimg.provider", "--headless", *args]


def source_argv(key: str, size: str, fps: float, *args: object) -> list[object]:
    return [sys.executable, PROGRAMS / "frame_source.py", key, size, fps, *args]


@dataclass(frozen=True)
class Local:
    """What a local key shares now: its generation, pixels and latency."""

    generation: int
    array: np.ndarray
    latency_ms: float | None

    @property
    def number(self) -> int:
        """The frame number frame_source.py stamped in it."""
        return int.from_bytes(bytes(self.array[0, :4, 0]), "little")


def local_frame(key: str, timeout: float = 5.0) -> Local | None:
    """The frame shared under ``key`` now (None if nothing is), as a Watcher of this machine sees it."""
    with Watcher(key) as watcher:
        frame = watcher.next_frame(timeout)
        if frame is None:
            return None
        meta = frame.metadata
        return Local(meta.generation if meta is not None else 0, np.array(frame.array), frame.latency_ms)


def qt_stream_image(key: str) -> QImage:
    """The image under ``key`` read as Qt's example and a C++ Qt program read it: QDataStream >> QImage."""
    shm = QSharedMemory(QSharedMemory.legacyNativeKey(key))
    assert shm.attach(QSharedMemory.AccessMode.ReadOnly), shm.errorString()
    try:
        assert shm.lock()
        data = QByteArray(bytes(shm.constData()[: shm.size()]))
        shm.unlock()
    finally:
        shm.detach()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    image = QImage()
    QDataStream(buffer) >> image
    return image


@dataclass(frozen=True)
class Socket:
    kind: str  # tcp, tcp6, udp, udp6
    address: str
    port: int
    listening: bool


def sockets_of(pid: int) -> list[Socket]:
    """The sockets ``pid`` holds open: its fds' socket inodes found in its /proc/net tables."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().name
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for kind in ("tcp", "tcp6", "udp", "udp6"):
        for row in Path(f"/proc/{pid}/net/{kind}").read_text().splitlines()[1:]:
            fields = row.split()
            if fields[9] in inodes:
                address, port = fields[1].split(":")
                listening = kind.startswith("tcp") and fields[3] == "0A"
                found.append(Socket(kind, _address(address), int(port, 16), listening))
    return found


def _address(hex_address: str) -> str:
    raw = bytes.fromhex(hex_address)
    # /proc/net writes each 32-bit word in the machine's order (little-endian here).
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return socket.inet_ntop(socket.AF_INET if len(raw) == 4 else socket.AF_INET6, words)


def zenoh_files_of(pid: int) -> list[str]:
    """zenoh's shared-memory files ``pid`` has open or mapped (/dev/shm/*.zenoh)."""
    mapped = Path(f"/proc/{pid}/maps").read_text().splitlines()
    opened = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            opened.append(str(fd.readlink()))
        except OSError:
            continue
    return [name for name in [*mapped, *opened] if "/dev/shm/" in name and ".zenoh" in name]


def peak_rss_kib(pid: int) -> int:
    """The most memory ``pid`` has held at once (VmHWM): an allocation freed since still shows."""
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith("VmHWM:"):
            return int(row.split()[1])
    raise AssertionError(f"no VmHWM for {pid}")


def wait_until(condition, timeout: float, step: float = 0.02):
    """``condition()``'s first true value within ``timeout`` seconds, else its last (false) one."""
    deadline = time.monotonic() + timeout
    while not (value := condition()) and time.monotonic() < deadline:
        time.sleep(step)
    return value


def stop_all(programs: list[Program]) -> None:
    """Stop every program, the last started first; then say which did not stop when asked."""
    failures = []
    for program in reversed(programs):
        try:
            program.stop()
        except AssertionError as failure:  # killed by then: the others are stopped all the same
            failures.append(str(failure))
    assert not failures, "; ".join(failures)
