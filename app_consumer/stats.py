"""Frames per second, dropped frames and latency of what the window shows.

Both are of the last second, asked for with the time now: when frames stop
coming, the rate falls to 0 and the latency has no value, rather than keeping
the last ones.
"""

from __future__ import annotations

import time
from collections import deque


class StreamStats:
    def __init__(self, window_ns: int = 1_000_000_000) -> None:
        self._window_ns = window_ns
        # An image published before we started watching has an age, not a latency.
        self.since_ns = time.monotonic_ns()
        self._shown: deque[int] = deque()
        self._last_generation: int | None = None
        self._latency_ms: float | None = None
        self.dropped = 0

    def record(self, generation: int, publish_ns: int | None, now_ns: int) -> None:
        """One frame shown; a gap in generations counts as frames dropped."""
        if self._last_generation is not None and generation > self._last_generation:
            self.dropped += generation - self._last_generation - 1
        self._last_generation = generation
        self._latency_ms = (now_ns - publish_ns) / 1e6 if publish_ns and publish_ns >= self.since_ns else None
        self._shown.append(now_ns)
        self._forget(now_ns)

    def fps(self, now_ns: int) -> float:
        """Frames shown in the last second."""
        self._forget(now_ns)
        return len(self._shown) * 1e9 / self._window_ns

    def latency_ms(self, now_ns: int) -> float | None:
        """Of the newest frame, if one was shown in the last second."""
        self._forget(now_ns)
        return self._latency_ms if self._shown else None

    def _forget(self, now_ns: int) -> None:
        while self._shown and self._shown[0] <= now_ns - self._window_ns:
            self._shown.popleft()
