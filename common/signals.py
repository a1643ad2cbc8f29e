"""End a Qt event loop cleanly on SIGINT and SIGTERM.

Python runs its signal handlers only between bytecodes, never while Qt's event
loop waits in C++.  Linux writes the signal number to a socket as the signal
arrives; a notifier on the other end wakes the loop, which then quits the
ordinary way, so that the segment is detached before the process exits.
"""

from __future__ import annotations

import signal
import socket

from PySide6.QtCore import QCoreApplication, QSocketNotifier

# The sockets and the notifier must live as long as the application.
_alive: list[tuple[socket.socket, socket.socket, QSocketNotifier]] = []


def quit_on_signals(app: QCoreApplication) -> None:
    receiver, sender = socket.socketpair()
    receiver.setblocking(False)
    sender.setblocking(False)
    signal.set_wakeup_fd(sender.fileno())
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: None)
    notifier = QSocketNotifier(receiver.fileno(), QSocketNotifier.Type.Read, app)

    def wake() -> None:
        receiver.recv(64)
        app.quit()

    notifier.activated.connect(wake)
    _alive.append((receiver, sender, notifier))
