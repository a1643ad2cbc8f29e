"""What the list of live sources costs, and how soon it follows providers.

python benchmarks/sources.py [--sources N] [--seconds S]        (make bench-sources)

1. one look (SourceScanner.scan) with N live sources, one of them streaming;
2. a provider starting: from its announcement to SourceWatcher's list, and a provider killed
   with SIGKILL: from the kill to the list without it (the watcher has no timer: events only);
3. the consumer window, on the display given (offscreen without one), watching one of the
   sources: CPU of one core over S seconds with the Sources panel shown and hidden.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the window, without a display

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer  # noqa: E402
from PySide6.QtGui import QColor, QImage  # noqa: E402

from shareimg.discovery import announcements  # noqa: E402
from shareimg.discovery.source_watcher import SourceWatcher  # noqa: E402
from shareimg.discovery.sources import SourceScanner  # noqa: E402

ROUNDS = 7


def provider(key: str, *shared: str) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-m", "shareimg.provider", *shared, "--key", key, "--headless"],
        stdout=subprocess.PIPE,
        text=True,
    )
    child.stdout.readline()  # sharing
    return child


def until(watcher: SourceWatcher, done, timeout: float = 10.0) -> float:
    """Run the event loop until ``done(watcher.sources)``; the time.time() it became true."""
    loop = QEventLoop()
    when = []

    def check(found) -> None:
        if done(found) and not when:
            when.append(time.time())
            loop.quit()

    watcher.changed.connect(check)
    check(watcher.sources)
    QTimer.singleShot(round(timeout * 1000), loop.quit)
    if not when:
        loop.exec()
    watcher.changed.disconnect(check)
    if not when:
        raise SystemExit("the watcher did not see the change within 10 s")
    return when[0]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def window_cpu(key: str, panel: bool, seconds: float) -> float:
    argv = [sys.executable, "-m", "shareimg.consumer", "--key", key, "--watch", *(["--sources"] if panel else [])]
    window = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(3)  # up, the first pictures made
        before, started = cpu_seconds(window.pid), time.monotonic()
        time.sleep(seconds)
        return (cpu_seconds(window.pid) - before) / (time.monotonic() - started) * 100
    finally:
        window.terminate()
        window.wait(30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=8, help="live sources (default 8)")
    parser.add_argument("--seconds", type=float, default=10.0, help="CPU measured over (default 10)")
    args = parser.parse_args()
    app = QCoreApplication([])
    prefix = f"bench-sources-{os.getpid()}"
    picture = Path(tempfile.mkdtemp()) / "still.png"
    still = QImage(1280, 720, QImage.Format.Format_RGB32)
    still.fill(QColor("#336699"))
    still.save(str(picture))
    children = [provider(f"{prefix}-stream", "--pattern", "1280x720", "--fps", "30", "--codec", "raw")]
    try:
        children += [provider(f"{prefix}-{i}", str(picture)) for i in range(args.sources - 1)]
        scanner = SourceScanner()
        times = []
        for _ in range(200):
            began = time.perf_counter()
            found = scanner.scan()
            times.append((time.perf_counter() - began) * 1000)
        listed = sum(source.key.startswith(prefix) for source in found)
        times.sort()
        print(f"one look, {listed} sources: median {statistics.median(times):.2f} ms, p95 {times[189]:.2f} ms")

        watcher = SourceWatcher()
        starts, kills = [], []
        for round_ in range(ROUNDS):
            key = f"{prefix}-came-{round_}"
            child = provider(key, str(picture))
            seen = until(watcher, lambda found, key=key: key in {s.key for s in found})
            (entry,) = [e for e in announcements.entries() if e.key == key]
            starts.append((seen - entry.started) * 1000)
            killed = time.time()
            child.send_signal(signal.SIGKILL)
            gone = until(watcher, lambda found, key=key: key not in {s.key for s in found})
            kills.append((gone - killed) * 1000)
            child.wait()
        active = [timer for timer in watcher.findChildren(QTimer) if timer.isActive()]
        print(f"provider announced -> listed: median {statistics.median(starts):.0f} ms, max {max(starts):.0f} ms")
        print(f"provider SIGKILLed -> unlisted: median {statistics.median(kills):.0f} ms, max {max(kills):.0f} ms")
        print(f"timers running in the idle watcher: {len(active)}")
        watcher.stop()

        platform = os.environ.get("QT_QPA_PLATFORM") or "on the display"
        for panel in (True, False):
            cpu = window_cpu(f"{prefix}-0", panel, args.seconds)
            shown = "shown" if panel else "hidden"
            print(f"consumer window ({platform}), Sources panel {shown}, {args.sources} sources: {cpu:.1f} % of a core")
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(30)
        picture.unlink()
        picture.parent.rmdir()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
