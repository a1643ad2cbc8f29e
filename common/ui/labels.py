"""Text that never widens a window: a message that wraps anywhere, a line that elides."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

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


_CHINESE_CLOSE = ("。", "！", "？", "）", "」", "”", "；", "：")


def sentences(*texts: str) -> str:
    """The ``texts`` one after another, each a sentence: a space between them, as English has, but none after
    Chinese punctuation, whose full stop already holds its own space."""
    joined = ""
    for text in filter(None, texts):
        joined += text if not joined or joined.endswith(_CHINESE_CLOSE) else " " + text
    return joined


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


class Field(NamedTuple):
    """One field of a status line, translated on its own, and how long it stays when the line is too narrow."""

    text: str
    rank: int  # the lowest rank is left out first; KEPT never


def shortened(fields: Sequence[Field], fits: Callable[[str], bool], cut: Callable[[str], str]) -> str:
    """The ``fields`` joined by " · ", leaving out whole fields, lowest rank first, until the line ``fits``;
    ``cut`` shortens what still does not fit once only the fields ranked KEPT are left.

    A field is never cut in two while another can go: "1,923,771 bytes" must
    not read "…23,771 bytes", and the size and the codec outlast the rest.
    """
    shown = list(fields)
    for field in sorted(fields, key=lambda field: field.rank):
        if fits(SEPARATOR.join(kept.text for kept in shown)) or field.rank >= KEPT:
            break
        shown.remove(field)
    text = SEPARATOR.join(field.text for field in shown)
    return text if fits(text) else cut(text)


class ElidedLabel(QLabel):
    """One line, shortened when the window is narrower than the text (see :func:`shortened`); the whole
    text as tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)
        self._fields = [Field(text, KEPT)]

    def setText(self, text: str) -> None:
        self.set_fields([Field(text, KEPT)])

    def set_fields(self, fields: Sequence[Field]) -> None:
        """Show ``fields`` joined by " · "; when too narrow, the lowest ranks are left out first."""
        self._fields = list(fields)
        text = SEPARATOR.join(field.text for field in fields)
        super().setText(text)
        self.setToolTip(text)

    def shown_text(self) -> str:
        """The line as it fits the label's width now."""
        metrics, width = self.fontMetrics(), self.contentsRect().width()
        return shortened(
            self._fields,
            lambda text: metrics.horizontalAdvance(text) <= width,
            lambda text: metrics.elidedText(text, Qt.TextElideMode.ElideRight, width),
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawText(self.contentsRect(), int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), self.shown_text())
        painter.end()
