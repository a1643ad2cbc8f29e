"""The Sources panel: every live source with a small live picture, one double-click away.

Like Spout's sender list: title, key, size and frame rate of each provider
that shares now, updated as soon as one starts or stops (common.source_watcher
is told by the system, it does not poll).  While the panel is shown it also
looks once a second for the live facts and the pictures (thumbnails.py: read
and scaled on a worker thread).  Double-click or Enter chooses a source; the
same sources are in :attr:`SourcesDock.menu`.  Self-contained: the window only
listens to :attr:`SourcesDock.chosen` and :attr:`SourcesDock.current_title`.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QLabel, QMenu, QTreeView, QVBoxLayout, QWidget

from shareimg.consumer.source_rows import CURRENT_ROLE, SourceRowDelegate
from shareimg.consumer.thumbnails import ThumbnailMaker
from shareimg.discovery.source_watcher import SourceWatcher
from shareimg.discovery.sources import Source

THUMBNAIL = QSize(96, 54)
_LIVE_SECONDS = 1.0
_KEY = Qt.ItemDataRole.UserRole + 1


class SourcesDock(QDockWidget):
    chosen = Signal(str)  # the key of the source the user chose
    current_title = Signal(str)  # the title of the source under the current key, "" if none is live

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Sources"), parent)
        self.setObjectName("sources")
        self.current_key = ""
        self.sources: list[Source] = []
        # One row per source: its picture, its title, then key, size and frame rate.
        self.model = QStandardItemModel(0, 1, self)
        self.view = QTreeView()  # a list whose rows fill its width, long titles elided
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setIconSize(THUMBNAIL)
        self.view.setItemDelegate(SourceRowDelegate(THUMBNAIL, self.view))
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setMinimumWidth(240)
        self.view.setToolTip(self.tr("Double-click a source, or press Enter, to show it"))
        self.view.activated.connect(self._choose_index)  # double-click, and Enter
        self.empty = QLabel(self.tr("No live sources. A provider appears here as soon as it shares an image."))
        self.empty.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.hide()
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.error)
        column.addWidget(self.empty)
        column.addWidget(self.view, 1)
        self.setWidget(panel)

        self.menu = QMenu(self.tr("&Sources"), parent)
        self.menu.aboutToShow.connect(self._fill_menu)

        self._pictures = ThumbnailMaker(THUMBNAIL, self)
        self._pictures.made.connect(self._show_picture)
        self.watcher = SourceWatcher(self)
        self.watcher.updated.connect(self._show)
        self.visibilityChanged.connect(self._live_while_visible)
        self._show(self.watcher.sources)

    def set_current_key(self, key: str) -> None:
        """The window shows ``key`` now: its row is marked and selected, and its title announced."""
        self.current_key = key
        self._mark_current()
        self._select_current()
        self.current_title.emit(self._title_of(key))

    def stop(self) -> None:
        self.watcher.stop()
        self._pictures.stop()

    def row_of(self, key: str) -> int:
        for row in range(self.model.rowCount()):
            if self.model.item(row).data(_KEY) == key:
                return row
        return -1

    def display_title(self, source: Source) -> str:
        return source.title if source.announced else self.tr("Qt program")

    # --- the list ---------------------------------------------------------------------------

    def _show(self, found: list[Source]) -> None:
        before = self._title_of(self.current_key)
        self.sources = found
        keys = {source.key for source in found}
        selected = self.view.currentIndex()
        # A row going away moves the selection to its neighbour, which the window does not show.
        moves = selected.isValid() and self.model.itemFromIndex(selected).data(_KEY) not in keys
        moves |= not selected.isValid() and self.current_key in keys  # the source shown came (back)
        for row in reversed(range(self.model.rowCount())):
            key = self.model.item(row).data(_KEY)
            if key not in keys:
                self.model.removeRow(row)
                self._pictures.forget(key)
        # Both are sorted by key, and the rows a subset of the sources: insert where they differ.
        for row, source in enumerate(found):
            if row >= self.model.rowCount() or self.model.item(row).data(_KEY) != source.key:
                self.model.insertRow(row, self._new_row(source.key))
            self._fill_row(row, source)
        self.empty.setVisible(not found and not self.watcher.error)
        self.error.setVisible(bool(self.watcher.error))
        if self.watcher.error:
            self.error.setText(self.tr("Sources cannot be listed: {}").format(self.watcher.error))
        self._mark_current()
        if moves:
            self._select_current()
        if self.isVisible():
            self._pictures.size = THUMBNAIL * self.devicePixelRatioF()  # sharp on the screen it is on
            for source in found:
                self._pictures.request(source.key, (source.shmid, source.generation))
        title = self._title_of(self.current_key)
        if title != before:
            self.current_title.emit(title)

    def _new_row(self, key: str) -> QStandardItem:
        item = QStandardItem()
        item.setData(key, _KEY)
        placeholder = QPixmap(THUMBNAIL)
        placeholder.fill(Qt.GlobalColor.transparent)
        item.setIcon(QIcon(placeholder))
        return item

    def facts(self, source: Source) -> str:
        """The second line of a row: key, size and frame rate."""
        rate = self.tr("{:.0f} fps").format(source.fps) if source.fps >= 0.5 else self.tr("still")
        return f"{source.key} · {source.width}×{source.height} · {rate}"

    def _fill_row(self, row: int, source: Source) -> None:
        item = self.model.item(row)
        text = f"{self.display_title(source)}\n{self.facts(source)}"
        if item.text() != text:
            item.setText(text)
        item.setToolTip(
            self.tr("{} · key '{}' · pid {} ({}) · {} codec").format(
                self.display_title(source), source.key, source.pid, source.process or "?", source.codec
            )
        )

    def _mark_current(self) -> None:
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            current = item.data(_KEY) == self.current_key
            if bool(item.data(CURRENT_ROLE)) != current:
                item.setData(current, CURRENT_ROLE)

    def _select_current(self) -> None:
        """Select the row of the source shown; none when it is not listed."""
        row = self.row_of(self.current_key)
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row, 0))
        else:
            self.view.selectionModel().clear()

    def _show_picture(self, key: str, signature: object, picture: QImage) -> None:
        row = self.row_of(key)
        if row >= 0:
            pixmap = QPixmap.fromImage(picture)
            pixmap.setDevicePixelRatio(picture.width() / THUMBNAIL.width())
            self.model.item(row).setIcon(QIcon(pixmap))

    def _title_of(self, key: str) -> str:
        source = next((source for source in self.sources if source.key == key), None)
        return self.display_title(source) if source else ""

    def _live_while_visible(self, visible: bool) -> None:
        self.watcher.set_interval(_LIVE_SECONDS if visible else 0)
        if visible:
            self.watcher.refresh()

    # --- choosing ---------------------------------------------------------------------------

    def _choose_index(self, index: QModelIndex) -> None:
        key = self.model.item(index.row()).data(_KEY)
        if key:
            self.chosen.emit(key)

    def _fill_menu(self) -> None:
        self.menu.clear()
        for source in self.sources:
            text = f"{self.display_title(source)} — {source.key}".replace("&", "&&")
            action = self.menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(source.key == self.current_key)
            action.triggered.connect(lambda _=False, key=source.key: self.chosen.emit(key))
        if not self.sources:
            self.menu.addAction(self.tr("No live sources")).setEnabled(False)
        self.menu.addSeparator()
        self.menu.addAction(self.toggleViewAction())
