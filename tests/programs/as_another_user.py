"""shareimg as another user (nobody), for a key whose segment root owns.

python tests/as_another_user.py consumer ARGS...     shareimg-consumer ARGS..., as nobody
python tests/as_another_user.py provider ARGS...     shareimg-provider ARGS..., as nobody
python tests/as_another_user.py windows KEY IMAGE    each window tries KEY, and prints what it says

Run as root.  Everything is imported, and the Qt application made, before the
switch to nobody: Python and Qt's plugins may live where nobody cannot read
(root's home).
"""

from __future__ import annotations

import locale  # noqa: F401 - argparse imports it when it runs, too late for nobody
import os
import pwd
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from shareimg.consumer import cli as consumer_cli  # noqa: E402
from shareimg.consumer.window import ConsumerWindow  # noqa: E402
from shareimg.provider import cli as provider_cli  # noqa: E402
from shareimg.provider.window import ProviderWindow  # noqa: E402


def become_nobody() -> None:
    nobody = pwd.getpwnam("nobody")
    os.setgroups([])
    os.setgid(nobody.pw_gid)
    os.setuid(nobody.pw_uid)


def wait_for(app: QApplication, done: Callable[[], object], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)


def try_windows(app: QApplication, key: str, image: str) -> None:
    consumer = ConsumerWindow(key)
    failures: list[str] = []
    consumer.failed.connect(failures.append)
    consumer.display_from_shared_memory()
    wait_for(app, lambda: failures)
    print(f"consumer-read: {consumer.message.text()}", flush=True)

    consumer.watch_box.setChecked(True)
    watching = consumer.message.text()
    wait_for(app, lambda: consumer.message.text() != watching)
    print(f"consumer-watch: {consumer.message.text()}", flush=True)
    consumer.close()

    provider = ProviderWindow(key)
    refused: list[str] = []
    provider.failed.connect(refused.append)
    provider.share_file(image)
    wait_for(app, lambda: refused)
    print(f"provider: {provider.message.text()}", flush=True)
    provider.close()


app = QApplication([sys.argv[0]])
become_nobody()
what, args = sys.argv[1], sys.argv[2:]
if what == "windows":
    try_windows(app, *args)
else:
    sys.exit({"consumer": consumer_cli, "provider": provider_cli}[what].main(args))
