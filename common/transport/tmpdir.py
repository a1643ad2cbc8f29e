"""Why Qt cannot make a key's files in the temporary folder, in words that name the folder.

Qt keeps each key's files in ``$TMPDIR`` (``/tmp`` when unset) and, when it
cannot make them, says only "QSharedMemoryPrivate::initKey: unable to set key
on lock (QSystemSemaphore::handle:: unable to make key)".  This is asked after
such a failure, so a working folder costs nothing: a folder full of bytes still
takes Qt's key files (they are empty), and is no reason to refuse.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from shareimg.errors import TmpdirUnusable
from shareimg.transport.keys import DEFAULT_KEY, key_file


def folder() -> Path:
    """The folder Qt puts the key files in."""
    return key_file(DEFAULT_KEY).parent


def check() -> None:
    """Raise :class:`TmpdirUnusable` if the folder is missing, not writable by us, or full; else return.

    Looked at, never written: a probe file would be left there by a kill at the wrong moment.
    """
    path = folder()
    try:
        info = path.stat()
    except FileNotFoundError:
        raise TmpdirUnusable(path, TmpdirUnusable.MISSING) from None
    except PermissionError:  # a folder on the way is closed to us
        raise TmpdirUnusable(path, TmpdirUnusable.NOT_WRITABLE) from None
    if not stat.S_ISDIR(info.st_mode):
        raise TmpdirUnusable(path, TmpdirUnusable.NOT_A_FOLDER)
    # access() with the effective ids, as the kernel checks a file's creation; root too on a read-only mount.
    if not os.access(path, os.W_OK | os.X_OK, effective_ids=os.access in os.supports_effective_ids):
        raise TmpdirUnusable(path, TmpdirUnusable.NOT_WRITABLE)
    space = os.statvfs(path)
    if space.f_favail == 0 or space.f_bavail == 0:  # no inode for a key file, or no block for its name
        raise TmpdirUnusable(path, TmpdirUnusable.FULL)
