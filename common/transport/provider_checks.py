"""How often a watcher that is attached asks whether its provider lives and still owns the key.

The question costs a third of a millisecond of a cold CPU (System V and /proc),
so it is asked twice a second while frames come, and every two seconds once
nothing came for a while: an image watched all day should not spend more.
"""

from __future__ import annotations

import time

#: How often an attached watcher checks that its provider lives and still owns the key.
CHECK_SECONDS = 0.5
#: ... and once nothing came for QUIET_AFTER_SECONDS.
QUIET_CHECK_SECONDS, QUIET_AFTER_SECONDS = 2.0, 5.0


class ProviderChecks:
    """When the next check is due, from when the last was made and when the last frame came."""

    def __init__(self) -> None:
        self.last_frame_ns = 0  # when the last frame came, in monotonic ns
        self._checked = 0.0

    def interval(self) -> float:
        """Seconds between two checks now."""
        quiet = time.monotonic_ns() - self.last_frame_ns > QUIET_AFTER_SECONDS * 1e9
        return QUIET_CHECK_SECONDS if quiet else CHECK_SECONDS

    def due(self) -> bool:
        """True (once) when a check is due: the caller makes it now."""
        now = time.monotonic()
        if now - self._checked < self.interval():
            return False
        self._checked = now
        return True
