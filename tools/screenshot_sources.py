"""Photograph the consumer window's Sources panel with several live sources, on an X display.

DISPLAY=:N python tools/screenshot_sources.py OUT.png

Starts four headless providers (the sample image, colour bars, a moving test
pattern, a slide) and, if the interoperability tests' C++ peer can be built, a
C++ Qt program under a key used before; then the consumer window with its
Sources panel; grabs the screen with ImageMagick's ``import``.  Everything runs
in a throw-away $TMPDIR and settings folder, and is stopped at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEOMETRY = (1100, 640, 0, 0)  # width, height, x, y of the consumer window


def _images(folder: Path) -> dict[str, Path]:
    """Colour bars, a slide and a C++ program's picture, drawn offscreen in a child process (this one has no Qt)."""
    code = r"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import Qt, QRect
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QLinearGradient, QPainter
app = QGuiApplication([])
bars = QImage(1280, 720, QImage.Format.Format_RGB32)
painter = QPainter(bars)
colours = ["#c0c0c0", "#c0c000", "#00c0c0", "#00c000", "#c000c0", "#c00000", "#0000c0"]
for i, colour in enumerate(colours):
    painter.fillRect(QRect(i * 1280 // 7, 0, 1280 // 7 + 1, 480), QColor(colour))
for i in range(8):
    painter.fillRect(QRect(i * 160, 480, 160, 240), QColor.fromHsv(0, 0, i * 255 // 7))
painter.end()
bars.save(sys.argv[1] + "/bars.png")
def titled(width, height, top, bottom, text, pixels, name):
    picture = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(picture)
    shade = QLinearGradient(0, 0, width, height)
    shade.setColorAt(0, QColor(top)); shade.setColorAt(1, QColor(bottom))
    painter.fillRect(picture.rect(), shade)
    painter.setPen(QColor("white"))
    font = QFont(); font.setPixelSize(pixels); font.setBold(True); painter.setFont(font)
    painter.drawText(picture.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    picture.save(sys.argv[1] + "/" + name)
titled(1600, 900, "#0f3d3e", "#3fa796", "Q3 review", 150, "slides.png")
titled(960, 540, "#1d2671", "#c33764", "C++ / Qt", 120, "cpp.png")
"""
    subprocess.run([sys.executable, "-c", code, str(folder)], check=True)
    return {name: folder / f"{name}.png" for name in ("bars", "slides", "cpp")}


def _cpp_peer() -> Path | None:
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from interop.build import MissingTools, peer

        return peer(6)
    except (ImportError, MissingTools, RuntimeError) as error:
        print(f"screenshot: no C++ Qt program in the picture ({error})", file=sys.stderr)
        return None


def main(out: Path) -> int:
    scratch = Path(tempfile.mkdtemp(prefix="shareimg-screenshot-"))
    env = {**os.environ, "TMPDIR": str(scratch), "XDG_CONFIG_HOME": str(scratch / "config"), "LANG": "C.UTF-8"}
    images = _images(scratch)
    provider = [sys.executable, "-m", "shareimg.provider", "--headless"]
    commands = [
        [*provider, str(ROOT / "assets" / "sample.png"), "--key", "shareimg"],
        [*provider, str(images["bars"]), "--key", "studio-bars", "--title", "Colour bars"],
        [*provider, "--pattern", "1280x720", "--fps", "30", "--codec", "raw", "--key", "test-pattern"],
        [*provider, str(images["slides"]), "--key", "projector", "--title", "Slides — meeting room"],
    ]
    peer = _cpp_peer()
    if peer is not None:
        subprocess.run(
            [sys.executable, "-c", "import sys; from shareimg import remember_key; remember_key(sys.argv[1])",
             "legacy-viewer"], env=env, check=True,
        )  # fmt: skip
        commands.append([str(peer), "write", str(images["cpp"]), "--key", "legacy-viewer"])
    children = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) for command in commands]
    try:
        for child in children:
            child.stdout.readline()  # shared
        width, height, x, y = GEOMETRY
        consumer = subprocess.Popen(
            [sys.executable, "-m", "shareimg.consumer", "--key", "shareimg", "--watch", "--sources",
             "--geometry", f"{width}x{height}+{x}+{y}"], env=env,
        )  # fmt: skip
        children.append(consumer)
        time.sleep(6)  # the window up, the pictures made
        subprocess.run(
            ["import", "-window", "root", "-crop", f"{width}x{height}+{x}+{y}", "+repage", str(out)], check=True
        )
        print(f"wrote {out}")
    finally:
        for child in reversed(children):  # the consumer first: it never sees its sources go
            child.terminate()
            child.wait(30)
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
