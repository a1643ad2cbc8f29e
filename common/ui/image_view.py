"""The windows' image area: fit to the window, 100 %, or zoomed, scrolling when larger.

Transparent parts are shown on a checkerboard.

It paints an image made ready beforehand (see common.display): while fitting,
already scaled to the window and in the screen's format, so painting a frame
is a plain copy.  The watching thread prepares each frame of a stream; what is
not prepared for the current size (a one-shot read, a resized window) is
prepared here once, and so is the last frame, smoothly, once the stream rests.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QRegion,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QFrame

from shareimg.qt.display import Placement, prepare

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 1 / 32, 32.0
# A stream frame this long without a successor is a still image: drawn again, smoothly scaled.
SETTLE_MS = 300
CHECKER = 8  # side of a checkerboard square, in logical pixels


def checkerboard() -> QBrush:
    """Light and lighter grey squares, what image viewers show through transparent pixels."""
    tile = QPixmap(2 * CHECKER, 2 * CHECKER)
    tile.fill(QColor("#ffffff"))
    painter = QPainter(tile)
    for x, y in ((0, 0), (CHECKER, CHECKER)):
        painter.fillRect(x, y, CHECKER, CHECKER, QColor("#cccccc"))
    painter.end()
    return QBrush(tile)


class ImageView(QAbstractScrollArea):
    zoom_changed = Signal(float)  # the scale now shown, 1.0 = 100 %
    frame_painted = Signal(object)  # the tag given to set_frame, once that frame is on the screen

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.NoFrame)
        # The image covers most of the viewport: only the margins are filled, in paintEvent.
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        self._image = QImage()
        self._shown = QImage()  # _image prepared for the screen, maybe for an earlier placement
        self._tag: object = None
        self._zoom = 1.0  # when not fitting
        self._placement = Placement()
        self._announced = 0.0
        self._drag: tuple[QPoint, int, int] | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._draw_still)
        self._checkerboard = checkerboard()
        self._fit = True
        self.fit_to_window()

    @property
    def placement(self) -> Placement:
        """How images are now shown (fit box or zoom, pixel ratio)."""
        return self._placement

    def shown_size(self) -> QSize:
        """The image's size in the window, in logical pixels (empty without an image)."""
        return self._shown_logical_size()

    @property
    def has_image(self) -> bool:
        return not self._image.isNull()

    @property
    def fitting(self) -> bool:
        return self._fit

    def zoom(self) -> float:
        """The scale shown: image pixels per physical pixel (1.0 is sharp, also on high-DPI screens)."""
        return self._placement.scale(self._image.size())

    def prepare(self, image: QImage) -> QImage:
        """A still image ready to paint as the view now shows images; safe to call from any thread."""
        return prepare(image, self._placement)

    def prepare_frame(self, image: QImage) -> QImage:
        """A stream's frame ready to paint as the view now shows images; safe to call from any thread."""
        return prepare(image, self._placement, moving=True)

    def set_image(self, image: QImage, shown: QImage | None = None) -> None:
        """Show a still image; ``shown`` is it made ready by :meth:`prepare`, if that was done elsewhere."""
        self._show(image, shown, None)

    def set_frame(self, image: QImage, shown: QImage | None, tag: object) -> None:
        """Show a stream's frame made ready by :meth:`prepare_frame`; ``tag`` comes back in frame_painted.

        When no frame follows for a moment, the frame is drawn again, smoothly scaled.
        """
        self._show(image, shown, tag)
        self._settle.start()

    def _show(self, image: QImage, shown: QImage | None, tag: object) -> None:
        resized = image.size() != self._image.size()
        self._image, self._shown, self._tag = image, shown if shown is not None else QImage(), tag
        if resized:
            self._place()
        self.viewport().update()

    def _draw_still(self) -> None:
        self._shown = QImage()
        self.viewport().update()

    def fit_to_window(self) -> None:
        self._fit = True
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._place(force_announce=True)

    def set_zoom(self, scale: float, anchor: QPointF | None = None) -> None:
        """Show at ``scale``, keeping the image point under ``anchor`` (default: the middle) in place."""
        anchor = QPointF(self.viewport().rect().center()) if anchor is None else anchor
        before = self._image_point(anchor)
        self._fit = False
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._zoom = min(max(scale, MIN_ZOOM), MAX_ZOOM)
        self._place(force_announce=True)
        # Scroll so that the same image point is under the anchor again.
        logical = self._zoom / self._placement.device_pixel_ratio
        self.horizontalScrollBar().setValue(round(before.x() * logical - anchor.x()))
        self.verticalScrollBar().setValue(round(before.y() * logical - anchor.y()))

    def zoom_in(self, anchor: QPointF | None = None) -> None:
        self.set_zoom(self.zoom() * ZOOM_STEP, anchor)

    def zoom_out(self, anchor: QPointF | None = None) -> None:
        self.set_zoom(self.zoom() / ZOOM_STEP, anchor)

    # --- geometry -------------------------------------------------------------------------

    def _place(self, force_announce: bool = False) -> None:
        """A new Placement for the viewport's size, zoom and pixel ratio; scroll ranges to match."""
        ratio = self.devicePixelRatioF()
        viewport = self.viewport().size()
        if self._fit:
            box = (round(viewport.width() * ratio), round(viewport.height() * ratio))
            self._placement = Placement(*box, device_pixel_ratio=ratio)
        else:
            self._placement = Placement(zoom=self._zoom, device_pixel_ratio=ratio)
        size = self._shown_logical_size()
        self.horizontalScrollBar().setRange(0, max(0, size.width() - viewport.width()))
        self.verticalScrollBar().setRange(0, max(0, size.height() - viewport.height()))
        self.horizontalScrollBar().setPageStep(viewport.width())
        self.verticalScrollBar().setPageStep(viewport.height())
        scale = self.zoom()
        if force_announce or scale != self._announced:
            self._announced = scale
            self.zoom_changed.emit(scale)
        self.viewport().update()

    def _shown_logical_size(self) -> QSize:
        if self._image.isNull():
            return QSize(0, 0)
        shown = self._placement.shown_size(self._image.size())
        ratio = self._placement.device_pixel_ratio
        return QSize(round(shown.width() / ratio), round(shown.height() / ratio))

    def _target(self) -> QRectF:
        """Where the image lies in the viewport: centred when smaller, scrolled when larger."""
        size, viewport = self._shown_logical_size(), self.viewport().size()
        x = (viewport.width() - size.width()) // 2 if size.width() <= viewport.width() else -self._scrolled(True)
        y = (viewport.height() - size.height()) // 2 if size.height() <= viewport.height() else -self._scrolled(False)
        return QRectF(x, y, size.width(), size.height())

    def _scrolled(self, horizontal: bool) -> int:
        return (self.horizontalScrollBar() if horizontal else self.verticalScrollBar()).value()

    def _image_point(self, at: QPointF) -> QPointF:
        """The image pixel under viewport point ``at``."""
        target = self._target()
        if self._image.isNull() or target.isEmpty():
            return QPointF()
        factor = self._image.width() / target.width()
        return (at - target.topLeft()) * factor

    # --- events -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        target = self._target()
        margins = QRegion(event.rect()).subtracted(QRegion(target.toAlignedRect()))
        for rect in margins:  # type: ignore[attr-defined]  # PySide6's stub lacks QRegion's __getitem__ and __len__
            painter.fillRect(rect, self.palette().window())
        if not self._image.isNull():
            if self._image.hasAlphaChannel():
                painter.fillRect(target, self._checkerboard)
            if self._shown.size() != self._placement.prepared_size(self._image.size()):
                self._shown = prepare(self._image, self._placement)
            if self._shown.size() == self._placement.shown_size(self._image.size()):
                painter.drawImage(target.topLeft(), self._shown)  # a copy, pixel for pixel
            else:  # zoomed in: only the part in view is enlarged
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                painter.drawImage(target, self._shown)
        painter.end()
        if self._tag is not None:
            tag, self._tag = self._tag, None
            self.frame_painted.emit(tag)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DevicePixelRatioChange:
            self._place()
        return super().event(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            anchor = event.position()
            self.zoom_in(anchor) if event.angleDelta().y() > 0 else self.zoom_out(anchor)
            event.accept()
        else:
            super().wheelEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag = (event.position().toPoint(), self._scrolled(True), self._scrolled(False))
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            start, x, y = self._drag
            moved = event.position().toPoint() - start
            self.horizontalScrollBar().setValue(x - moved.x())
            self.verticalScrollBar().setValue(y - moved.y())
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag = None
        self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        super().mouseReleaseEvent(event)
