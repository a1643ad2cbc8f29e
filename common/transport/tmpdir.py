"""Why Qt cannot make a key's files in the temporary folder, in words that name the folder.

Qt keeps each key's files in ``$TMPDIR`` (``/tmp`` when unset) and, when it
cannot make them, says only "QSharedMemoryPrivate::initKey: unable to set key
on lock (QSystemSemaphore::handle:: unable to make key)".  This is asked after
such a failure, so a working folder costs nothing: a folder full of bytes still
takes Qt's key files (they are empty), and is no reason to refuse.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from shareimg.errors import TmpdirUnusable
from shareimg.transport.keys import DEFAULT_KEY, key_file

_FULL = (errno.ENOSPC, errno.EDQUOT)


def folder() -> Path:
    """The folder Qt puts the key files in."""
    return key_file(DEFAULT_KEY).parent


def check() -> None:
    """Raise :class:`TmpdirUnusable` if no file can be made in the folder, saying why; else return."""
    path = folder()
    try:
        info = path.stat()
    except FileNotFoundError:
        raise TmpdirUnusable(path, TmpdirUnusable.MISSING) from None
    except PermissionError:
        raise TmpdirUnusable(path, TmpdirUnusable.NOT_WRITABLE) from None
    if not stat.S_ISDIR(info.st_mode):
        raise TmpdirUnusable(path, TmpdirUnusable.NOT_A_FOLDER)
    # A file made and removed, as Qt makes its key files: the only sure test (a read-only
    # mount, an ACL, a quota, no inode left all refuse it; root passes os.access anyway).
    try:
        descriptor, probe = tempfile.mkstemp(dir=path, prefix=".shareimg-probe-")
    except OSError as error:
        full = error.errno in _FULL
        raise TmpdirUnusable(path, TmpdirUnusable.FULL if full else TmpdirUnusable.NOT_WRITABLE) from None
    os.close(descriptor)
    with contextlib.suppress(OSError):
        os.unlink(probe)
