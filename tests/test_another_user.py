"""A key in use by another user: each program says so in one sentence, and touches nothing of theirs.

Root shares under the key; a child process becomes nobody (tests/programs/as_another_user.py) and tries to
read, publish and watch, from the command lines and from the windows.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import stat
import sys
import tempfile
import time
from pathlib import Path

import pytest
from images import photo_like, same_pixels
from processes import PROGRAMS, run_program

from shareimg import Publisher, read_shared, segment_status
from shareimg.transport.keys import key_files

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="needs root, to share as root and try the key as another user (nobody)"
)


def sentence(key: str) -> str:
    return f"key '{key}' is held by user root (uid 0): choose another key, or ask them to stop"


@pytest.fixture
def roots_image(key):
    """Root shares an image under ``key``; after the test it is still there, unchanged."""
    image = photo_like(48, 32, seed=4)
    with Publisher(key) as publisher:
        publisher.publish(image)
        before = segment_status(key), key_files(key)
        yield publisher
        assert (segment_status(key), key_files(key)) == before
        shared = read_shared(key)
        assert shared.metadata.generation == 1 and same_pixels(shared.image, image)


@pytest.fixture
def image_for_nobody():
    """An image file nobody can read, in a folder of its own under $TMPDIR."""
    tmp = Path(tempfile.gettempdir())
    # Qt's key files live in $TMPDIR: another user must be able to look them up (and this file).
    assert tmp.stat().st_mode & stat.S_IXOTH, f"make {tmp} searchable by other users (chmod o+x) for this test"
    folder = Path(tempfile.mkdtemp(prefix="shareimg-another-user-"))
    folder.chmod(0o755)
    path = folder / "image.png"
    assert photo_like(20, 20).save(str(path))
    path.chmod(0o644)
    yield path
    shutil.rmtree(folder)


def as_nobody(*args: object) -> list[object]:
    """The command line of ``tests/programs/as_another_user.py ARGS...``."""
    return [sys.executable, PROGRAMS / "as_another_user.py", *args]


@pytest.mark.parametrize(
    "program, args",
    [
        ("consumer", ["--headless"]),
        ("provider", ["IMAGE", "--headless"]),
        ("provider", ["--pattern", "32x24", "--headless"]),
    ],
    ids=["read", "publish", "stream"],
)
def test_reading_or_publishing_another_users_key_exits_8_with_one_sentence(
    key, roots_image, image_for_nobody, program, args
):
    args = [image_for_nobody if arg == "IMAGE" else arg for arg in args]
    result = run_program(as_nobody(program, *args, "--key", key))
    assert result.returncode == 8, result.stderr
    assert result.stderr == f"shareimg-{program}: {sentence(key)}\n"
    assert result.stdout == ""  # nothing read, nothing published or streamed


def test_watching_another_users_key_says_so_and_keeps_waiting(key, spawn):
    image = photo_like(48, 32, seed=5)
    with Publisher(key) as publisher:
        publisher.publish(image)
        watcher = spawn(PROGRAMS / "as_another_user.py", "consumer", "--headless", "--watch", "--key", key,
                        program=sys.executable)  # fmt: skip
        assert _stderr_line(watcher, timeout=30) == f"shareimg-consumer: {sentence(key)}\n"
        publisher.close()  # root stops sharing, then shares again: the watcher is still there to see it
        time.sleep(1.5)  # the watch looks at its reason to wait once a second
        publisher.publish(image)
        assert _stderr_line(watcher, timeout=30) == f"shareimg-consumer: {sentence(key)}\n"
        assert watcher.stop(signal.SIGTERM) == 0
        with pytest.raises(AssertionError, match="exited with 0 before printing: $"):
            watcher.line()  # nothing read, and nothing more on stderr: no traceback
        shared = read_shared(key)
        assert shared.metadata.generation == 2 and same_pixels(shared.image, image)  # root's, untouched


def test_the_windows_say_the_same_sentence(key, roots_image, image_for_nobody):
    result = run_program(as_nobody("windows", key, image_for_nobody))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    said = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    assert said == {
        "consumer-read": f"Error: {sentence(key)}.",
        "consumer-watch": f"Watching key '{key}': {sentence(key)}.",
        "provider": f"Error: {sentence(key)}.",
    }


def _stderr_line(process, timeout: float) -> str:
    ready, _, _ = select.select([process.popen.stderr], [], [], timeout)
    assert ready, f"nothing on stderr within {timeout} s"
    return process.popen.stderr.readline()
