"""How much memory the machine can still hand out, as Linux reckons it."""

from __future__ import annotations

from pathlib import Path

_MEMINFO = Path("/proc/meminfo")


def available_bytes() -> int | None:
    """``MemAvailable`` of /proc/meminfo: what can be allocated without swapping; None where Linux does not say.

    Read afresh at each call: the figure is meant for a decision about to be made.
    """
    try:
        text = _MEMINFO.read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024  # in kB
    return None
