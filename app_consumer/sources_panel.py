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

from PySide6.QtCore import QModelIndex, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QImage, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QDockWidget, QLabel, QMenu, QVBoxLayout, QWidget

from shareimg.consumer.network_panel import NetworkSection
from shareimg.consumer.network_reception import RemoteReception
from shareimg.consumer.source_rows import CURRENT_ROLE, frame_rate, set_row, source_list
from shareimg.consumer.thumbnails import ThumbnailMaker
from shareimg.discovery.source_watcher import SourceWatcher
from shareimg.discovery.sources import Source

THUMBNAIL = QSize(96, 54)
_LIVE_SECONDS = 1.0
_KEY = Qt.ItemDataRole.UserRole + 1
NETWORK_SETTING = "network/on"


class SourcesDock(QDockWidget):
    chosen = Signal(str)  # the key of the source the user chose
    current_title = Signal(str)  # the title of the source under the current key, "" if none is live

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Sources"), parent)
        self.settings = settings
        self.setObjectName("sources")
        self.current_key = ""
        self.sources: list[Source] = []
        # One row per source: its picture, its title, then key, size and frame rate.
        self.model = QStandardItemModel(0, 1, self)
        self.view = source_list(self.model, THUMBNAIL)
        self.view.setAlternatingRowColors(True)
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
        column.addWidget(self.view, 3)
        self.network = NetworkSection(settings)
        column.addWidget(self.network, 2)  # its rows are half as tall
        self.setWidget(panel)
        self.reception = RemoteReception(self)
        self.reception.said.connect(self.network.say)
        self.reception.receiving.connect(self.chosen)
        self.network.picked.connect(lambda source: self.reception.start(source, self.network.feed.endpoints))
        self.network_action = QAction(self.tr("&Network Sources"), self)
        self.network_action.setCheckable(True)
        self.network_action.setStatusTip(self.tr("List the sources other machines send, in the Sources panel"))
        self.network_action.setChecked(bool(settings.value(NETWORK_SETTING, False, type=bool)))
        self.network.setVisible(self.network_action.isChecked())
        self.network_action.toggled.connect(self._set_network)

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
        if key != self.reception.key:  # the window moved away from the source received
            self.reception.close()
            self.network.say("")
        self.network.set_current(self.reception.name if key == self.reception.key else "")
        self._mark_current()
        self._select_current()
        self.current_title.emit(self._title_of(key))

    def stop(self) -> None:
        self.watcher.stop()
        self._pictures.stop()
        self.network.stop()
        self.reception.stop()

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
        return f"{source.key} · {source.width}×{source.height} · {frame_rate(source.fps)}"

    def _fill_row(self, row: int, source: Source) -> None:
        title = self.display_title(source)
        tooltip = self.tr("{} · key '{}' · pid {} ({}) · {} codec").format(
            title, source.key, source.pid, source.process or "?", source.codec
        )
        set_row(self.model.item(row), title, self.facts(source), tooltip)

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
        self.network.set_live(visible and self.network_action.isChecked())

    def _set_network(self, on: bool) -> None:
        """View ▸ Network Sources: the Network section shown (and the panel with it) and listing, or neither."""
        self.settings.setValue(NETWORK_SETTING, on)
        self.network.setVisible(on)
        if on:
            self.show()
            self.raise_()
        self.network.set_live(on and self.isVisible())

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
