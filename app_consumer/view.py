"""The consumer's image area: fit to the window, 100 %, or zoomed, scrolling when larger."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsPixmapItem, QGraphicsScene, QGraphicsView

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 1 / 32, 32.0
# Opaque, 8 bits a channel: RGB32 holds them without loss, and a pixmap takes RGB32 as it is.
_TO_RGB32 = {
    QImage.Format.Format_RGB888,
    QImage.Format.Format_BGR888,
    QImage.Format.Format_RGBX8888,
    QImage.Format.Format_Grayscale8,
}


def needs_conversion(image: QImage) -> bool:
    """True if a pixmap would convert ``image``, and RGB32 holds it without loss: convert it once, to that."""
    return image.format() in _TO_RGB32


class ImageView(QGraphicsView):
    zoom_changed = Signal(float)  # the scale now shown, 1.0 = 100 %

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(self.palette().window())
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        scene = QGraphicsScene(self)
        scene.addItem(self._item)
        self.setScene(scene)
        self._fit = True

    @property
    def has_image(self) -> bool:
        return not self._item.pixmap().isNull()

    @property
    def fitting(self) -> bool:
        return self._fit

    def zoom(self) -> float:
        """The scale shown, in image pixels per device-independent pixel."""
        return self.transform().m11()

    def set_image(self, image: QImage) -> None:
        pixmap = QPixmap.fromImage(image)
        # One image pixel per physical pixel at 100 %: sharp on high-DPI screens.
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self._item.setPixmap(pixmap)
        self.scene().setSceneRect(self._item.boundingRect())
        if self._fit:
            self.fit_to_window()

    def fit_to_window(self) -> None:
        self._fit = True
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        if self.has_image:
            self.fitInView(self._item, Qt.AspectRatioMode.KeepAspectRatio)
        self.zoom_changed.emit(self.zoom())

    def set_zoom(self, scale: float) -> None:
        self._fit = False
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scale = min(max(scale, MIN_ZOOM), MAX_ZOOM)
        self.resetTransform()
        self.scale(scale, scale)
        self.zoom_changed.emit(scale)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom() / ZOOM_STEP)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_in() if event.angleDelta().y() > 0 else self.zoom_out()
            event.accept()
        else:
            super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit:
            self.fit_to_window()
