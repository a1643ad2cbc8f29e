"""How long a window's event loop keeps an event waiting: the measure of a frozen window."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QTimer


def worst_event_delay_ms(qtbot, duration_ms: int) -> int:
    """The longest a 10 ms timer waited past its due time while ``duration_ms`` passed."""
    clock, last, worst = QElapsedTimer(), [0], [0]
    clock.start()

    def tick() -> None:
        now = clock.elapsed()
        worst[0] = max(worst[0], now - last[0] - 10)
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    qtbot.wait(duration_ms)
    timer.stop()
    return worst[0]
