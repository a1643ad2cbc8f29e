"""Starting a window from the command line: its options, the application, signals, the end.

Both apps' ``run_window`` are :func:`run_window` with their own window.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon

from shareimg.assets import ICON
from shareimg.errors import NoDisplay
from shareimg.qt.background import stop_workers
from shareimg.qt.signals import EventLoop
from shareimg.ui.translations import LANGUAGES, install_translator

if TYPE_CHECKING:
    from shareimg.ui.sharing_window import SharingWindow

W = TypeVar("W", bound="SharingWindow")


def _geometry(text: str) -> tuple[int, int, int, int]:
    match = re.fullmatch(r"(\d+)x(\d+)\+(-?\d+)\+(-?\d+)", text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT+X+Y, got {text!r}")
    width, height, x, y = map(int, match.groups())
    return x, y, width, height


# Qt's own command-line options (QGuiApplication's and QApplication's), passed on to it as given.
_QT_VALUE_OPTIONS = (
    "-style",
    "-stylesheet",
    "-platform",
    "-platformpluginpath",
    "-platformtheme",
    "-plugin",
    "-qwindowgeometry",
    "-qwindowicon",
    "-qwindowtitle",
    "-session",
    "-name",
)
_QT_FLAGS = ("-reverse", "-widgetcount", "-nograb", "-dograb", "-sync")


def add_qt_options(parser: argparse.ArgumentParser) -> None:
    """Qt's own options (``-style fusion``, ``-platform offscreen``, ...): accepted, and handed to QApplication."""
    names = ", ".join(f"{option} VALUE" for option in _QT_VALUE_OPTIONS) + ", " + ", ".join(_QT_FLAGS)
    group = parser.add_argument_group("Qt options", f"passed on to QApplication (e.g. -style fusion): {names}")
    for option in _QT_VALUE_OPTIONS:
        group.add_argument(option, dest="qt" + option.replace("-", "_"), metavar="VALUE", help=argparse.SUPPRESS)
    for option in _QT_FLAGS:
        group.add_argument(option, dest="qt" + option.replace("-", "_"), action="store_true", help=argparse.SUPPRESS)


def qt_arguments(args: argparse.Namespace) -> list[str]:
    """The Qt options in ``args``, as QApplication reads them from its argv."""
    given: list[str] = []
    for option in _QT_VALUE_OPTIONS:
        value = getattr(args, "qt" + option.replace("-", "_"), None)
        given += [option, value] if value is not None else []
    return given + [option for option in _QT_FLAGS if getattr(args, "qt" + option.replace("-", "_"), False)]


def require_display(prog: str, platform: str | None = None) -> None:
    """NoDisplay unless Qt has somewhere to open a window: without one, Qt aborts the process.

    Only the X11 and Wayland defaults need a server; a platform chosen by
    ``-platform`` or QT_QPA_PLATFORM (offscreen, vnc, ...) is left to Qt.  A
    local X display (``:N``) must have its socket; Wayland may be found by its
    default socket.
    """
    platform = (platform or os.environ.get("QT_QPA_PLATFORM", "")).split(":")[0]
    if platform not in ("", "xcb"):
        return
    display = os.environ.get("DISPLAY", "")
    local = re.fullmatch(r":(\d+)(\.\d+)?", display)
    if display and (not local or Path(f"/tmp/.X11-unix/X{local.group(1)}").exists()):
        return
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    wayland = os.environ.get("WAYLAND_DISPLAY") or (runtime and Path(runtime, "wayland-0").exists())
    if platform == "" and wayland:
        return
    alone = "" if prog == "shareimg-demo" else f", or `{prog} --headless`"
    missing = f"no X server answers DISPLAY '{display}'" if display else "DISPLAY and WAYLAND_DISPLAY are unset"
    raise NoDisplay(
        f"there is no display to open a window on ({missing}): run it in a desktop session, under `xvfb-run`{alone}"
    )


def add_window_options(parser: argparse.ArgumentParser) -> None:
    """Window placement, the steps panel and the language."""
    parser.add_argument(
        "--geometry",
        type=_geometry,
        metavar="WxH+X+Y",
        help="the window's size, and where its frame's top left corner goes (as X11's -geometry)",
    )
    parser.add_argument("--steps", action="store_true", help="show the shared-memory steps panel")
    parser.add_argument("--teach", action="store_true", help="step through the article's calls by hand")
    parser.add_argument("--lang", choices=LANGUAGES, help="language of the window (default: the system's)")
    add_qt_options(parser)


def run_window(
    prog: str, args: argparse.Namespace, make_window: Callable[[str, QSettings], W], start: Callable[[W], None]
) -> int:
    """Open ``make_window(key, settings)`` as ``args`` say, ``start`` its work, run until it closes or a signal.

    However this ends, errors included, the window is closed (which detaches)
    and every worker thread is stopped and joined here, while the window and
    the objects the workers use still exist.
    """
    from PySide6.QtWidgets import QApplication  # only a window needs widgets

    from shareimg.ui.window_state import fit_on_screen_framed, remembered_key

    require_display(prog, args.qt_platform)
    app = QApplication([prog, *qt_arguments(args)])
    app.setApplicationName(prog)
    app.setWindowIcon(QIcon(str(ICON)))
    install_translator(app, args.lang)
    loop = EventLoop(app)
    settings = QSettings("shareimg", prog.removeprefix("shareimg-"))
    window = make_window(remembered_key(args.key, settings), settings)
    try:
        teach = window.teach
        assert teach is not None  # each window makes its step-through panel
        if args.geometry:
            x, y, width, height = args.geometry
            window.resize(width, height)
            window.move(x, y)  # the frame's place (setGeometry would put the title bar above it)
        # The panels first, the window shown last: resized once shown, it would be placed by its inside again.
        window.steps_dock.setVisible(args.steps)
        teach.action.setChecked(args.teach)
        if not args.teach:  # in the step-through, every call is made by hand
            start(window)
        window.give_way()  # the image keeps its room
        window.show()
        if args.teach:
            teach.raise_()  # in front of Details, which shares its place (a hidden window raises none)
        fit_on_screen_framed(window)
        return loop.run()
    finally:
        try:
            window.close()
        finally:
            stop_workers()
