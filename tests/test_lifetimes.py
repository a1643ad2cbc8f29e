"""Explicit lifetimes: frames, watchers and publishers are closed by their owners; a finalizer only warns.

What holds a pin or a mapped segment and is dropped unclosed still gives it
back when collected, with a ResourceWarning, as an unclosed file does -- and
the suite runs with that warning as an error, so a test that forgets fails.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from foreign import ForeignReader
from processes import ROOT

from shareimg import RAW, Publisher, Watcher, segment_status
from shareimg.transport import pins
from shareimg.transport.keys import key_file
from shareimg.transport.ring import RingReader

_PICTURE = np.arange(48 * 32 * 3, dtype=np.uint8).reshape(32, 48, 3)


def _pinned(key: str) -> int:
    """How many pins readers hold on the ring under ``key``, counted by a reader of its own."""
    other = ForeignReader(key)
    try:
        ring = RingReader(other.shm.constData(), pins.pins_key(key_file(key)))
        return sum(pins.readers(ring.header.pins, i) for i in range(ring.header.slot_count))
    finally:
        other.close()


def test_an_unclosed_view_warns_when_collected_and_gives_its_pin_back(key):
    with Publisher(key, RAW) as publisher, Watcher(key) as watcher:
        publisher.publish(_PICTURE)
        frame = watcher.next_frame(timeout=5, view=True)
        assert frame is not None and frame.pinned and _pinned(key) == 1
        with pytest.warns(ResourceWarning, match="unclosed <Frame of key"):
            del frame
            gc.collect()
        assert _pinned(key) == 0


def test_a_closed_view_gives_its_pin_back_at_once_and_an_owned_frame_holds_none(key):
    with Publisher(key, RAW) as publisher, Watcher(key) as watcher:
        publisher.publish(_PICTURE)
        with watcher.next_frame(timeout=5, view=True) as frame:
            assert _pinned(key) == 1
        assert _pinned(key) == 0 and not frame.pinned
        publisher.publish(_PICTURE)
        owned = watcher.next_frame(timeout=5)
        assert not owned.pinned and _pinned(key) == 0
        assert (owned.array == _PICTURE).all()


def test_an_unclosed_watcher_warns_when_collected_and_detaches(key):
    with Publisher(key, RAW) as publisher:
        publisher.publish(_PICTURE)
        watcher = Watcher(key)
        assert watcher.next_frame(timeout=5) is not None
        assert segment_status(key).attached == 2
        with pytest.warns(ResourceWarning, match="unclosed <Watcher of key"):
            del watcher
            gc.collect()
        assert segment_status(key).attached == 1


def test_an_unclosed_publisher_warns_when_collected_and_removes_its_segment(key):
    publisher = Publisher(key, RAW)
    publisher.publish(_PICTURE)
    assert segment_status(key) is not None
    with pytest.warns(ResourceWarning, match="unclosed"):
        del publisher
        gc.collect()
    assert segment_status(key) is None


_FORGETFUL = """
import os

import numpy as np

from shareimg import RAW, Publisher, Watcher

KEY = os.environ["SHAREIMG_LIFETIMES_KEY"]


def test_closes_its_view():
    with Publisher(KEY, RAW) as publisher, Watcher(KEY) as watcher:
        publisher.publish(np.zeros((4, 4, 3), np.uint8))
        with watcher.next_frame(timeout=5, view=True):
            pass


def test_forgets_its_view():
    with Publisher(KEY, RAW) as publisher, Watcher(KEY) as watcher:
        publisher.publish(np.zeros((4, 4, 3), np.uint8))
        watcher.next_frame(timeout=5, view=True)  # dropped unclosed
"""


def test_a_test_that_leaves_a_view_unclosed_fails_the_run(key, tmp_path):
    """The warning is raised in a finalizer, where it cannot propagate: the suite's settings must still fail it."""
    (tmp_path / "test_forgetful.py").write_text(textwrap.dedent(_FORGETFUL))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", str(ROOT / "pyproject.toml")]
        + ["--rootdir", str(tmp_path), str(tmp_path / "test_forgetful.py")],
        cwd=tmp_path,
        env={**os.environ, "SHAREIMG_LIFETIMES_KEY": key},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed, 1 passed" in run.stdout, run.stdout
    assert "FAILED test_forgetful.py::test_forgets_its_view" in run.stdout, run.stdout
    assert "unclosed <Frame of key" in run.stdout, run.stdout
