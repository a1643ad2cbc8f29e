"""The benchmark's windows section: the real consumer and provider windows under a stream.

Each measurement runs in a process of its own, because Qt picks its platform once
per process: ``offscreen`` always, and ``xcb`` on an Xvfb screen (1280x800) when
Xvfb is installed.  The consumer window (1000x700, fit) watches a headless
provider's raw test pattern; a frame counts when its view paints it, and its
latency runs from the provider's ``publish_ns`` to that paint.  The provider
window plays the pattern; a headless watcher counts what it publishes.

    python benchmarks/windows.py consumer 1920x1080 60 SECONDS   # one measurement, one JSON line
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from watching import ROOT, HeadlessWatcher, start_pattern, stop, stream_figures

from shareimg.errors import NoDisplay
from shareimg.ui.shell import require_display

WINDOW = (1000, 700)
SCREEN = "1280x800x24"
FULL = [("consumer", 640, 480, 30), ("consumer", 1920, 1080, 60), ("consumer", 3840, 2160, 30),
        ("consumer", 3840, 2160, 60), ("provider", 1920, 1080, 60)]  # fmt: skip
QUICK = [("consumer", 1920, 1080, 60), ("provider", 1920, 1080, 60)]
WARMUP_SECONDS = 1.5


def bench_windows(quick: bool, seconds: float) -> dict:
    """Every measurement on every platform there is; why a platform was skipped, if it was."""
    runs = QUICK if quick else FULL
    rows = [_measure("offscreen", {"QT_QPA_PLATFORM": "offscreen"}, run, seconds) for run in runs]
    xvfb = _start_xvfb()
    if isinstance(xvfb, str):
        return {"rows": rows, "skipped": xvfb}
    server, display = xvfb
    try:
        rows += [_measure("xvfb", {"QT_QPA_PLATFORM": "xcb", "DISPLAY": display}, run, seconds) for run in runs]
    finally:
        stop(server)
    return {"rows": rows, "skipped": None}


def _start_xvfb() -> tuple[subprocess.Popen, str] | str:
    """A private Xvfb screen and its display name, or why there is none."""
    program = shutil.which("Xvfb")
    if program is None:
        return "Xvfb is not installed (make bench installs it when run as root; or: sudo apt-get install xvfb)"
    # -displayfd: Xvfb picks a free display and writes its number once it accepts clients.
    server = subprocess.Popen(
        [program, "-displayfd", "1", "-screen", "0", SCREEN, "-nolisten", "tcp"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    number = server.stdout.readline().strip()
    if not number.isdigit():
        stop(server)
        return "Xvfb did not start"
    return server, f":{number}"


def _measure(platform: str, env: dict[str, str], run: tuple[str, int, int, int], seconds: float) -> dict:
    window, width, height, fps = run
    row = {"platform": platform, "window": window, "width": width, "height": height, "requested_fps": fps}
    command = [sys.executable, __file__, window, f"{width}x{height}", str(fps), str(seconds)]
    child_env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    try:
        done = subprocess.run(command, cwd=ROOT, env={**child_env, **env}, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return {**row, "error": "no result within 120 s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        reason = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        return {**row, "error": reason}
    return {**row, **json.loads(lines[-1])}


# --- in the measuring process ----------------------------------------------------------------


def _run_for(seconds: float) -> None:
    """Qt's events for ``seconds`` (a loop of our own: the application's quit() would close the windows)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _settings(folder: str) -> object:
    from PySide6.QtCore import QSettings

    return QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)


def measure_consumer(width: int, height: int, fps: float, seconds: float) -> dict:
    """The consumer window watching a headless provider: what its view painted, and when."""
    from PySide6.QtWidgets import QApplication

    from shareimg.consumer.window import ConsumerWindow
    from shareimg.transport.segment import reclaim

    # First: without a platform Qt aborts the process, which must not leave a provider behind.
    _app = QApplication(["shareimg-consumer"])  # kept until the measurement ends
    key = f"shareimgbench-{uuid.uuid4().hex[:8]}"
    provider = start_pattern(key, width, height, fps)
    painted: list[tuple[int, int, int]] = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            window = ConsumerWindow(key, _settings(folder))
            window.setGeometry(0, 0, *WINDOW)
            window.show()
            window.image_view.frame_painted.connect(
                lambda shared: painted.append(
                    (time.monotonic_ns(), shared.metadata.generation, shared.metadata.publish_ns)
                )
            )
            window.watch_box.setChecked(True)
            _run_for(WARMUP_SECONDS)
            first, cpu, started = len(painted), _cpu_seconds(), time.monotonic()
            _run_for(seconds)
            elapsed, cpu = time.monotonic() - started, _cpu_seconds() - cpu
            frames = painted[first:]
            status = window.status_line.text()
            window.close()
    finally:
        stop(provider)
        reclaim(key)
    figures = stream_figures([g for _, g, _ in frames], [(at - sent) / 1e6 for at, _, sent in frames], elapsed)
    return {**figures, "cpu_percent": 100 * cpu / elapsed, "status": status}


def measure_provider(width: int, height: int, fps: float, seconds: float) -> dict:
    """The provider window playing the test pattern: what a headless watcher sees it publish."""
    from PySide6.QtWidgets import QApplication

    from shareimg import RAW
    from shareimg.provider.streams import moving_pattern
    from shareimg.provider.window import ProviderWindow
    from shareimg.transport.segment import reclaim

    _app = QApplication(["shareimg-provider"])  # first, as above; kept until the measurement ends
    key = f"shareimgbench-{uuid.uuid4().hex[:8]}"
    watcher = HeadlessWatcher(key)
    try:
        with tempfile.TemporaryDirectory() as folder:
            window = ProviderWindow(key, RAW, _settings(folder))
            window.setGeometry(0, 0, *WINDOW)
            window.show()
            window.play(moving_pattern(width, height, fps), "test pattern")
            _run_for(WARMUP_SECONDS)
            cpu, started = _cpu_seconds(), time.monotonic()
            _run_for(seconds)
            ended, cpu = time.monotonic(), _cpu_seconds() - cpu
            window.close()
    finally:
        watcher.stop()
        reclaim(key)
    fields = watcher.between(started, ended)
    generations = [int(f["generation"]) for f in fields]
    figures = stream_figures(generations, [float(f["latency_ms"]) for f in fields], ended - started)
    return {**figures, "cpu_percent": 100 * cpu / (ended - started)}


def main() -> int:
    try:
        window, size, fps, seconds = sys.argv[1:]
        width, height = map(int, size.split("x"))
        float(fps), float(seconds)
    except ValueError:
        print("usage: windows.py consumer|provider WIDTHxHEIGHT FPS SECONDS", file=sys.stderr)
        return 2
    try:
        require_display("windows.py")
    except NoDisplay:
        # Qt would abort the process: measure offscreen, as make bench does first.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        print("windows.py: no display here: measuring offscreen", file=sys.stderr)
    measure = measure_consumer if window == "consumer" else measure_provider
    print(json.dumps(measure(width, height, float(fps), float(seconds))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
