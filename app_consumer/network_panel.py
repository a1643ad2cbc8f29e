"""The Sources panel's Network section: the sources other machines send, and where to find them.

Off until the user turns it on (View ▸ Network Sources); the endpoints typed
here are remembered.  While it is on and shown, :class:`RemoteSourceFeed`
lists what they reach about once a second, off the GUI thread.  One click on
a remote source asks for it (:attr:`NetworkSection.picked`); receiving it is
:class:`RemoteReception`'s, whose words this section shows.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QStyle, QVBoxLayout, QWidget

from shareimg.consumer.network_feed import Listing, RemoteSourceFeed
from shareimg.consumer.source_rows import CURRENT_ROLE, frame_rate, set_row, source_list
from shareimg.network.remote_sources import RemoteSource
from shareimg.network.session import DEFAULT_PORT
from shareimg.ui.labels import MessageLabel
from shareimg.ui.translations import translated_message

ICON = QSize(32, 32)
_NAME = Qt.ItemDataRole.UserRole + 1
ENDPOINTS_SETTING = "network/connect"


def endpoints_of(text: str) -> list[str]:
    """The endpoints typed, separated by commas or spaces."""
    return [part for part in re.split(r"[,\s]+", text) if part]


class NetworkSection(QWidget):
    picked = Signal(object)  # the RemoteSource clicked

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.sources: list[RemoteSource] = []
        self.current_name = ""  # the remote source the window shows
        self._live = False
        heading = QLabel(self.tr("Network"))
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.endpoints = QLineEdit(str(settings.value(ENDPOINTS_SETTING, "")))
        self.endpoints.setPlaceholderText(self.tr("tcp/HOST:{}").format(DEFAULT_PORT))
        self.endpoints.setClearButtonEnabled(True)
        self.endpoints.setToolTip(
            self.tr("Where machines that run shareimg-bridge send listen, e.g. tcp/192.168.1.5:{} (several: commas)")
            .format(DEFAULT_PORT)
        )  # fmt: skip
        self.endpoints.editingFinished.connect(self._endpoints_changed)
        self.note = MessageLabel()
        self.status = MessageLabel()  # what receiving the source picked does
        self.status.hide()
        self.model = QStandardItemModel(0, 1, self)
        self.view = source_list(self.model, ICON)
        # As tall as the room the panel gives it (at least two rows), not a list's usual height: the local sources
        # above, with their pictures, need the room more.
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.view.setMinimumHeight(2 * (ICON.height() + 16))
        self.view.setToolTip(self.tr("Click a source to receive it from its machine and show it"))
        self.view.clicked.connect(self._pick)
        self.view.activated.connect(self._pick)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 8, 0, 0)
        for widget in (heading, self.endpoints, self.note, self.status):
            column.addWidget(widget)
        column.addWidget(self.view, 1)
        self.feed = RemoteSourceFeed(self)
        self.feed.listed.connect(self._show)
        self._say_what_to_do()

    def set_live(self, on: bool) -> None:
        """List what the endpoints reach, about once a second, while ``on``."""
        self._live = on
        endpoints = endpoints_of(self.endpoints.text()) if on else []
        if tuple(endpoints) != self.feed.endpoints:
            self._fill([])  # what other endpoints reached is no guide to what these reach
        self.feed.follow(endpoints)
        self._say_what_to_do()

    def stop(self) -> None:
        self._live = False
        self.feed.stop()

    def set_current(self, name: str) -> None:
        """The window shows the remote source ``name`` ("" none): its row is marked."""
        self.current_name = name
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            if bool(item.data(CURRENT_ROLE)) != (item.data(_NAME) == name):
                item.setData(item.data(_NAME) == name, CURRENT_ROLE)

    def say(self, text: str) -> None:
        """What receiving the source picked does, or why it cannot."""
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _endpoints_changed(self) -> None:
        self.settings.setValue(ENDPOINTS_SETTING, self.endpoints.text().strip())
        if self._live:
            self.set_live(True)

    def _say_what_to_do(self) -> None:
        self.note.show()
        if not endpoints_of(self.endpoints.text()):
            self.note.setText(
                self.tr(
                    "Enter where a machine that runs shareimg-bridge send listens, e.g. tcp/192.168.1.5:{}, "
                    "then press Enter."
                ).format(DEFAULT_PORT)
            )
        elif not self.sources:
            self.note.setText(self.tr("Looking for sources…"))
        else:
            self.note.hide()

    def _show(self, listing: Listing) -> None:
        if not self._live or listing.endpoints != self.feed.endpoints:
            return  # a look at endpoints no longer followed
        where = ", ".join(listing.endpoints)
        if listing.error is not None:
            note = self.tr("The network cannot be used: {}").format(translated_message(listing.error))
        elif listing.failure:
            note = self.tr("The network cannot be used: {}").format(listing.failure)
        elif not listing.peers:
            note = self.tr("Nobody answers at {}: is shareimg-bridge send running there, listening on that address?")
            note = note.format(where)
        elif not listing.sources:
            note = self.tr("No source is sent from {} now.").format(where)
        else:
            note = ""
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self._fill(listing.sources)

    def _fill(self, found: list[RemoteSource]) -> None:
        self.sources = found
        names = [source.name for source in found]
        for row in reversed(range(self.model.rowCount())):
            if self.model.item(row).data(_NAME) not in names:
                self.model.removeRow(row)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_DriveNetIcon)
        for row, source in enumerate(found):  # both sorted by name
            if row >= self.model.rowCount() or self.model.item(row).data(_NAME) != source.name:
                item = QStandardItem(icon, "")
                item.setData(source.name, _NAME)
                self.model.insertRow(row, item)
            tooltip = self.tr("{} · {} · pid {} on its machine · sent as {}").format(
                source.title, source.name, source.pid, source.codec
            )
            set_row(self.model.item(row), source.title, self.facts(source), tooltip)
        self.set_current(self.current_name)

    def facts(self, source: RemoteSource) -> str:
        """The second line of a row: the name to receive it by, size and frame rate."""
        return f"{source.name} · {source.width}×{source.height} · {frame_rate(source.fps)}"

    def _pick(self, index: QModelIndex) -> None:
        name = self.model.item(index.row()).data(_NAME)
        source = next((source for source in self.sources if source.name == name), None)
        if source is not None:
            self.picked.emit(source)
