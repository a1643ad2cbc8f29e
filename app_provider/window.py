"""The provider's window: load an image, show it, share it.

Like Qt's Shared Memory Example, one slot per user action.  Reading a file,
encoding and locking the segment run on a worker thread; each job's outcome
comes back to its own slot: :meth:`_shared` for an image in the segment,
:meth:`_stopped` when sharing ends, :meth:`_failed` with the typed reason why not.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QPushButton

from shareimg import QT, ImageCodec, KeyOfAnotherUser, Publication, Publisher
from shareimg.provider.controls import BusyIndicator, CodecBox
from shareimg.provider.drops import ImageDrops
from shareimg.provider.lesson import provider_lesson
from shareimg.provider.loading import SVG_SIDE, is_animated
from shareimg.provider.playback import Playback
from shareimg.provider.recent import RecentFiles
from shareimg.provider.sharing import Cancelled, KeyTaken, Request, Shared, load_and_publish
from shareimg.provider.streams import Frames, animation
from shareimg.ui.file_dialogs import open_image_dialog
from shareimg.ui.labels import KEPT, Field
from shareimg.ui.sharing_window import SharingWindow


class ProviderWindow(ImageDrops, SharingWindow):
    published = Signal(object)  # Publication
    failed = Signal(str)
    cancelled = Signal(str)  # the name of what was being loaded
    stopped = Signal()  # Stop Sharing finished

    def __init__(
        self,
        key: str,
        codec: ImageCodec = QT,
        settings: QSettings | None = None,
        title: str | None = None,
        svg_side: int = SVG_SIDE,
    ) -> None:
        super().__init__(key, settings or QSettings("shareimg", "provider"))
        self._fixed_title = title  # --title; else the title follows what is shared
        self.svg_side = svg_side  # --svg-size: the long side of an SVG declaring a larger one
        self.lock_wait_note = self.tr("The window keeps working; the image will be shared when the lock is free.")
        self._publisher = Publisher(key, codec, self.steps, title)
        self._shared_request: Request | None = None  # what is shared (a still image), to share again
        self._again: Request | Path | None = None  # what Share Again shares: a still image, or an animated file
        self._waiting: Request | None = None  # loaded, but the key is taken: tried again every second
        self.playback = Playback(self.image_view, self.steps_model, self)
        self.playback.frame_shown.connect(self._show_publication)
        self.playback.failed.connect(self._failed)
        self.playback.said.connect(self.say)

        self.load_button = QPushButton(self.tr("Load Image From File…"))
        self.load_button.clicked.connect(self.load_from_file)
        self.codec_box = CodecBox(codec)
        self.codec_box.currentIndexChanged.connect(self.choose_codec)
        self.busy = BusyIndicator()
        self.busy.cancelled.connect(lambda: self.say(self.tr("Cancelling…")))
        self.statusBar().addPermanentWidget(self.busy)
        controls = QHBoxLayout()
        controls.addWidget(self.load_button, 1)
        controls.addWidget(self.playback.button)
        controls.addWidget(self.codec_box)
        self.resize(640, 560)
        self.place(controls)
        self.setAcceptDrops(True)
        self.teach = provider_lesson(self)
        self._build_menus()
        self._show_key()
        self.say(self.tr("Load an image to share it with the consumer, or drop one here."))

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        open_action = file_menu.addAction(self.tr("&Open…"), QKeySequence.StandardKey.Open, self.load_from_file)
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        self.recent = RecentFiles(self.settings, self.recent_menu, self.share_file)
        paste_action = file_menu.addAction(self.tr("&Paste Image"), QKeySequence.StandardKey.Paste, self.paste)
        self.sharing_controls += [self.load_button, open_action, paste_action, self.codec_box]
        file_menu.addSeparator()
        self.stop_action = file_menu.addAction(self.tr("&Stop Sharing"), self.stop_sharing)
        self.again_action = file_menu.addAction(self.tr("Share &Again"), self.share_again)
        self.end_file_menu(file_menu)
        self.end_view_menu(self.menuBar().addMenu(self.tr("&View")))
        self.add_help_menu(
            self.tr("About shareimg provider"),
            self.tr(
                "<b>shareimg provider</b> {}<p>Shares an image with other processes through a Qt "
                "QSharedMemory segment, as program A of the classic Qt IPC article.</p>"
            ),
        )
        self._enable_actions()

    def load_from_file(self) -> None:
        """The button's slot: ask for a file, then share it."""
        open_image_dialog(self, self.settings, self.share_file)

    def share_file(self, path: str | Path) -> None:
        """Share the image in ``path`` (play it, if animated); what was shared stays shared if this fails."""
        path = Path(path)
        self._begin(self.tr("Loading {}…").format(path.name))
        self.jobs.run(
            lambda: is_animated(path),
            lambda animated: (
                self.play_file(path)
                if animated
                else self._share(Request(None, path.name, path, self._fixed_title or path.name, self.svg_side))
            ),
            self._failed,
        )

    def share_image(self, image: QImage, name: str, title: str | None = None) -> None:
        """Share an image that came without a file (pasted, dropped from another app), as ``title``."""
        self._begin(self.tr("Sharing {}…").format(name))
        self._share(Request(image, name, None, self._fixed_title or title))

    def share_again(self) -> None:
        """After Stop Sharing: share the last image (or play the last animation) again."""
        if isinstance(self._again, Path):
            self.play_file(self._again)
        elif self._again is not None:
            assert self._again.image is not None  # shared once, so loaded
            self.share_image(self._again.image, self._again.name, self._again.title)

    def stop_sharing(self) -> None:
        """Detach and remove the segment: consumers then say that nothing is shared."""
        self.playback.stop()
        self._waiting = None
        self.stop_waiting_for_key()
        self.jobs.run(self._publisher.close, lambda _: self._stopped(), self._failed)

    def choose_codec(self) -> None:
        """The codec box's slot: later images use the chosen codec, the current one is shared again."""
        self._publisher.codec = self.codec_box.codec()
        if self._shared_request is not None and self.playback.player is None:
            self._share(self._shared_request)

    def use_key(self, key: str) -> None:
        """Share under ``key`` from now on: the current image moves along."""
        self.playback.stop()
        old, request = self._publisher, self._waiting or self._shared_request
        self._publisher = Publisher(key, old.codec, self.steps, old.title)
        self.key, self._waiting, self._shared_request = key, None, None
        self.jobs.run(old.close)
        self._show_key()
        if request is not None:
            assert request.image is not None  # loaded, whether shared or waiting for the key
            self.share_image(request.image, request.name)

    def play_file(self, path: Path) -> None:
        self.recent.remember(path)
        self._again = path
        self.play(animation(path), path.name)

    def play(self, frames: Frames, name: str) -> None:
        """Publish each frame of a stream at its own pace."""
        self._finish_loading()
        if self.stepping:
            return  # loaded as the step-through began: the segment is the user's now
        self._shared_request = None
        self._publisher.title = self._fixed_title or name
        self.playback.play(self._publisher, frames, name)
        self._enable_actions()

    def _begin(self, text: str) -> None:
        self.say(text)
        self.load_button.setEnabled(False)
        self.busy.start()  # a cancel event for this request, through all its jobs

    def _share(self, request: Request, quietly: bool = False) -> None:
        if self.stepping:
            self._finish_loading()  # loaded as the step-through began: the segment is the user's now
            return
        cancel, player, publisher = self.busy.cancel_event, self.playback.player, self._publisher
        prepare = self.image_view.prepare

        def failed(error: BaseException) -> None:
            if not (quietly and isinstance(error, KeyTaken)):  # a retry while the key stays taken says nothing
                self._failed(error)

        self.jobs.run(lambda: load_and_publish(request, publisher, player, cancel, prepare), self._shared, failed)

    def _shared(self, outcome: Shared) -> None:
        self._finish_loading()
        if self.stepping:
            return  # shared just as the step-through began, whose first job withdrew it
        self.playback.stop()  # already stopped by the job, which replaced the stream
        self.stop_waiting_for_key()
        request = outcome.request
        self._shared_request = self._again = request
        self._waiting = None
        assert request.image is not None  # load_and_publish loaded it
        self.image_view.set_image(request.image, outcome.shown)
        if request.declared is not None:
            drawn = self.tr("Sharing {}, drawn at {}×{} from an SVG of {}×{}.")
            size, declared = request.image.size(), request.declared
            self.say(drawn.format(request.name, size.width(), size.height(), declared.width(), declared.height()))
        else:
            self.say(self.tr("Sharing {}.").format(request.name))
        if request.path is not None:
            self.recent.remember(request.path)
        self._show_publication(outcome.publication)
        self._enable_actions()

    def _stopped(self) -> None:
        if not self._publisher.sharing:
            self._shared_request = None
            self._show_key()
            self.say(self.tr("Stopped sharing: the segment is removed."))
            self.stopped.emit()
        self._enable_actions()

    def _failed(self, error: BaseException) -> None:
        self._finish_loading()
        if self.stepping and isinstance(error, KeyTaken):
            return  # asked for before the step-through, which owns the key now: nothing to wait for
        if isinstance(error, Cancelled):
            self.say(self.tr("Loading {} was cancelled.").format(error.request.name) + self._kept())
            self.cancelled.emit(error.request.name)
            return
        if isinstance(error, KeyTaken):
            self._waiting = error.request
            text = self.tr(
                "Another program is already sharing under key '{}'. Choose another key, or keep this window "
                "open: {} is shared as soon as the key is free."
            ).format(self.key, error.request.name)
            if isinstance(error.error, KeyOfAnotherUser):
                text = self.error_text(error.error)
            self.wait_for_key(text, lambda: self._share(error.request, quietly=True))
        else:
            text = self.error_text(error) + self._kept()
            self.say(text)
        self.failed.emit(text)

    def _kept(self) -> str:
        return self.tr(" The image shared before is still shared.") if self._publisher.sharing else ""

    def set_stepping(self, on: bool) -> None:
        super().set_stepping(on)
        self.recent_menu.setEnabled(not on and bool(self.recent.paths()))  # empty: off anyway
        self.setAcceptDrops(not on)
        self._enable_actions()

    def _finish_loading(self) -> None:
        self.load_button.setEnabled(not self.stepping)
        self.busy.hide()

    def _enable_actions(self) -> None:
        sharing = self._publisher.sharing or self.playback.player is not None
        self.stop_action.setEnabled(sharing and not self.stepping)
        self.again_action.setEnabled(self._again is not None and not sharing and not self.stepping)

    def _show_key(self) -> None:
        self.setWindowTitle(self.tr("shareimg provider — key '{}'").format(self.key))
        self.status_line.setText(self.tr("key '{}' · nothing shared yet").format(self.key))

    def _show_publication(self, publication: Publication) -> None:
        p = publication
        # Each field translated on its own, so that no translation can reorder, merge or drop them.
        # Too narrow: the bytes go first, then the key (the title says it), then the generation.
        self.status_line.set_fields(
            [
                Field(self.tr("key '{}'").format(p.key), 2),
                Field(f"{p.width}×{p.height}", KEPT),
                Field(self.tr("{} codec").format(p.codec), KEPT),
                Field(self.tr("{:,} bytes shared").format(p.payload_bytes), 1),
                Field(self.tr("generation {}").format(p.generation), 3),
            ]
        )
        self.published.emit(publication)

    def stop_work(self) -> None:
        # The worker threads first: they use the publisher and this window's objects.
        assert self.teach is not None  # made in __init__
        self.teach.action.setChecked(False)
        self.playback.stop()
        self.jobs.run_now(self._publisher.close)
        super().stop_work()
