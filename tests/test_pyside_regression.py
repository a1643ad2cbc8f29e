"""PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a
Qt method that returns nothing and aborts after a few thousand (none_dealloc).
pyproject.toml keeps that combination out; this proves the installed one is sound.
"""

from __future__ import annotations

import subprocess
import sys

CALLS = 20_000

SCRIPT = f"""
from PySide6.QtCore import QSharedMemory
from PySide6.QtGui import QImage
image = QImage(4, 4, QImage.Format.Format_ARGB32)
shm = QSharedMemory()
for i in range({CALLS}):
    image.fill(i)
    shm.setNativeKey("shareimgtest-none-regression")
print("done")
"""


def test_many_void_calls_exit_cleanly():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert "none_dealloc" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "done"
