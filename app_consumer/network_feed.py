"""The sources other machines send, listed about once a second on a thread of its own.

zenoh blocks: opening a session that connects where nobody listens takes
half a second, and a listing waits up to its timeout for answers.  So the
window never calls it; a worker holds one session for the endpoints followed
and hands each listing back as a :class:`Listing`, queued to the GUI thread.
Following other endpoints lets the old worker go without waiting for it: it
ends, and closes its session, within one listing; :meth:`RemoteSourceFeed.stop`
joins them all.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from shareimg.errors import ShareImgError
from shareimg.qt.background import WorkerThread

# A source killed leaves the list within this, plus a listing, of its connection closing.
REFRESH_SECONDS = 1.0
LIST_SECONDS = 0.5


@dataclass(frozen=True)
class Listing:
    """One look: what ``endpoints`` reach, or why nothing can be."""

    endpoints: tuple[str, ...]
    sources: list  # list[RemoteSource]
    peers: int  # machines connected to
    error: ShareImgError | None = None
    failure: str = ""  # an unexpected error's words


class RemoteSourceFeed(QObject):
    listed = Signal(object)  # Listing

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.endpoints: tuple[str, ...] = ()
        self._worker: WorkerThread | None = None
        self._leaving: list[WorkerThread] = []  # told to stop, not yet joined

    def follow(self, endpoints: list[str]) -> None:
        """List what ``endpoints`` reach from now on; none: list nothing."""
        if tuple(endpoints) == self.endpoints and (self._worker is not None or not endpoints):
            return
        self._let_go()
        self.endpoints = tuple(endpoints)
        if endpoints:
            listed = self.endpoints  # these, even if the user changes them before the thread starts
            self._worker = WorkerThread("shareimg-network-list", lambda stopping: self._list(listed, stopping))
            self._worker.start()

    def stop(self) -> None:
        """Stop listing and join every worker: no session is left open."""
        self._let_go()
        self.endpoints = ()
        for worker in self._leaving:
            worker.stop()
        self._leaving.clear()

    def _let_go(self) -> None:
        self._leaving = [worker for worker in self._leaving if not worker.join(0)]
        if self._worker is not None:
            self._worker.stopping.set()
            self._leaving.append(self._worker)
            self._worker = None

    def _list(self, endpoints: tuple[str, ...], stopping: threading.Event) -> None:
        from shareimg.network.remote_sources import NetworkSources  # zenoh only once the user asks for it

        try:
            with NetworkSources(endpoints) as network:
                while not stopping.is_set():
                    found = network.list(LIST_SECONDS)
                    if not stopping.is_set():
                        self.listed.emit(Listing(endpoints, found, network.peers))
                    stopping.wait(REFRESH_SECONDS)
        except ShareImgError as error:  # the extra missing, an endpoint refused: said in the panel
            self.listed.emit(Listing(endpoints, [], 0, error))
        except Exception as error:  # noqa: BLE001 - zenoh's own: said in the panel, in a line
            words = str(error).strip().splitlines()
            self.listed.emit(Listing(endpoints, [], 0, None, words[0] if words else type(error).__name__))
