"""Where shareimg-demo puts its two windows: side by side, frames on the screen, as wide as they need.

The widths come from the windows themselves, built here (never shown) in the
language, style and fonts the demo's windows will have: a wider font or a
longer translation widens them.  The provider gets what it needs, the consumer
the rest; a consumer narrower than its panels and the image together tabs its
Details panel behind Sources, or hides both (ConsumerWindow.give_way), so the
image keeps its room.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMainWindow

from shareimg.ui.sharing_window import IMAGE_LEAST
from shareimg.ui.translations import install_translator

GAP = 8  # between the screen's edge and a frame, and between the frames
# What a window manager's frame adds, at most, to a window's width (each side) and height (title bar and
# bottom edge): openbox adds 1 and 25, GNOME 0 and 37.  Once shown, each window brings its whole frame onto
# the screen if this was too little (common.ui.window_state.fit_on_screen).
BORDER, TITLE = 2, 40
PROVIDER_SHARE = 0.42  # of the screen's width, when the provider needs less
HEIGHT_MOST = 760


def side_by_side(key: str, teach: bool, lang: str | None, qt_arguments: list[str]) -> tuple[str, str]:
    """``--geometry`` for the provider (left) and the consumer (right): the size inside, the frame's corner."""
    app = QApplication.instance() or QApplication(["shareimg-demo", *qt_arguments])
    install_translator(app, lang)
    provider_least, consumer_with_panels, consumer_least = _least_widths(key, teach)
    free = QApplication.primaryScreen().availableGeometry()
    room = free.width() - 3 * GAP - 4 * BORDER  # for the two windows' insides
    provider = max(provider_least, min(int(free.width() * PROVIDER_SHARE), room - consumer_with_panels))
    consumer = max(consumer_least, room - provider)  # too narrow a screen: each keeps itself whole, they overlap
    height = max(min(HEIGHT_MOST, free.height() - 2 * GAP - TITLE), 300)
    left, top = free.x() + GAP, free.y() + GAP
    right = min(left + provider + 2 * BORDER + GAP, free.right() + 1 - GAP - consumer - 2 * BORDER)
    return f"{provider}x{height}+{left}+{top}", f"{consumer}x{height}+{max(right, left)}+{top}"


def _least_widths(key: str, teach: bool) -> tuple[int, int, int]:
    """The provider's least width; the consumer's with its panels (in tabs) and IMAGE_LEAST for its image, and
    its least once they are out of sight (in the step-through: its least, twice)."""
    from shareimg.consumer.window import ConsumerWindow
    from shareimg.provider.window import ProviderWindow

    with tempfile.TemporaryDirectory(prefix="shareimg-demo-") as folder:
        settings = QSettings(str(Path(folder, "measure.ini")), QSettings.Format.IniFormat)
        provider = ProviderWindow(key, settings=settings)
        consumer = ConsumerWindow(key, settings)
        try:
            for window in (provider, consumer):
                window.steps_dock.setVisible(not teach)
                assert window.teach is not None  # each window makes its step-through panel
                window.teach.setVisible(teach)
            if teach:  # the step panel is what the step-through is for: the image may be small
                return _least(provider), _least(consumer), _least(consumer)
            consumer.sources_dock.show()
            consumer.tabifyDockWidget(consumer.sources_dock, consumer.details)  # as give_way does
            body = consumer.centralWidget()
            layout = body.layout() if body is not None else None
            assert body is not None and layout is not None  # place()'s body, laid out
            margins = layout.contentsMargins()
            controls = body.minimumSizeHint().width()
            with_panels = _least(consumer) - controls + max(controls, IMAGE_LEAST + margins.left() + margins.right())
            consumer.sources_dock.hide()
            consumer.details.hide()
            return _least(provider), with_panels, _least(consumer)
        finally:
            for window in (provider, consumer):
                window.stop_work()
                window.deleteLater()


def _least(window: QMainWindow) -> int:
    layout = window.layout()
    assert layout is not None  # a main window's own
    layout.activate()
    return window.minimumSizeHint().width()
