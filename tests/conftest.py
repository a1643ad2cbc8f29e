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
from shareimg.common import channel

KEY_PREFIX = "shareimgtest"


def pytest_sessionstart(session: pytest.Session) -> None:
    # A crashed earlier run must not poison this one.
    channel.sweep(KEY_PREFIX)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Each test checks its own key; this catches what escaped that (a process left running).
    left = channel.sweep(KEY_PREFIX)
    shutil.rmtree(os.environ["XDG_CONFIG_HOME"], ignore_errors=True)
    if left:
        print(f"\n{left} key(s) of this run still had shared-memory objects at the end; removed them")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def key() -> str:
    """A fresh key; after the test no segment may remain under it."""
    name = f"{KEY_PREFIX}-{uuid.uuid4().hex[:12]}"
    yield name
    leaked = channel.segment_status(name)
    files = channel.key_files(name)
    channel.reclaim(name)
    assert leaked is None, f"the test left a segment under {name}: {leaked}"
    assert not files, f"the test left key files (and maybe a semaphore) of {name}: {files}"


@pytest.fixture
def spawn(key: str):
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
