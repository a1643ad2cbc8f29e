"""Windows that fit a laptop: the demo's frames on a 1366x768 screen with a window manager, panels that
make room for the image, F11, and Qt's own command-line options.

The demo's test runs the real demo on Xvfb with openbox (tools/system-deps.sh windows) and reads the
frames back with xwininfo and xprop, as the window manager placed them.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from shareimg.consumer.cli import build_parser as consumer_parser
from shareimg.consumer.window import ConsumerWindow
from shareimg.errors import NoDisplay
from shareimg.provider.cli import build_parser as provider_parser
from shareimg.ui import sharing_window, shell

SCREEN = (1366, 768)


def test_f11_shows_the_image_alone_and_esc_leaves(qtbot, consumer):
    """F11 kept every panel, the menus and the status line; Esc did not leave full screen."""
    consumer.sources_dock.show()
    consumer.steps_dock.show()
    around = [consumer.menuBar(), consumer.statusBar(), consumer.display_button, consumer.watch_box]
    panels = [consumer.sources_dock, consumer.steps_dock, consumer.details]
    assert all(widget.isVisible() for widget in around + panels)
    qtbot.keyClick(consumer, Qt.Key.Key_F11)
    assert consumer.windowState() & Qt.WindowState.WindowFullScreen
    shown = [dock for dock in consumer.findChildren(QDockWidget) if dock.isVisible()]
    assert shown == [] and not any(widget.isVisible() for widget in around + [consumer.message])
    assert consumer.image_view.isVisible()
    qtbot.keyClick(consumer, Qt.Key.Key_Escape)
    assert not consumer.windowState() & Qt.WindowState.WindowFullScreen
    assert not consumer.full_screen_action.isChecked()
    assert all(widget.isVisible() for widget in around + panels)


def test_leaving_full_screen_gives_back_a_maximized_window(qtbot, consumer):
    """Leaving always called showNormal(): a maximized window came back un-maximized."""
    consumer.showMaximized()
    qtbot.waitUntil(lambda: bool(consumer.windowState() & Qt.WindowState.WindowMaximized))
    qtbot.keyClick(consumer, Qt.Key.Key_F11)
    assert consumer.windowState() & Qt.WindowState.WindowFullScreen
    qtbot.keyClick(consumer, Qt.Key.Key_Escape)
    assert consumer.windowState() & Qt.WindowState.WindowMaximized
    assert not consumer.windowState() & Qt.WindowState.WindowFullScreen


def test_what_the_window_shows_or_hides_in_full_screen_keeps_that_state(qtbot, consumer):
    """Full screen showed again on leaving what it had hidden on entering, even what the window had hidden meanwhile
    (Change Key once the key is free); and Change Key offered meanwhile showed beside the image."""
    consumer.say("The key is taken.", offer_key_change=True)
    assert consumer.change_key_button.isVisible()
    consumer.full_screen_action.trigger()
    consumer.stop_waiting_for_key()  # the key is free now: no Change Key any more
    consumer.full_screen_action.trigger()
    assert consumer.message.isVisible() and not consumer.change_key_button.isVisible()

    consumer.full_screen_action.trigger()
    consumer.say("The key is taken.", offer_key_change=True)
    assert not consumer.change_key_button.isVisible() and not consumer.message.isVisible()  # the image alone
    consumer.full_screen_action.trigger()
    assert consumer.change_key_button.isVisible() and consumer.message.text() == "The key is taken."


def test_full_screen_left_by_the_window_manager_gives_the_window_back(qtbot, consumer):
    """When full screen ended another way than F11 or Esc, the action stayed checked, the panels hidden, Esc on."""
    consumer.sources_dock.show()
    qtbot.keyClick(consumer, Qt.Key.Key_F11)
    assert consumer.full_screen.leave.isEnabled() and not consumer.sources_dock.isVisible()
    consumer.setWindowState(Qt.WindowState.WindowNoState)  # as the window manager's own key does
    assert not consumer.full_screen_action.isChecked()
    assert not consumer.full_screen.leave.isEnabled()
    assert consumer.menuBar().isVisible() and consumer.statusBar().isVisible() and consumer.sources_dock.isVisible()
    assert consumer.display_button.isVisible() and consumer.message.isVisible()


def test_a_window_closed_in_full_screen_opens_as_a_window_again(qtbot, key, settings):
    first = ConsumerWindow(key, settings)
    qtbot.addWidget(first)
    first.show()
    first.full_screen_action.trigger()
    assert first.windowState() & Qt.WindowState.WindowFullScreen
    first.close()
    second = ConsumerWindow(key, settings)
    qtbot.addWidget(second)
    second.show()
    assert not second.windowState() & Qt.WindowState.WindowFullScreen
    assert second.menuBar().isVisible() and not second.full_screen_action.isChecked()
    second.close()


@pytest.mark.parametrize("width", [560, 780, 900])
def test_a_narrow_consumer_tabs_or_hides_its_panels_before_the_image_is_squeezed(qtbot, key, settings, width):
    """At 860 px the image got 300 px between Sources and Details."""
    window = ConsumerWindow(key, settings)
    qtbot.addWidget(window)
    window.resize(width, 600)
    window.sources_dock.show()
    window.give_way()
    window.show()
    qtbot.waitUntil(lambda: window.image_view.width() > 0)
    assert window.width() == width
    assert window.image_view.width() >= sharing_window.IMAGE_LEAST
    if width > 700:  # Details one click away, behind Sources
        assert window.tabifiedDockWidgets(window.details) == [window.sources_dock]
    else:  # both in the menus: View ▸ Details, Sources ▸ Sources
        assert window.sources_dock.isHidden() and window.details.isHidden()
    window.close()


def test_a_wide_consumer_keeps_details_beside_the_image(qtbot, key, settings):
    window = ConsumerWindow(key, settings)
    qtbot.addWidget(window)
    window.resize(1500, 700)
    window.sources_dock.show()
    window.give_way()
    window.show()
    assert window.tabifiedDockWidgets(window.details) == [] and window.details.isVisible()
    window.close()


@pytest.mark.parametrize("parser", [provider_parser, consumer_parser])
def test_qts_own_options_are_accepted_and_passed_on(parser, monkeypatch):
    """argparse rejected '-style fusion'; QApplication was given no argv."""
    args = parser().parse_args(["-style", "fusion", "-platform", "offscreen", "-reverse", "--key", "k"])
    assert shell.qt_arguments(args) == ["-style", "fusion", "-platform", "offscreen", "-reverse"]
    assert args.key == "k"
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    shell.require_display("shareimg-consumer", args.qt_platform)  # offscreen needs no display
    with pytest.raises(NoDisplay):
        shell.require_display("shareimg-consumer", None)


# --- the demo on a laptop's screen, with a window manager ------------------------------------------


@pytest.fixture
def laptop_screen(tmp_path):
    """DISPLAY of an Xvfb at 1366x768 with openbox managing it."""
    missing = [tool for tool in ("Xvfb", "openbox", "xdotool", "xwininfo", "xprop") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (tools/system-deps.sh windows)")
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp"],
        pass_fds=[write],
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as numbers:
        display = f":{numbers.readline().strip()}"
    env = {**os.environ, "DISPLAY": display, "HOME": str(tmp_path)}
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("WAYLAND_DISPLAY", None)
    openbox = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for(lambda: "_NET_SUPPORTING_WM_CHECK(WINDOW)" in _x(env, "xprop", "-root", "_NET_SUPPORTING_WM_CHECK"))
    yield env
    for process in (openbox, xvfb):
        process.terminate()
        process.wait(10)


def _x(env: dict[str, str], *argv: str) -> str:
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=10).stdout


def _wait_for(condition: Callable[[], object], seen: Callable[[], object] = lambda: None, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting; {seen()}"
        time.sleep(0.2)


def _windows(env: dict[str, str]) -> dict[str, dict[str, int]]:
    """Each shown, framed window of the demo (by title) -> its frame's edges, its inside's size, and where the demo
    placed it (its process's ``--geometry``: the frame's corner, the inside's size)."""
    found = {}
    for window in _x(env, "xdotool", "search", "--onlyvisible", "--name", "shareimg").split():
        info = _x(env, "xwininfo", "-id", window)
        extents = re.search(r"= (\d+), (\d+), (\d+), (\d+)", _x(env, "xprop", "-id", window, "_NET_FRAME_EXTENTS"))
        pid = re.search(r"= (\d+)", _x(env, "xprop", "-id", window, "_NET_WM_PID"))
        title = re.search(r'Window id: \S+ "(.*)"', info)
        if not (extents and pid and title):
            continue  # not framed yet
        argv = _command_line(int(pid[1]))
        placed = re.fullmatch(r"(\d+)x(\d+)\+(-?\d+)\+(-?\d+)", argv[argv.index("--geometry") + 1])
        x, y, width, height = (
            int(re.search(rf"{name}:\s+(-?\d+)", info)[1])
            for name in ("Absolute upper-left X", "Absolute upper-left Y", "Width", "Height")
        )
        left, right, top, bottom = map(int, extents.groups())
        found[title[1]] = {
            "left": x - left, "top": y - top, "right": x + width + right, "bottom": y + height + bottom,
            "width": width, "height": height,
            "placed_width": int(placed[1]), "placed_height": int(placed[2]),
            "placed_left": int(placed[3]), "placed_top": int(placed[4]),
        }  # fmt: skip
    return found


def _command_line(pid: int) -> list[str]:
    with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
        return cmdline.read().decode().split("\0")


def _settled(windows: dict[str, dict[str, int]]) -> bool:
    """Both windows framed, each frame wholly on the screen: where the window manager and the windows' own fit
    after framing (common.ui.window_state.fit_on_screen_framed) leave them.

    A frame still placed by its inside has its title bar above the screen, and
    the fit moves (or shrinks) only a frame that is not wholly on it.
    """
    return len(windows) == 2 and all(
        frame["left"] >= 0 and frame["top"] >= 0 and frame["right"] <= SCREEN[0] and frame["bottom"] <= SCREEN[1]
        for frame in windows.values()
    )


@pytest.mark.parametrize("teach", [False, True], ids=["demo", "teach"])
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_demos_windows_fit_a_laptop_screen_side_by_side(laptop_screen, key, lang, teach):
    """At 1366x768 with openbox the consumer covered the provider's right edge and both title bars were above the
    screen (the demo placed the insides at y=10)."""
    demo = subprocess.Popen(
        [sys.executable, "-m", "shareimg.provider.demo", "--key", key, "--lang", lang, *(["--teach"] if teach else [])],
        env=laptop_screen,
    )
    try:
        seen: list[dict] = []  # title bars above the screen, or frames off it, time out here
        _wait_for(lambda: _settled(seen.append(_windows(laptop_screen)) or seen[-1]), lambda: seen[-1])
        (provider,) = (frame for title, frame in seen[-1].items() if "消费者" not in title and "consumer" not in title)
        (consumer,) = (frame for title, frame in seen[-1].items() if frame is not provider)
    finally:
        demo.send_signal(signal.SIGTERM)
        assert demo.wait(30) == 0
    for frame in (provider, consumer):
        # Not squeezed below the size the demo gave it from the widths it needs with the fonts at hand.
        assert frame["width"] >= frame["placed_width"] and frame["height"] >= frame["placed_height"], frame
        assert (frame["left"], frame["top"]) == (frame["placed_left"], frame["placed_top"]), frame  # not moved
    assert provider["right"] <= consumer["left"], (provider, consumer)  # side by side: neither covers the other
