"""Text that never widens a window: a message that wraps anywhere, a line that elides."""

from __future__ import annotations

import re

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


class ElidedLabel(QLabel):
    """One line, shortened with "…" when the window is narrower than the text; the whole text as tooltip."""

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
        elided = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideMiddle, rect.width())
        painter.drawText(rect, int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), elided)
        painter.end()
