"""The provider window in its step-through mode, driven from a script: a control channel for tests.

python tests/programs/teach_provider.py KEY COMMANDS_FILE

Offscreen.  Each line appended to COMMANDS_FILE names a step (create, lock, copy, unlock, ...),
which is clicked as a person would; after each step one line: "CALL ok|false ANSWER".
SIGTERM closes the window, which removes what was created by hand.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from shareimg.provider.window import ProviderWindow  # noqa: E402
from shareimg.qt.signals import EventLoop  # noqa: E402

key, commands = sys.argv[1], Path(sys.argv[2])
app = QApplication(["teach_provider"])
loop = EventLoop(app)
window = ProviderWindow(key, settings=QSettings(str(commands) + ".ini", QSettings.Format.IniFormat))
window.show()
window.teach.action.setChecked(True)
window.teach.calls.finished.connect(
    lambda outcome: print(" ".join([outcome.call, "ok" if outcome.ok else "false", outcome.answer]).strip(), flush=True)
)
done = 0


def poll() -> None:
    # One step at a time, as a person clicks: the next once the last has answered.
    global done
    lines = commands.read_text().splitlines() if commands.exists() else []
    if done < len(lines) and not window.teach.calls.busy:
        window.teach.buttons[lines[done]].click()
        done += 1


timer = QTimer()
timer.timeout.connect(poll)
timer.start(50)
print("ready", flush=True)
try:
    loop.run()
finally:
    window.close()
