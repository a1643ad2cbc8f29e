"""The consumer's Details panel: what the image is and where it came from.

A source received from another machine (``shareimg-bridge receive``, or the
Network section) is announced with its origin "HOST/KEY"; the panel names it,
and the latency of the frames watched, which for such a source runs from its
publish on the other machine (so the two clocks must be in step).

Its width is set once for the longest value it shows, so it never jumps when
"(running)" becomes "(gone)", and a long value is elided, never widening it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QFormLayout, QMainWindow, QWidget

from shareimg import SharedImage
from shareimg.consumer.stats import StreamStats
from shareimg.discovery import announcements
from shareimg.native.processes import process_running
from shareimg.ui.labels import ElidedLabel, MessageLabel


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
            "latency": self.tr("Latency"),
        }
        self.fields: dict[str, ElidedLabel] = {}
        for name, label in labels.items():
            self.fields[name] = ElidedLabel("–")
            form.addRow(label, self.fields[name])
        self.origin = MessageLabel("–")  # "HOST/KEY over the network" takes two lines rather than widen the panel
        form.insertRow(form.rowCount() - 1, self.tr("Origin"), self.origin)
        widest = max(self.fontMetrics().horizontalAdvance(text) for text in labels.values())
        longest = self.fontMetrics().horizontalAdvance(self.tr("pid {} ({})").format(4194304, self.tr("running")))
        panel.setFixedWidth(widest + longest + 4 * form.horizontalSpacing() + 24)
        self.setWidget(panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)
        self._origin: tuple[tuple[str, int], str] = (("", 0), "")  # (key, pid) and its announced origin

    def origin_of(self, key: str, pid: int) -> str:
        """Where the source under ``key`` shared by ``pid`` gets its images: "HOST/KEY", or "" for this machine."""
        if self._origin[0] != (key, pid):  # looked up once per source, not at each refresh
            entry = next((entry for entry in announcements.entries() if (entry.key, entry.pid) == (key, pid)), None)
            self._origin = (key, pid), entry.origin if entry is not None else ""
        return self._origin[1]

    def show_image(self, shared: SharedImage, stats: StreamStats | None = None) -> None:
        """What ``shared`` is; with the ``stats`` of a stream watched, its latency too."""
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
            self.origin.setText(self.tr("this machine"))
            fields["latency"].setText("–")
            return
        fields["generation"].setText(str(meta.generation))
        alive = self.tr("running") if process_running(meta.pid) else self.tr("gone")
        fields["provider"].setText(self.tr("pid {} ({})").format(meta.pid, alive))
        fields["age"].setText(self.tr("{:.1f} s").format((time.monotonic_ns() - meta.publish_ns) / 1e9))
        origin = self.origin_of(shared.key, meta.pid)
        self.origin.setText(self.tr("{} over the network").format(origin) if origin else self.tr("this machine"))
        latency = stats.latency_ms(time.monotonic_ns()) if stats is not None else None
        fields["latency"].setText(self.tr("{:.1f} ms").format(latency) if latency is not None else "–")
        fields["latency"].setToolTip(
            self.tr("From the source's publish on {} to this window: the two machines' clocks must be in step (NTP)")
            .format(origin.partition("/")[0])
            if origin
            else self.tr("From the provider's publish to this window")
        )  # fmt: skip
