"""The directory where providers announce themselves: one small JSON file per provider.

No daemon: each provider writes its own file while it shares and removes it when
it stops.  The directory sits beside Qt's key files (the same ``$TMPDIR`` rule
as the segments), is named after the user and is ``0700``; its files are
``0600``.  A file only claims "pid P shares under key K as title T": whether that
is true is always checked against the process and the segment (common.sources),
so a provider killed with SIGKILL, which cannot remove its file, is never
listed.  docs/PROTOCOL.md, section 6, describes the files for other programs.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from shareimg.errors import ShareImgError
from shareimg.transport.keys import DEFAULT_KEY, key_file, validate_key

VERSION = 1
_NAME = re.compile(r"(?P<key>[A-Za-z0-9][A-Za-z0-9._-]{0,99})@(?P<pid>[1-9][0-9]*)\.json")
_ATTEMPTS = 5  # the directory may be removed (empty) between making it and writing into it


class SourcesDirectoryError(ShareImgError):
    """The announcement directory exists but is not this user's alone: it is not used."""


def directory() -> Path:
    """``$TMPDIR/shareimg-sources-<uid>``: the directory Qt puts the key files in, per user."""
    return key_file(DEFAULT_KEY).parent / f"shareimg-sources-{os.getuid()}"


def checked_directory() -> Path | None:
    """The directory if it exists and only this user can use it; None if it does not exist."""
    path = directory()
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise SourcesDirectoryError(
            f"{path} is not a directory of this user (a link, a file or another user's): "
            "sources are not announced there; remove it"
        )
    if stat.S_IMODE(info.st_mode) != 0o700:
        os.chmod(path, 0o700)  # ours: close it again
    return path


def _made_directory() -> Path:
    path = checked_directory()
    if path is None:
        with contextlib.suppress(FileExistsError):  # another provider made it just now
            os.mkdir(directory(), 0o700)
        path = checked_directory()
    if path is None:
        raise FileNotFoundError(f"{directory()} was removed as it was made")
    return path


@dataclass(frozen=True)
class Entry:
    """One announcement file as it reads; nothing in it is checked yet."""

    path: Path
    key: str
    pid: int
    title: str
    started: float
    origin: str = ""  # where its images come from, when not from this machine ("HOST/K", a network source)


def entries() -> list[Entry]:
    """Every announcement file in the directory, readable or not yet (a name without content).

    Raises :class:`SourcesDirectoryError` if the directory is not this user's alone.
    """
    folder = checked_directory()
    if folder is None:
        return []
    found = []
    for name in _names(folder):
        match = _NAME.fullmatch(name)
        if match:
            key, pid = match["key"], int(match["pid"])
            title, started, origin = _content(folder / name, key, pid)
            found.append(Entry(folder / name, key, pid, title, started, origin))
    return found


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []  # its last announcement was just removed, and it with it


def _content(path: Path, key: str, pid: int) -> tuple[str, float, str]:
    """Title, start time and origin; the key as title when the file is unreadable or disagrees with its name."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") == key and data.get("pid") == pid:
            return str(data.get("title") or key), float(data.get("started") or 0.0), str(data.get("origin") or "")
    except (OSError, ValueError, AttributeError, TypeError):
        pass
    return key, 0.0, ""


def leftover_temporaries() -> list[tuple[Path, int]]:
    """Half-written files (``.PID.*.tmp``) with the pid that writes them."""
    folder = checked_directory()
    if folder is None:
        return []
    found = []
    for name in _names(folder):
        match = re.fullmatch(r"\.([0-9]+)\..*\.tmp", name)
        if match:
            found.append((folder / name, int(match[1])))
    return found


def remove(path: Path) -> None:
    """Remove an announcement (or a half-written one), and the directory once it is empty."""
    path.unlink(missing_ok=True)
    _remove_if_empty(path.parent)


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty: other providers announce there
        folder.rmdir()


# Names this process announced: a second Publisher on the same key in this process
# must not replace, nor later remove, the first one's file.
_OWNED: set[str] = set()
_OWNED_GUARD = threading.Lock()


class Announcement:
    """This process's announcement for one key: written while it shares, removed when it stops.

    Thread-safe: a window may retitle while a worker publishes.
    """

    def __init__(self, key: str, title: str, origin: str = "") -> None:
        self.key = validate_key(key)
        self._title = title
        self.origin = origin
        self._started = 0.0
        self._path: Path | None = None  # while announced
        self._guard = threading.Lock()
        #: Why the last write failed (the source then is not listed as announced), else None.
        self.error: str | None = None

    @property
    def title(self) -> str:
        return self._title

    @property
    def announced(self) -> bool:
        return self._path is not None

    def announce(self) -> None:
        """Write the file, unless this process already announces the key; failures go to :attr:`error`."""
        with self._guard:
            if self._path is not None:
                return
            name = f"{self.key}@{os.getpid()}.json"
            with _OWNED_GUARD:
                if name in _OWNED:
                    return
                _OWNED.add(name)
            self._started = time.time()
            try:
                self._path = self._write(name)
            except (OSError, SourcesDirectoryError) as error:
                with _OWNED_GUARD:
                    _OWNED.discard(name)
                self.error = f"not announced in the sources directory: {error}"

    def retitle(self, title: str) -> None:
        with self._guard:
            if title == self._title:
                return
            self._title = title
            if self._path is not None:
                try:
                    self._write(self._path.name)
                except (OSError, SourcesDirectoryError) as error:
                    self.error = f"the new title is not announced: {error}"

    def withdraw(self) -> None:
        with self._guard:
            if self._path is None:
                return
            remove(self._path)
            with _OWNED_GUARD:
                _OWNED.discard(self._path.name)
            self._path = None

    def _write(self, name: str) -> Path:
        """Write to a temporary file and rename it: readers see the whole file or none."""
        content = json.dumps(
            {
                "version": VERSION,
                "key": self.key,
                "title": self._title,
                "pid": os.getpid(),
                "started": self._started,
                "origin": self.origin,
            },  # fmt: skip
            ensure_ascii=False,
        ).encode()
        attempt = 1
        while True:
            try:
                folder = _made_directory()
                fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.getpid()}.", suffix=".tmp")  # 0600
                break
            except FileNotFoundError:
                if attempt == _ATTEMPTS:
                    raise
                attempt += 1  # the last provider removed the empty directory meanwhile
            except OSError:
                _remove_if_empty(directory())  # a full $TMPDIR: no empty directory left behind
                raise
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(content)
            os.rename(temporary, folder / name)
        except BaseException:
            remove(Path(temporary))  # and the directory, if that empties it (a full $TMPDIR)
            raise
        return folder / name
