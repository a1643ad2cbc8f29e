"""Offscreen Qt, a unique key per test, and real provider processes."""

from __future__ import annotations

import os
import shutil
import tempfile

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# QSettings of the apps (keys, recent files, geometry) go to a throw-away place, never the user's.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="shareimg-tests-config-")

import re
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from processes import ROOT, Process, python_module
from PySide6.QtCore import QCoreApplication, QSettings, QTranslator

from shareimg.discovery import announcements
from shareimg.discovery.sources import clean_stale
from shareimg.native.processes import process_running
from shareimg.transport.keys import key_file, key_files
from shareimg.transport.segment import reclaim, segment_status, sweep
from shareimg.ui.translations import TRANSLATIONS

KEY_PREFIX = "shareimgtest"


def _run_mark(pid: int) -> str:
    """A test run's pid in letters ('g' for 0 … 'p' for 9, then 'z'): Qt's key files keep only a key's letters,
    and a key's own letters (hex) are a-f."""
    return "".join(chr(ord("g") + int(digit)) for digit in str(pid)) + "z"


def _run_pid(mark: str) -> int:
    return int("".join(str(ord(letter) - ord("g")) for letter in mark.removesuffix("z")))


# Each run's keys carry its pid, so that a run sweeps only its own leftovers and those of runs that are over:
# two runs at once on one machine (two terminals) must not remove each other's segments.
RUN_PREFIX = f"{KEY_PREFIX}-{_run_mark(os.getpid())}-"


def pytest_sessionstart(session: pytest.Session) -> None:
    # A crashed earlier run must not poison this one.
    folder = key_file(KEY_PREFIX).parent
    for mark in set(re.findall(rf"{KEY_PREFIX}([g-p]+z)", " ".join(os.listdir(folder)))):
        if not process_running(_run_pid(mark)):
            sweep(f"{KEY_PREFIX}-{mark}-")
    _sweep_announcements(lambda entry: entry.key.startswith(KEY_PREFIX) and not process_running(_run_pid_of(entry)))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Each test checks its own key; this catches what escaped that (a process left running).
    left = sweep(RUN_PREFIX) + _sweep_announcements(lambda entry: entry.key.startswith(RUN_PREFIX))
    shutil.rmtree(os.environ["XDG_CONFIG_HOME"], ignore_errors=True)
    if left:
        print(f"\n{left} key(s) of this run still had shared-memory objects or announcements at the end; removed them")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _run_pid_of(entry: announcements.Entry) -> int:
    """The pid of the run whose key ``entry`` announces (0, never running, for a key of no run's)."""
    mark = re.match(rf"{KEY_PREFIX}-([g-p]+z)-", entry.key)
    return _run_pid(mark[1]) if mark else 0


def _fresh_key() -> str:
    return f"{RUN_PREFIX}{uuid.uuid4().hex[:12]}"


def _left_behind(names: list[str]) -> list[str]:
    """What the test left under ``names`` (then removed, so that one failure does not poison others)."""
    problems = []
    for name in names:
        leaked = segment_status(name)
        files = key_files(name)
        clean_stale()  # a reader removes what killed providers announced: only what lives may be left
        announced = [entry.path for entry in announcements.entries() if entry.key == name]
        reclaim(name)
        for path in announced:
            announcements.remove(path)
        if leaked is not None:
            problems.append(f"the test left a segment under {name}: {leaked}")
        if files:
            problems.append(f"the test left key files (and maybe a semaphore) of {name}: {files}")
        if announced:
            problems.append(f"the test left announcements of {name}: {[path.name for path in announced]}")
    return problems


def _sweep_announcements(whose: Callable[[announcements.Entry], bool]) -> int:
    left = [entry.path for entry in announcements.entries() if whose(entry)]
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
        process.close()


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


@pytest.fixture
def hand_provider(spawn, key: str, tmp_path: Path) -> tuple[Process, Path]:
    """The provider window in its step-through, in another process, having clicked create() under ``key``:
    the process, and the file whose lines name its clicks (tests/programs/teach_provider.py)."""
    commands = tmp_path / "commands"
    program = spawn(ROOT / "tests/programs/teach_provider.py", key, commands, program=sys.executable)
    assert program.line() == "ready"
    commands.write_text("create\n")
    assert program.line() == "create ok"
    return program, commands


@pytest.fixture
def chinese(qapp):
    """The windows in Simplified Chinese (the compiled catalogue) while the test runs."""
    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS / "shareimg_zh_CN.qm"))
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)
