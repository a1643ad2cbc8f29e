"""A picture of the segment: its bytes as a bar (payload, free space, trailer), the lock, who is attached."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from shareimg.teach.hand_calls import SegmentFacts
from shareimg.wire.layout import TRAILER_SIZE

translate = QCoreApplication.translate
_COLOURS = (QColor("#3b7dd8"), QColor("#dddddd"), QColor("#e8903a"))  # payload, free, trailer


class _Bar(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setMinimumHeight(28)
        self.parts = (0, 0, 0)
        self.unseen = False  # a segment this window does not map: its size known, not its contents

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        box = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        total = sum(self.parts)
        if not total:
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, translate("SegmentPicture", "no segment"))
            painter.drawRect(box)
            return
        if self.unseen:
            painter.fillRect(box, QBrush(_COLOURS[1].darker(130), Qt.BrushStyle.BDiagPattern))
            painter.drawRect(box)
            return
        x = box.left()
        for index, part in enumerate(self.parts):
            # The 72-byte trailer stays visible beside megabytes of image.
            width = max(part / total * box.width(), 8.0 if part else 0.0)
            width = min(width, box.right() - x)
            painter.fillRect(QRectF(x, box.top(), width, box.height()), _COLOURS[index])
            x += width
        painter.drawRect(box)


class SegmentPicture(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.bar = _Bar()
        self.text = QLabel()
        self.text.setWordWrap(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.bar)
        column.addWidget(self.text)

    def show_facts(self, facts: SegmentFacts) -> None:
        trailer = TRAILER_SIZE if facts.payload else 0
        self.bar.parts = (
            (facts.payload, max(facts.size - facts.payload - trailer, 0), trailer) if facts.size else (0, 0, 0)
        )
        self.bar.unseen = bool(facts.size) and not facts.attached
        self.bar.update()
        if facts.lock_pid is None:
            lock = translate("SegmentPicture", "lock: free")
        elif facts.lock_pid == os.getpid():
            lock = translate("SegmentPicture", "lock: held by this window (pid {})").format(facts.lock_pid)
        else:
            lock = translate("SegmentPicture", "lock: held by pid {}").format(facts.lock_pid)
        if self.bar.unseen:
            contents = translate("SegmentPicture", "{:,} bytes, unseen from this window until it attaches")
            contents = contents.format(facts.size)
        else:
            contents = translate(
                "SegmentPicture", "{:,} bytes: {:,} image (blue), {:,} free (grey), {:,} trailer (orange)"
            ).format(facts.size, facts.payload, self.bar.parts[1], trailer)
        state = [
            lock,
            translate("SegmentPicture", "processes attached (kernel): {}").format(facts.processes),
            translate("SegmentPicture", "this window: attached")
            if facts.attached
            else translate("SegmentPicture", "this window: not attached"),
        ]
        self.text.setText(contents + "\n" + " · ".join(state))  # two lines or three: the panel is short
