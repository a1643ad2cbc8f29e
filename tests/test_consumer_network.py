"""The consumer's side of sources on other machines: --list --network, the Network section, Details.

Two "machines" are two zenoh peers on loopback: a real provider process and a
real `shareimg-bridge send` process on a free port of 127.0.0.1 are the other
machine; the consumer (a subprocess, or the window in this process) reaches it
through --connect or the endpoint typed in the panel.
"""

from __future__ import annotations

import json
import signal
import socket
import sys
import threading
import time
import uuid

import pytest
from processes import run, run_program
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage

pytest.importorskip("zenoh", reason="the network extra is not installed")

from shareimg.consumer.window import ConsumerWindow  # noqa: E402
from shareimg.discovery import announcements  # noqa: E402
from shareimg.network import remote_sources  # noqa: E402
from shareimg.network.remote_sources import network_sources  # noqa: E402
from shareimg.transport.keys import key_files  # noqa: E402
from shareimg.transport.segment import segment_status  # noqa: E402


@pytest.fixture
def own_tmpdir(tmp_path, monkeypatch):
    """A $TMPDIR of the test's own (the processes started inherit it): only the test's sources are local."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))


def gradient(width: int, height: int) -> QImage:
    """Smooth colours: JPEG keeps them within a few levels, so the image received can be told from another."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    for y in range(height):
        for x in range(width):
            image.setPixel(x, y, 0xFF000000 | (x * 255 // width) << 16 | (y * 255 // height) << 8 | 96)
    return image


def free_endpoint() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"tcp/127.0.0.1:{probe.getsockname()[1]}"


class Machine:
    """The other machine: a provider sharing ``key`` and a bridge sending it as ``host/key``."""

    def __init__(self, spawn, key: str, tmp_path) -> None:
        self.key, self.host, self.endpoint = key, f"rig{uuid.uuid4().hex[:6]}", free_endpoint()
        self.path = tmp_path / "sent.png"
        assert gradient(160, 90).save(str(self.path))
        self.provider = spawn("shareimg.provider", self.path, "--key", key, "--headless", "--title", "Camera 1")
        self.provider.fields()
        self.sender = spawn("shareimg.bridge", "send", "--key", key, "--name", self.host, "--listen", self.endpoint)
        assert self.sender.line().startswith("sending ")
        self.name = f"{self.host}/{key}"
        deadline = time.monotonic() + 20
        while not any(source.name == self.name and source.width for source in network_sources([self.endpoint])):
            assert time.monotonic() < deadline, "the source never showed on the network"


@pytest.fixture
def machine(own_tmpdir, spawn, key, tmp_path) -> Machine:
    return Machine(spawn, key, tmp_path)


def _fields(line: str) -> dict[str, str]:
    word, _, rest = line.partition(" ")
    title = json.loads(rest.split("title=", 1)[1].split(" width=")[0])
    pairs = dict(pair.split("=", 1) for pair in rest.split() if "=" in pair and not pair.startswith("title="))
    return {"event": word, **pairs, "title": title}


def test_list_network_adds_the_remote_sources_with_their_host(machine):
    listed = run("shareimg.consumer", "--list", "--network", "--connect", machine.endpoint)
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr
    local, remote = listed.stdout.splitlines()
    assert local.startswith(f"source key={machine.key} ") and local.endswith("announced=yes")  # unchanged
    assert remote == (
        f'source host={machine.host} key={machine.key} title="Camera 1" width=160 height=90 codec=jpeg '
        f"fps=0.0 pid={machine.provider.pid}"
    )

    listed = run("shareimg.consumer", "--list", "--network", "--json", "--connect", machine.endpoint)
    assert listed.returncode == 0, listed.stderr
    local, remote = json.loads(listed.stdout)
    assert local["key"] == machine.key and local["origin"] == ""
    assert remote == {
        "name": machine.name, "host": machine.host, "key": machine.key, "title": "Camera 1", "width": 160,
        "height": 90, "codec": "jpeg", "quality": 85, "fps": 0.0, "pid": machine.provider.pid,
    }  # fmt: skip


def test_list_network_without_an_endpoint_lists_the_local_sources_and_says_how_to_give_one(machine):
    listed = run("shareimg.consumer", "--list", "--network")
    assert listed.returncode == 0
    assert [_fields(line)["key"] for line in listed.stdout.splitlines()] == [machine.key]
    said = listed.stderr.splitlines()
    assert len(said) == 1 and "no network endpoint was given" in said[0] and "--connect tcp/HOST:7447" in said[0]


def test_list_network_says_nobody_answers_and_refuses_a_malformed_endpoint(own_tmpdir):
    nobody = free_endpoint()
    listed = run("shareimg.consumer", "--list", "--network", "--connect", nobody)
    assert listed.returncode == 0
    assert f"nobody answered at {nobody}" in listed.stderr and "Traceback" not in listed.stderr
    listed = run("shareimg.consumer", "--list", "--network", "--connect", "192.168.1.5")
    assert listed.returncode == 11
    assert listed.stderr.splitlines() == [
        "shareimg-consumer: zenoh refused the connect endpoint(s) 192.168.1.5: write one as PROTOCOL/ADDRESS:PORT, "
        "e.g. tcp/192.168.1.5:7447"
    ]


def test_list_network_without_the_extra_says_how_to_install_it(own_tmpdir):
    hidden = "import sys; sys.modules['zenoh'] = None; from shareimg.consumer.cli import main; sys.exit(main())"
    listed = run_program([sys.executable, "-c", hidden, "--list", "--network", "--connect", free_endpoint()])
    assert listed.returncode == 11
    assert listed.stderr.splitlines() == [
        "shareimg-consumer: the network bridge needs zenoh, which is not installed: pip install 'shareimg[network]'"
    ]


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def open_window(qtbot, keys, settings):
    """``open_window()``: a shown consumer window on a key of its own, closed after the test."""
    made: list[ConsumerWindow] = []

    def make() -> ConsumerWindow:
        window = ConsumerWindow(keys(), settings)
        qtbot.addWidget(window)
        window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()


def _network_action(window: ConsumerWindow):
    view = next(action.menu() for action in window.menuBar().actions() if action.text() == "&View")
    return next(action for action in view.actions() if action.text() == "&Network Sources")


def _remote_rows(window: ConsumerWindow) -> list[str]:
    model = window.sources_dock.network.model
    return [model.item(row).text() for row in range(model.rowCount())]


def test_the_network_section_is_off_until_turned_on_in_the_view_menu_and_remembered(qtbot, open_window, own_tmpdir):
    window = open_window()
    section = window.sources_dock.network
    action = _network_action(window)
    assert action.isCheckable() and not action.isChecked()
    window.sources_dock.show()
    assert not section.isVisible()
    assert section.feed.endpoints == ()  # nothing listed, no session open
    action.trigger()
    assert section.isVisible() and window.sources_dock.isVisible()
    assert "shareimg-bridge send" in section.note.text() and "tcp/192.168.1.5:7447" in section.note.text()
    nobody = free_endpoint()
    section.endpoints.setText(nobody)
    section.endpoints.editingFinished.emit()
    qtbot.waitUntil(lambda: f"Nobody answers at {nobody}" in section.note.text(), timeout=10_000)
    window.close()

    again = open_window()
    assert _network_action(again).isChecked()
    assert again.sources_dock.network.endpoints.text() == nobody
    _network_action(again).trigger()  # off: the listing stops
    assert again.sources_dock.network.feed.endpoints == ()
    assert not open_window().sources_dock.network_action.isChecked()


@pytest.fixture
def opened_on(monkeypatch, machine) -> list[threading.Thread]:
    """The threads the window opens zenoh sessions on (they block while zenoh connects); after ``machine``,
    whose own look at the network is the test's, on its main thread."""
    from shareimg.consumer import network_reception

    threads: list[threading.Thread] = []
    for module, name in ((remote_sources, "NetworkSources"), (network_reception, "Receiver")):
        made = getattr(module, name)

        def recording(*args, made=made, **kwargs):
            threads.append(threading.current_thread())
            return made(*args, **kwargs)

        monkeypatch.setattr(module, name, recording)
    return threads


def test_a_click_on_a_remote_source_shows_it_and_closing_releases_it(qtbot, open_window, machine, settings, opened_on):
    settings.setValue("network/connect", machine.endpoint)
    window = open_window()
    window.sources_dock.show()
    _network_action(window).trigger()
    section = window.sources_dock.network
    qtbot.waitUntil(lambda: _remote_rows(window) == [f"Camera 1\n{machine.name} · 160×90 · still"], timeout=10_000)

    index = section.model.index(0, 0)
    with qtbot.waitSignal(window.displayed, timeout=20_000) as displayed:
        qtbot.mouseClick(
            section.view.viewport(), Qt.MouseButton.LeftButton, pos=section.view.visualRect(index).center()
        )
    local = f"net-{machine.host}-{machine.key}"  # the remote key is in use here: the provider's own
    assert window.key == local and window.watch_box.isChecked()
    shown, sent = displayed.args[0].image, QImage(str(machine.path))
    assert _mean_difference(shown, sent) <= 4, "not the image sent, within JPEG's loss"
    assert _mean_difference(sent.flipped(Qt.Orientation.Horizontal), sent) > 20  # which another picture is not
    qtbot.waitUntil(lambda: window.details.origin.text() == f"{machine.name} over the network")
    assert "clocks must be in step" in window.details.fields["latency"].toolTip()
    assert f"Receiving {machine.name} under key '{local}'." == section.status.text()
    assert window.windowTitle().startswith("Camera 1 — ")  # the sender's title, as a local source's

    with qtbot.waitSignal(window.displayed, timeout=20_000):  # another source picked: the receiver is closed
        window.watch_source(machine.key)
    assert window.sources_dock.reception.receiver is None and segment_status(local) is None
    assert not section.status.isVisible()
    with qtbot.waitSignal(window.displayed, timeout=20_000) as displayed:  # and the remote one again
        qtbot.mouseClick(
            section.view.viewport(), Qt.MouseButton.LeftButton, pos=section.view.visualRect(index).center()
        )
    assert window.key == local and displayed.args[0].key == local
    assert opened_on and threading.main_thread() not in opened_on, "zenoh called on the GUI thread"

    machine.sender.stop(signal.SIGKILL)
    qtbot.waitUntil(lambda: _remote_rows(window) == [], timeout=3000)  # a source killed leaves within 3 s
    window.close()
    assert segment_status(local) is None and not key_files(local)
    assert not [entry for entry in announcements.entries() if entry.key == local]


def _mean_difference(a: QImage, b: QImage) -> float:
    """The mean difference of two same-sized images' channels, over a grid of pixels (0-255)."""
    a, b = (image.convertToFormat(QImage.Format.Format_RGB32) for image in (a, b))
    assert a.size() == b.size()
    differences = [
        abs(x - y)
        for row in range(0, a.height(), 3)
        for column in range(0, a.width(), 3)
        for x, y in zip(_rgb(a, column, row), _rgb(b, column, row), strict=True)
    ]
    return sum(differences) / len(differences)


def _rgb(image: QImage, x: int, y: int) -> tuple[int, int, int]:
    colour = image.pixelColor(x, y)
    return colour.red(), colour.green(), colour.blue()


def test_a_remote_source_whose_keys_are_both_in_use_here_is_refused_in_words(
    qtbot, open_window, machine, settings, spawn
):
    taken = f"net-{machine.host}-{machine.key}"  # and the remote key itself is the provider's here
    other = spawn("shareimg.provider", machine.path, "--key", taken, "--headless")
    other.fields()
    settings.setValue("network/connect", machine.endpoint)
    window = open_window()
    shown = window.key
    window.sources_dock.show()
    _network_action(window).trigger()
    section = window.sources_dock.network
    qtbot.waitUntil(lambda: len(_remote_rows(window)) == 1, timeout=10_000)
    qtbot.mouseClick(
        section.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=section.view.visualRect(section.model.index(0, 0)).center(),
    )
    assert section.status.text() == (
        f"{machine.name} cannot be received: keys '{machine.key}' and '{taken}' are both in use here; "
        "stop what shares under one"
    )
    assert window.key == shown and window.sources_dock.reception.receiver is None
    window.close()
    assert other.stop() == 0
    assert segment_status(taken) is None and not key_files(taken)
