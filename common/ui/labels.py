"""Text that never widens a window: a message that wraps anywhere, a line that elides."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

# A word this long (a key, a path) may break anywhere.
_LONG_WORD = re.compile(r"\S{24,}")
_BREAK = "\u200b"  # zero-width space: a place where a line may break


class MessageLabel(QLabel):
    """A wrapped message whose long words (paths, keys) break too: its width is the window's, never its own.

    :meth:`text` gives the text as set.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._text = ""
        self.setText(text)

    def setText(self, text: str) -> None:
        self._text = text
        super().setText(_LONG_WORD.sub(lambda match: _BREAK.join(match[0]), text))

    def text(self) -> str:
        return self._text


SEPARATOR = " · "  # between the fields of a status line


def shortened(text: str, fits: Callable[[str], bool], cut: Callable[[str], str]) -> str:
    """``text`` if it ``fits``, else with whole " · " fields left out from the middle (shown as one "…"),
    the first and last kept; ``cut`` shortens what still does not fit.  A field is never cut in two:
    "1,923,771 bytes" must not read "…23,771 bytes".
    """
    if fits(text):
        return text
    parts = text.split(SEPARATOR)
    middle = (len(parts) - 1) / 2
    left_out: list[int] = []  # from the middle out: always one run, one "…"
    for index in sorted(range(1, len(parts) - 1), key=lambda i: abs(i - middle)):
        left_out.append(index)
        candidate = SEPARATOR.join([*parts[: min(left_out)], "…", *parts[max(left_out) + 1 :]])
        if fits(candidate):
            return candidate
    return cut(text)


class ElidedLabel(QLabel):
    """One line, shortened when the window is narrower than the text (see :func:`shortened`); the whole
    text as tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.contentsRect()
        painter = QPainter(self)
        metrics, width = self.fontMetrics(), rect.width()
        elided = shortened(
            self.text(),
            lambda text: metrics.horizontalAdvance(text) <= width,
            lambda text: metrics.elidedText(text, Qt.TextElideMode.ElideRight, width),
        )
        painter.drawText(rect, int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), elided)
        painter.end()
