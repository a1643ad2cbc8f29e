"""The consumer's Details panel: what the image is and where it came from.

Its width is set once for the longest value it shows, so it never jumps when
"(running)" becomes "(gone)", and a long value is elided, never widening it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QFormLayout, QMainWindow, QWidget

from shareimg import SharedImage
from shareimg.native.processes import process_running
from shareimg.ui.labels import ElidedLabel


class DetailsDock(QDockWidget):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(self.tr("Details"), window)
        self.setObjectName("details")
        panel = QWidget()
        form = QFormLayout(panel)
        labels = {
            "size": self.tr("Width × height"),
            "format": self.tr("Format"),
            "bytes": self.tr("Bytes"),
            "codec": self.tr("Codec"),
            "generation": self.tr("Generation"),
            "provider": self.tr("Provider"),
            "age": self.tr("Age"),
        }
        self.fields: dict[str, ElidedLabel] = {}
        for name, label in labels.items():
            self.fields[name] = ElidedLabel("–")
            form.addRow(label, self.fields[name])
        widest = max(self.fontMetrics().horizontalAdvance(text) for text in labels.values())
        longest = self.fontMetrics().horizontalAdvance(self.tr("pid {} ({})").format(4194304, self.tr("running")))
        panel.setFixedWidth(widest + longest + 4 * form.horizontalSpacing() + 24)
        self.setWidget(panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)

    def show_image(self, shared: SharedImage) -> None:
        image, meta = shared.image, shared.metadata
        fields = self.fields
        fields["size"].setText(f"{image.width()} × {image.height()}")
        fields["format"].setText(image.format().name.removeprefix("Format_"))
        fields["bytes"].setText(f"{image.sizeInBytes():,}")
        fields["codec"].setText(shared.codec)
        if meta is None:
            fields["generation"].setText("–")
            fields["provider"].setText(self.tr("another Qt program (no metadata)"))
            fields["age"].setText("–")
            return
        fields["generation"].setText(str(meta.generation))
        alive = self.tr("running") if process_running(meta.pid) else self.tr("gone")
        fields["provider"].setText(self.tr("pid {} ({})").format(meta.pid, alive))
        fields["age"].setText(self.tr("{:.1f} s").format((time.monotonic_ns() - meta.publish_ns) / 1e9))
