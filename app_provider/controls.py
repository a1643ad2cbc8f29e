"""The provider window's own controls: the codec box and the busy indicator with Cancel."""

from __future__ import annotations

import threading

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QProgressBar, QPushButton, QWidget

from shareimg import CODECS, ImageCodec


class CodecBox(QComboBox):
    def __init__(self, codec: ImageCodec) -> None:
        super().__init__()
        self.addItem(self.tr("qt — Qt example format"), "qt")
        self.addItem(self.tr("raw — pixels, fastest"), "raw")
        self.setCurrentIndex(self.findData(codec.name))
        self.setToolTip(self.tr("How the image is written into the segment; C++ Qt programs read only 'qt'"))

    def codec(self) -> ImageCodec:
        return CODECS[self.currentData()]


class BusyIndicator(QWidget):
    """A bar that says work goes on (no steps to count) and its Cancel button; hidden while idle.

    Each piece of work started gets its own ``cancel_event``, which Cancel sets.
    """

    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setMaximumWidth(120)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self._cancel)
        self.cancel_event = threading.Event()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        self.hide()

    def start(self) -> None:
        self.cancel_event = threading.Event()
        self.show()

    def _cancel(self) -> None:
        self.cancel_event.set()
        self.cancelled.emit()
