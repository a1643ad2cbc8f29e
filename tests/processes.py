"""The apps as real processes: started with ``python -m``, their output read line by line."""

from __future__ import annotations

import queue
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Programs the tests run as processes of their own (a lock holder, a probe, another user...).
PROGRAMS = ROOT / "tests" / "programs"


class Process:
    """A program running in a subprocess, its stdout read line by line."""

    def __init__(self, argv: list[str], cwd: Path = ROOT) -> None:
        self.popen = subprocess.Popen(
            argv,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        with self.popen.stdout:  # closed here, by its only reader, once the program has ended it
            for line in self.popen.stdout:
                self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def line(self, timeout: float = 30.0) -> str:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no output within {timeout} s") from None
        if line is None:
            self.popen.wait(10)
            raise AssertionError(f"exited with {self.popen.returncode} before printing: {self.popen.stderr.read()}")
        return line

    def remaining_lines(self, timeout: float = 30.0) -> list[str]:
        """Every line not read yet, to the end of the output (the process must be ending)."""
        lines = []
        while (line := self._lines.get(timeout=timeout)) is not None:
            lines.append(line)
        return lines

    def fields(self, timeout: float = 30.0) -> dict[str, str]:
        """The next ``word name=value ...`` line as a dict (``event`` is the word)."""
        word, *pairs = self.line(timeout).split()
        return {"event": word, **dict(pair.split("=", 1) for pair in pairs)}

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
        return self.popen.wait(timeout)

    def close(self) -> None:
        """Close our end of its stderr (its stdout closes itself); after :meth:`stop`."""
        self.popen.stderr.close()

    @property
    def pid(self) -> int:
        return self.popen.pid


def python_module(*args: object) -> list[str]:
    """The command line of ``python -m ARGS...`` with this interpreter."""
    return [sys.executable, "-m", *map(str, args)]


def run(*args: object, timeout: float = 60.0) -> subprocess.CompletedProcess:
    """Run ``python -m ARGS...`` to the end."""
    return run_program(python_module(*args), timeout=timeout)


def run_program(argv: list[object], timeout: float = 60.0, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(list(map(str, argv)), cwd=cwd, capture_output=True, text=True, timeout=timeout)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the kernel's pick)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
