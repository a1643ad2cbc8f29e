"""The provider window's stream: the Play/Pause button, the player, the frames on their way to the view."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton

from shareimg import Publication, Publisher
from shareimg.provider.streams import Frames, Player
from shareimg.qt.steplog import StepLogModel
from shareimg.ui.image_view import ImageView
from shareimg.ui.mailbox import LatestFrame


class Playback(QObject):
    frame_shown = Signal(object)  # the Publication of the frame now in the view
    failed = Signal(object)  # the error that ended the stream
    said = Signal(str)  # what the window should say: playing, paused

    def __init__(self, view: ImageView, steps: StepLogModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view = view
        self._steps = steps
        self.player: Player | None = None
        self.name = ""
        self.button = QPushButton(self.tr("Play"))
        self.button.setEnabled(False)
        self.button.clicked.connect(self.toggle)
        self._frames: LatestFrame[tuple[QImage, Publication]] = LatestFrame(self)
        self._frames.arrived.connect(self._show_frame)

    def play(self, publisher: Publisher, frames: Frames, name: str) -> None:
        """Publish each frame of ``frames`` at its own pace, instead of what played before."""
        self.stop()
        self.name = name
        self.player = Player(publisher, frames, self._frame_published, self.failed.emit)
        self._steps.follow_stream(True)
        self.player.start()
        self.button.setEnabled(True)
        self.button.setText(self.tr("Pause"))
        self.said.emit(self.tr("Playing {}.").format(name))

    def toggle(self) -> None:
        """The Play/Pause button's slot."""
        if self.player is None:
            return
        if self.player.playing:
            self.player.pause()
            self.button.setText(self.tr("Play"))
            self.said.emit(self.tr("Paused {}: the frame shown stays shared.").format(self.name))
        else:
            self.player.resume()
            self.button.setText(self.tr("Pause"))
            self.said.emit(self.tr("Playing {}.").format(self.name))

    def stop(self) -> None:
        if self.player is not None:
            self.player.stop()
            self.player = None
            self.button.setEnabled(False)
            self.button.setText(self.tr("Play"))
        self._steps.follow_stream(False)

    def _frame_published(self, image: QImage, publication: Publication) -> None:
        # On the player's thread: the frame made ready for the screen, only once the last one was taken.
        if self._frames.empty:
            self._frames.put((self._view.prepare_frame(image), publication))

    def _show_frame(self) -> None:
        taken = self._frames.take()
        if taken is not None:
            shown, publication = taken
            self._view.set_frame(shown, shown, None)
            self.frame_shown.emit(publication)
