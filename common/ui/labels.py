"""Text that never widens a window: a message that wraps anywhere, a line that elides."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

# A word this long (a key, a path) may break anywhere.  Chinese, which wraps between any two characters
# already, is no word here: its line ends are kept together instead (kept_together).
_LONG_WORD = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]{24,}")
_BREAK = "\u200b"  # zero-width space: a place where a line may break
# The last few Chinese characters of a line, before its closing punctuation: Chinese may wrap between any two
# characters, and a line of its own for "了。" reads as a mistake.
_LINE_END = re.compile(r"(?:[\u3400-\u9fff]{2,3}| [\u3400-\u9fff]{1,2})(?=[。！？；：，、）」”…]*$)", re.M)
_JOIN = "\u2060"  # word joiner: no line breaks here


def kept_together(text: str) -> str:
    """``text`` with the last three Chinese characters of each line joined, so that no line is left with
    one character and its full stop (after a space, as in "最多 {} 个", the space does not break either)."""
    return _LINE_END.sub(lambda match: _JOIN.join(match[0].replace(" ", "\u00a0")), text)


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
        super().setText(kept_together(_LONG_WORD.sub(lambda match: _BREAK.join(match[0]), text)))

    def text(self) -> str:
        return self._text


SEPARATOR = " · "  # between the fields of a status line
KEPT = 1_000  # the rank of a field never left out (an image's size, its codec)


def shortened(
    fields: Sequence[str], ranks: Sequence[int], fits: Callable[[str], bool], cut: Callable[[str], str]
) -> str:
    """The ``fields`` joined by " · ", leaving out whole fields, lowest ``rank`` first, until the line ``fits``;
    ``cut`` shortens what still does not fit once only the fields ranked KEPT are left.

    A field is never cut in two while another can go: "1,923,771 bytes" must
    not read "…23,771 bytes", and the size and the codec outlast the rest.
    """
    shown = list(range(len(fields)))
    for index in sorted(shown, key=lambda i: ranks[i]):
        text = SEPARATOR.join(fields[i] for i in shown)
        if fits(text) or ranks[index] >= KEPT:
            break
        shown.remove(index)
    text = SEPARATOR.join(fields[i] for i in shown)
    return text if fits(text) else cut(text)


class ElidedLabel(QLabel):
    """One line, shortened when the window is narrower than the text (see :func:`shortened`); the whole
    text as tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)
        self._fields: list[str] = [text]
        self._ranks: list[int] = [KEPT]

    def setText(self, text: str) -> None:
        self.set_fields([text], [KEPT])

    def set_fields(self, fields: Sequence[str], ranks: Sequence[int]) -> None:
        """Show ``fields`` joined by " · "; when too narrow, the lowest ``ranks`` are left out first."""
        self._fields, self._ranks = list(fields), list(ranks)
        text = SEPARATOR.join(fields)
        super().setText(text)
        self.setToolTip(text)

    def shown_text(self) -> str:
        """The line as it fits the label's width now."""
        metrics, width = self.fontMetrics(), self.contentsRect().width()
        return shortened(
            self._fields,
            self._ranks,
            lambda text: metrics.horizontalAdvance(text) <= width,
            lambda text: metrics.elidedText(text, Qt.TextElideMode.ElideRight, width),
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawText(self.contentsRect(), int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), self.shown_text())
        painter.end()
