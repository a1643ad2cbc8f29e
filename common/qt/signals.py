"""Ending a Qt event loop cleanly: on a stop signal (SIGINT, SIGTERM, SIGHUP), and when a worker thread asks.

Every program of shareimg holds the stop signals from its first line
(native/stopping.py); the event loop acts on them, and on one held before it existed.

Python runs its signal handlers only between bytecodes, never while Qt's event
loop waits in C++.  Linux writes the signal number to a socket as the signal
arrives; a notifier on the other end wakes the loop, which then quits the
ordinary way, so that the segment is detached before the process exits.

Qt 6 ignores ``QCoreApplication.quit()`` until ``exec()`` has started: a
worker that failed at once, before the main thread reached ``exec()``, asked
in vain and the program waited forever.  :meth:`EventLoop.quit` is a queued
call instead, which ``exec()`` itself delivers however early it was made.
"""

from __future__ import annotations

import signal
import socket
import threading

from PySide6.QtCore import QCoreApplication, QMetaObject, QSocketNotifier, Qt

from shareimg.native.stopping import on_stop


class EventLoop:
    """The application's event loop; any thread may end it, before or after :meth:`run` starts.

    Ending it closes no window (Qt's ``quit()`` would, running each window's
    ``closeEvent`` inside the loop, where an error only prints a traceback):
    the caller closes them after :meth:`run`, where errors are reported.
    """

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._ending = threading.Event()
        receiver, sender = socket.socketpair()
        receiver.setblocking(False)
        sender.setblocking(False)
        signal.set_wakeup_fd(sender.fileno())
        on_stop(self.quit)  # and the wakeup socket wakes the loop, below, to see it
        notifier = QSocketNotifier(receiver.fileno(), QSocketNotifier.Type.Read, app)

        def wake() -> None:
            receiver.recv(64)
            self.quit()

        notifier.activated.connect(wake)
        # The sockets and the notifier must live as long as the loop.
        self._signal_wakeup = (receiver, sender, notifier)

    def quit(self) -> None:
        """End the loop (status 0); safe from any thread, and never lost."""
        self._ending.set()
        QMetaObject.invokeMethod(self._app, "exit", Qt.ConnectionType.QueuedConnection)

    def run(self) -> int:
        """Qt's event loop, until :meth:`quit` or a signal."""
        # A request that events processed before now delivered (and Qt dropped) is still seen here.
        if self._ending.is_set():
            return 0
        return self._app.exec()
