"""Photograph both windows in step-through mode, mid-way: the provider holds the lock, the consumer waits.

DISPLAY=:N python tools/screenshot_teach.py OUT.png [--lang en|zh_CN]

Two processes, as in real use: the provider window runs in a child process
that this script drives through its standard input; the consumer window runs
here.  The calls are the real ones, on a real segment under a throw-away key:
the provider clicks setKey and create; the consumer setKey and attach; the
provider lock and copy; the consumer lock, which waits for the provider's
unlock.  The screen is grabbed while it waits, then the provider unlocks and
both windows close.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("TMPDIR", tempfile.mkdtemp(prefix="shareimg-teach-"))
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="shareimg-teach-config-")

from PySide6.QtWidgets import QApplication  # noqa: E402

from shareimg.consumer.window import ConsumerWindow  # noqa: E402
from shareimg.provider.placement import side_by_side  # noqa: E402

# The provider's process: each line on its standard input names steps to click; it answers "done".
PROVIDER = r"""
import queue, sys, threading, time
from PySide6.QtWidgets import QApplication
from shareimg.ui.translations import install_translator
from shareimg.provider.window import ProviderWindow
key, lang, width, height, x, y = sys.argv[1:3] + [int(n) for n in sys.argv[3:7]]
app = QApplication(["shareimg-provider"])
install_translator(app, lang)
window = ProviderWindow(key)
window.resize(width, height)
window.move(x, y)  # the frame's place, as --geometry does
window.show()
window.teach.action.setChecked(True)
lines = queue.Queue()
threading.Thread(target=lambda: [lines.put(line.split()) for line in sys.stdin], daemon=True).start()
print("ready", flush=True)
while True:
    app.processEvents()
    time.sleep(0.02)
    try:
        steps = lines.get_nowait()
    except queue.Empty:
        continue
    if steps == ["close"]:
        break
    for name in steps:
        window.teach.buttons[name].click()
        while window.teach.calls.busy:
            app.processEvents()
            time.sleep(0.02)
    print("done", flush=True)
window.close()
"""


def settle(app: QApplication, done: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def click(app: QApplication, window: ConsumerWindow, *steps: str) -> None:
    """Click each step's button as a person would: the next once the last has answered."""
    for name in steps:
        window.teach.buttons[name].click()
        settle(app, lambda: not window.teach.calls.busy)


def _place(geometry: str) -> tuple[int, int, int, int]:
    """``WxH+X+Y`` as width, height, x, y."""
    size, x, y = geometry.split("+")
    width, height = size.split("x")
    return int(width), int(height), int(x), int(y)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    key = f"shareimg-teach-{os.getpid()}"
    app = QApplication(["shareimg-consumer"])
    # Where shareimg-demo --teach puts the two windows on this screen, with this language's words.
    provider_place, consumer_place = (_place(geometry) for geometry in side_by_side(key, True, args.lang, []))
    provider = subprocess.Popen(
        [sys.executable, "-c", PROVIDER, key, args.lang, *map(str, provider_place)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def tell(*steps: str) -> None:
        provider.stdin.write(" ".join(steps) + "\n")
        provider.stdin.flush()
        provider.stdout.readline()

    try:
        provider.stdout.readline()
        consumer = ConsumerWindow(key)
        width, height, x, y = consumer_place
        consumer.resize(width, height)
        consumer.move(x, y)
        consumer.teach.action.setChecked(True)
        consumer.show()
        settle(app, lambda: False, 1.0)
        tell("setKey", "create")
        click(app, consumer, "setKey", "attach")
        tell("lock", "copy")
        consumer.teach.buttons["lock"].click()
        settle(app, lambda: False, 3.5)  # the consumer counts the seconds it waits
        subprocess.run(["import", "-window", "root", args.out], check=True)
        tell("unlock")
        settle(app, lambda: not consumer.teach.calls.busy)
        click(app, consumer, "unlock", "detach")
        consumer.close()
    finally:
        provider.stdin.write("close\n")
        provider.stdin.flush()
        provider.wait(15)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
