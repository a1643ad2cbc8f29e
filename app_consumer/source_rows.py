"""How one source looks in the Sources panel: its picture, its title in bold, its facts below, dimmed.

The row's text stays "title\\nfacts" (for accessibility and tests); this only
draws it: the first line bold, the second in the palette's dimmer colour, both
elided to the width, and a bar in the highlight colour beside the source shown.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QIcon, QPainter, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

#: Item data: True on the row of the source the window shows.
CURRENT_ROLE = Qt.ItemDataRole.UserRole + 2
_MARGIN, _GAP, _BAR = 4, 8, 3
Index = QModelIndex | QPersistentModelIndex
translate = QCoreApplication.translate


def source_list(model: QStandardItemModel, picture: QSize) -> QTreeView:
    """A list of sources, one row each: a list whose rows fill its width, long titles elided."""
    view = QTreeView()
    view.setModel(model)
    view.setHeaderHidden(True)
    view.setRootIsDecorated(False)
    view.setUniformRowHeights(True)
    view.setIconSize(picture)
    view.setItemDelegate(SourceRowDelegate(picture, view))
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return view


def frame_rate(fps: float) -> str:
    """How fast a source shares, as its row says it."""
    return translate("SourcesDock", "{:.0f} fps").format(fps) if fps >= 0.5 else translate("SourcesDock", "still")


def set_row(item: QStandardItem, title: str, facts: str, tooltip: str) -> None:
    """A row's two lines and its tooltip; the text set only when it changed (the view repaints what is set)."""
    text = f"{title}\n{facts}"
    if item.text() != text:
        item.setText(text)
    item.setToolTip(tooltip)


class SourceRowDelegate(QStyledItemDelegate):
    def __init__(self, thumbnail: QSize, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thumbnail = thumbnail

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        lines = 2 * option.fontMetrics.lineSpacing()
        return QSize(self.thumbnail.width() + 2 * _GAP, max(self.thumbnail.height(), lines) + 2 * _MARGIN)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        row = QStyleOptionViewItem(option)
        self.initStyleOption(row, index)
        title, _, facts = str(index.data(Qt.ItemDataRole.DisplayRole) or "").partition("\n")  # row.text has U+2028
        icon = QIcon(row.icon)
        row.text, row.icon = "", QIcon()  # the style draws the background, selection and focus only
        style = row.widget.style() if row.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, row, painter, row.widget)
        area = option.rect.adjusted(_GAP, _MARGIN, -_MARGIN, -_MARGIN)
        painter.save()
        painter.setClipRect(option.rect)
        if index.data(CURRENT_ROLE):
            painter.fillRect(QRect(option.rect.left(), area.top(), _BAR, area.height()),
                             option.palette.color(QPalette.ColorRole.Highlight))  # fmt: skip
        picture = QRect(area.left(), area.center().y() - self.thumbnail.height() // 2 + 1, *self.thumbnail.toTuple())
        icon.paint(painter, picture)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text = option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        dim = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        words = area.adjusted(self.thumbnail.width() + _GAP, 0, 0, 0)
        line = option.fontMetrics.lineSpacing()
        top = words.center().y() - line
        bold = QFont(option.font)
        bold.setBold(True)
        for font, colour, content, y in (
            (bold, text, title, top),
            (option.font, option.palette.color(dim), facts, top + line),
        ):
            painter.setFont(font)
            painter.setPen(colour)
            elided = painter.fontMetrics().elidedText(content, Qt.TextElideMode.ElideRight, words.width())
            painter.drawText(QRect(words.left(), y, words.width(), line), Qt.AlignmentFlag.AlignVCenter, elided)
        painter.restore()
