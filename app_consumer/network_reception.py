"""Receive the remote source the user picked, in this process, under a local key the window then watches.

One :class:`~shareimg.network.Receiver` at a time, its lifetime explicit: it
is closed when another source is picked, when the window moves to another
key, and when the window closes (nothing is left: its segment, lock and
announcement go with it).  Opening one blocks while zenoh connects, so it is
opened on a worker; one opened after the user moved on is closed at once.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from shareimg.errors import ShareImgError
from shareimg.network.receiver import Receiver
from shareimg.network.remote_sources import RemoteSource
from shareimg.qt.background import BackgroundJobs
from shareimg.transport.keys import validate_key
from shareimg.transport.segment import segment_status
from shareimg.ui.translations import translated_message

# With no frame after this long, the window says that nothing has come yet.
_QUIET_SECONDS = 5.0


def local_keys(source: RemoteSource) -> tuple[str, str]:
    """Where a remote source is shared here: under its own key, else under ``net-HOST-KEY``."""
    return source.key, f"net-{source.host}-{source.key}"


def local_key(source: RemoteSource) -> str | None:
    """The first of :func:`local_keys` no segment uses here; None when both are used (InvalidKey: too long)."""
    return next((key for key in local_keys(source) if segment_status(validate_key(key)) is None), None)


class RemoteReception(QObject):
    receiving = Signal(str)  # the local key: the receiver is up, the window may watch it
    said = Signal(str)  # what the reception is doing, or why it cannot, in words

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.receiver: Receiver | None = None
        self.name = ""  # the remote source received, or being opened: "HOST/KEY"
        self._ticket = 0  # which start() a job opens for: one opened for an earlier start is closed
        self._opened: list[Receiver] = []  # made by a job, not yet taken
        self._since = 0.0
        self._quiet = False  # "nothing has come yet" said
        self._jobs = BackgroundJobs(self)
        self._health = QTimer(self)
        self._health.setInterval(500)
        self._health.timeout.connect(self._check)

    @property
    def key(self) -> str:
        """The local key the remote source is shared under ("" when none is)."""
        return self.receiver.key if self.receiver is not None else ""

    def start(self, source: RemoteSource, endpoints: Sequence[str]) -> None:
        """Receive ``source`` through ``endpoints`` instead of what was received."""
        if source.name == self.name:
            return
        self.close()
        self._ticket += 1
        ticket = self._ticket
        try:
            key = local_key(source)
        except ShareImgError as error:
            self.said.emit(self.tr("{} cannot be received: {}").format(source.name, translated_message(error)))
            return
        if key is None:
            self.said.emit(
                self.tr("{} cannot be received: keys '{}' and '{}' are both in use here; stop what shares under one")
                .format(source.name, *local_keys(source))
            )  # fmt: skip
            return
        self.name = source.name
        self.said.emit(self.tr("Connecting to {}…").format(source.name))
        connect = list(endpoints)
        self._jobs.run(
            lambda: self._open(source.name, key, connect),
            lambda receiver: self._take(receiver, ticket),
            lambda error: self._fail(source.name, error, ticket),
        )

    def close(self) -> None:
        """Stop receiving: the local key is shared no more."""
        self.name = ""
        self._ticket += 1
        self._health.stop()
        receiver, self.receiver = self.receiver, None
        if receiver is not None:
            receiver.close()

    def stop(self) -> None:
        """Close, and close what a job still opening makes: nothing of it is left."""
        self.close()
        self._jobs.stop()
        for receiver in self._opened:
            receiver.close()
        self._opened.clear()

    def _open(self, name: str, key: str, connect: list[str]) -> Receiver:
        """On the worker."""
        receiver = Receiver(name, key=key, connect=connect)
        self._opened.append(receiver)
        return receiver

    def _take(self, receiver: Receiver, ticket: int) -> None:
        if receiver not in self._opened:  # stop() came first, and closed it
            return
        self._opened.remove(receiver)
        if ticket != self._ticket:  # the user moved on meanwhile
            receiver.close()
            return
        self.receiver = receiver
        self._since, self._quiet = time.monotonic(), False
        self._health.start()
        self.said.emit(self.tr("Receiving {} under key '{}'.").format(self.name, self.key))
        self.receiving.emit(self.key)

    def _fail(self, name: str, error: BaseException, ticket: int) -> None:
        if ticket == self._ticket:
            self.name = ""
            words = translated_message(error) if isinstance(error, ShareImgError) else str(error)
            self.said.emit(self.tr("{} cannot be received: {}").format(name, words))

    def _check(self) -> None:
        receiver = self.receiver
        if receiver is None:
            return
        if receiver.failure is not None:
            name, failure = self.name, receiver.failure
            self.close()
            self.said.emit(self.tr("{} cannot be received: {}").format(name, translated_message(failure)))
        elif not receiver.shared and not self._quiet and time.monotonic() - self._since > _QUIET_SECONDS:
            self._quiet = True  # said once; the receiver goes on
            self.said.emit(
                self.tr("Nothing has come from {} yet: is its machine reachable, and its source sharing?").format(
                    self.name
                )
            )
        elif receiver.shared and self._quiet:
            self._quiet = False
            self.said.emit(self.tr("Receiving {} under key '{}'.").format(self.name, self.key))
