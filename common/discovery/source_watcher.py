"""Hear when the list of sources changes, without polling for it.

Three kinds of event change the list, and each wakes the watcher:

- an announcement is written, retitled or removed: the directory changes;
- a segment comes or goes: Qt creates and removes its key file in ``$TMPDIR``;
- a listed process ends, even by SIGKILL, which changes no file: a pidfd
  (Linux 5.3+) becomes readable.

Events within 30 ms are looked at once, and events come to at most ten looks
a second (a busy ``$TMPDIR`` changes all the time).  ``interval`` adds a look
every so often for the live facts (frame rate, generation) that change
without events.
"""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QFileSystemWatcher, QObject, QSocketNotifier, QTimer, Signal

from shareimg.discovery import announcements
from shareimg.discovery.announcements import SourcesDirectoryError
from shareimg.discovery.sources import Source, SourceScanner
from shareimg.native.processes import process_running
from shareimg.transport.keys import DEFAULT_KEY, key_file

_SETTLE_MS = 30
_SPACING_NS = 100_000_000  # between looks that events ask for
_EXIT_POLL_MS = 250  # only where pidfds do not exist


class SourceWatcher(QObject):
    """The live sources, kept current; lives on the thread that creates it."""

    changed = Signal(object)  # list[Source]: a source came, went, or changed its title
    updated = Signal(object)  # list[Source]: after every look, with fresh live facts
    failed = Signal(str)  # the announcement directory cannot be used

    def __init__(self, parent: QObject | None = None, interval: float = 0.0) -> None:
        super().__init__(parent)
        self.sources: list[Source] = []
        #: When the look that found :attr:`sources` began (time.monotonic_ns()).
        self.as_of_ns = 0
        self.error: str | None = None
        self._scanner = SourceScanner()
        self._files = QFileSystemWatcher(self)
        self._files.directoryChanged.connect(self.look_soon)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(_SETTLE_MS)
        self._settle.timeout.connect(self.refresh)
        self._exits: dict[int, tuple[int, QSocketNotifier]] = {}  # pid -> its pidfd and notifier
        self._exit_poll = QTimer(self)  # fallback without pidfds
        self._exit_poll.setInterval(_EXIT_POLL_MS)
        self._exit_poll.timeout.connect(self._check_exits)
        self._facts = QTimer(self)
        self._facts.timeout.connect(self.refresh)
        self.set_interval(interval)
        self.refresh()

    def set_interval(self, seconds: float) -> None:
        """Also look every ``seconds`` (0: only on events)."""
        if seconds > 0:
            self._facts.start(round(seconds * 1000))
        else:
            self._facts.stop()

    def look_soon(self) -> None:
        if not self._settle.isActive():
            since_ms = (time.monotonic_ns() - self.as_of_ns) // 1_000_000
            self._settle.start(max(_SETTLE_MS, _SPACING_NS // 1_000_000 - since_ms))

    def refresh(self) -> None:
        """Look now; emits ``updated``, and ``changed`` if the list differs."""
        started = time.monotonic_ns()
        # Watched before the look: an announcement written while it looks (just after it read the
        # directory) wakes the next one; watched after, it would be missed for good.
        self._watch_paths()
        try:
            found = self._scanner.scan()
            self.error = None
        except (SourcesDirectoryError, OSError) as error:
            found, self.error = [], str(error)
            self.failed.emit(self.error)
        self._watch_exits({source.pid for source in found})
        before, self.sources, self.as_of_ns = self.sources, found, started
        if _identities(before) != _identities(found):
            self.changed.emit(found)
        self.updated.emit(found)

    def stop(self) -> None:
        """Stop watching (also done when the watcher is deleted with its parent)."""
        self._facts.stop()
        self._settle.stop()
        self._exit_poll.stop()
        self._watch_exits(set())
        paths = self._files.directories()
        if paths:
            self._files.removePaths(paths)

    def _watch_paths(self) -> None:
        # The directory goes when its last announcement does; $TMPDIR tells when it is back.
        wanted = [str(key_file(DEFAULT_KEY).parent), str(announcements.directory())]
        missing = [path for path in wanted if path not in self._files.directories() and os.path.isdir(path)]
        if missing:
            self._files.addPaths(missing)

    def _watch_exits(self, pids: set[int]) -> None:
        for pid in [pid for pid in self._exits if pid not in pids]:
            fd, notifier = self._exits.pop(pid)
            notifier.setEnabled(False)
            notifier.deleteLater()
            os.close(fd)
        for pid in pids - self._exits.keys():
            try:
                fd = os.pidfd_open(pid)
            except ProcessLookupError:
                self.look_soon()  # gone already
                continue
            except (AttributeError, OSError):
                self._exit_poll.start()  # no pidfds here: look at the pids instead
                continue
            notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, self)
            notifier.activated.connect(self._exited)
            self._exits[pid] = (fd, notifier)

    def _exited(self) -> None:
        notifier = self.sender()
        assert isinstance(notifier, QSocketNotifier)  # only exit notifiers are connected here
        notifier.setEnabled(False)  # readable for good: once is enough
        self.look_soon()

    def _check_exits(self) -> None:
        if not self.sources:
            self._exit_poll.stop()
        elif not all(process_running(source.pid) for source in self.sources):
            self.look_soon()


def _identities(found: list[Source]) -> list[tuple[str, int, str, bool]]:
    return [(source.key, source.pid, source.title, source.announced) for source in found]
