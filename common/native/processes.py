"""Facts about other processes, from /proc."""

from __future__ import annotations

import os
from pathlib import Path


def process_running(pid: int) -> bool:
    """True if ``pid`` runs: it exists and is not a zombie (a killed provider its parent has not reaped).

    A zombie has let go of its segments and its locks already: it shares nothing.
    """
    if pid <= 0:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except (OSError, ValueError):
        # /proc mounted with hidepid: the process exists if a signal could be sent to it.
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


# Linux keeps a process's name (comm) in 16 bytes: longer names are cut to 15.
_COMM_LENGTH = 15


def process_name(pid: int) -> str:
    """The name of the program ``pid`` runs, whole: ``shareimg-provider``, not comm's ``shareimg-provid``.

    comm is the executed file's name, cut to 15 bytes; for a script it is the
    script's, whose path is then an argument of the interpreter.  So the whole
    name is that of the first argument whose file name starts with comm; comm
    itself when none does (a process that renamed itself).
    """
    try:
        comm = Path(f"/proc/{pid}/comm").read_text().removesuffix("\n")
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return ""
    if len(comm.encode()) < _COMM_LENGTH:
        return comm
    names = (Path(os.fsdecode(argument)).name for argument in arguments)
    return next((name for name in names if name.startswith(comm)), comm)
