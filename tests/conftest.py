"""Offscreen Qt, a unique key per test, and real provider processes."""

from __future__ import annotations

import os
import shutil
import tempfile

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# QSettings of the apps (keys, recent files, geometry) go to a throw-away place, never the user's.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="shareimg-tests-config-")

import signal
import subprocess
import uuid
from pathlib import Path

import pytest
from processes import ROOT, Process, python_module
from PySide6.QtCore import QSettings
from shareimg.common import announcements, channel
from shareimg.common.sources import clean_stale

KEY_PREFIX = "shareimgtest"


def pytest_sessionstart(session: pytest.Session) -> None:
    # A crashed earlier run must not poison this one.
    channel.sweep(KEY_PREFIX)
    _sweep_announcements()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Each test checks its own key; this catches what escaped that (a process left running).
    left = channel.sweep(KEY_PREFIX) + _sweep_announcements()
    shutil.rmtree(os.environ["XDG_CONFIG_HOME"], ignore_errors=True)
    if left:
        print(f"\n{left} key(s) of this run still had shared-memory objects or announcements at the end; removed them")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _fresh_key() -> str:
    return f"{KEY_PREFIX}-{uuid.uuid4().hex[:12]}"


def _left_behind(names: list[str]) -> list[str]:
    """What the test left under ``names`` (then removed, so that one failure does not poison others)."""
    problems = []
    for name in names:
        leaked = channel.segment_status(name)
        files = channel.key_files(name)
        clean_stale()  # a reader removes what killed providers announced: only what lives may be left
        announced = [entry.path for entry in announcements.entries() if entry.key == name]
        channel.reclaim(name)
        for path in announced:
            announcements.remove(path)
        if leaked is not None:
            problems.append(f"the test left a segment under {name}: {leaked}")
        if files:
            problems.append(f"the test left key files (and maybe a semaphore) of {name}: {files}")
        if announced:
            problems.append(f"the test left announcements of {name}: {[path.name for path in announced]}")
    return problems


def _sweep_announcements() -> int:
    left = [entry.path for entry in announcements.entries() if entry.key.startswith(KEY_PREFIX)]
    for path in left:
        announcements.remove(path)
    return len(left)


@pytest.fixture
def key() -> str:
    """A fresh key; after the test no segment, lock, key file or announcement may remain under it."""
    name = _fresh_key()
    yield name
    problems = _left_behind([name])
    assert not problems, "; ".join(problems)


@pytest.fixture
def keys():
    """``keys()`` gives another fresh key, checked like ``key`` after the test."""
    made: list[str] = []

    def fresh() -> str:
        made.append(_fresh_key())
        return made[-1]

    yield fresh
    problems = _left_behind(made)
    assert not problems, "; ".join(problems)


@pytest.fixture
def spawn(key: str, keys):
    """Start ``python -m ARGS...``; every process is stopped after the test, before ``key`` is checked."""
    processes: list[Process] = []

    def start(*args: object, program: object = None, cwd: Path = ROOT) -> Process:
        """``python -m ARGS...``, or ``PROGRAM ARGS...`` when ``program`` is given."""
        argv = [str(program), *map(str, args)] if program else python_module(*args)
        process = Process(argv, cwd)
        processes.append(process)
        return process

    yield start
    for process in processes:
        try:
            process.stop()
        except subprocess.TimeoutExpired:
            process.stop(signal.SIGKILL)


@pytest.fixture
def settings(tmp_path):
    """The windows' settings in a file of the test's own."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def provider(qtbot, key, settings):
    """A shown provider window (640x560), closed after the test."""
    from shareimg.provider.window import ProviderWindow

    window = ProviderWindow(key, settings=settings)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


@pytest.fixture
def consumer(qtbot, key, settings):
    """A shown consumer window (760x560), closed after the test."""
    from shareimg.consumer.window import ConsumerWindow

    window = ConsumerWindow(key, settings)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()
