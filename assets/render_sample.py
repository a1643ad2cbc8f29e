"""Render assets/sample.png, the image the demo shares (made here, so no licence question).

python assets/render_sample.py
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # render without a display

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QRadialGradient,
)


def render(width: int = 800, height: int = 600) -> QImage:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    sky = QLinearGradient(0, 0, 0, height)
    sky.setColorAt(0.0, QColor("#1b2a6b"))
    sky.setColorAt(0.55, QColor("#f08a4b"))
    sky.setColorAt(1.0, QColor("#ffd27f"))
    painter.fillRect(image.rect(), sky)

    sun = QRadialGradient(QPointF(width * 0.68, height * 0.52), height * 0.22)
    sun.setColorAt(0.0, QColor(255, 250, 220, 255))
    sun.setColorAt(0.45, QColor(255, 214, 120, 230))
    sun.setColorAt(1.0, QColor(255, 160, 80, 0))
    painter.setBrush(sun)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QPointF(width * 0.68, height * 0.52), height * 0.22, height * 0.22)

    for layer, colour in enumerate(("#5b3a6e", "#3c2a5a", "#221a3d")):
        path = QPainterPath(QPointF(0, height))
        base = height * (0.62 + 0.1 * layer)
        for x in range(0, width + 10, 10):
            y = base - 40 * math.sin(x / (90 + 40 * layer) + layer * 1.7) - 18 * math.sin(x / 23 + layer)
            path.lineTo(x, y)
        path.lineTo(width, height)
        painter.fillPath(path, QColor(colour))

    font = QFont()
    font.setPixelSize(height // 9)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor(255, 255, 255, 230))
    painter.drawText(QRectF(0, height * 0.08, width, height * 0.2), Qt.AlignmentFlag.AlignCenter, "shareimg")
    painter.end()
    return image


if __name__ == "__main__":
    app = QGuiApplication(sys.argv)
    target = Path(__file__).with_name("sample.png")
    if not render().save(str(target)):
        sys.exit(f"cannot write {target}")
    print(f"wrote {target}")
