"""Frames per second, dropped frames and latency of what the window shows."""

from __future__ import annotations

import time
from collections import deque


class StreamStats:
    def __init__(self, window_ns: int = 1_000_000_000) -> None:
        self._window_ns = window_ns
        # An image published before we started watching has an age, not a latency.
        self._since_ns = time.monotonic_ns()
        self._shown: deque[int] = deque()
        self._last_generation: int | None = None
        self.dropped = 0
        self.latency_ms: float | None = None

    def record(self, generation: int, publish_ns: int | None, now_ns: int) -> None:
        """One frame shown; a gap in generations counts as frames dropped."""
        if self._last_generation is not None and generation > self._last_generation:
            self.dropped += generation - self._last_generation - 1
        self._last_generation = generation
        self.latency_ms = (now_ns - publish_ns) / 1e6 if publish_ns and publish_ns >= self._since_ns else None
        self._shown.append(now_ns)
        while self._shown and self._shown[0] <= now_ns - self._window_ns:
            self._shown.popleft()

    @property
    def fps(self) -> float:
        return len(self._shown) * 1e9 / self._window_ns
