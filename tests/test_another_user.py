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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from images import photo_like, same_pixels
from processes import PROGRAMS, run, run_program

from shareimg import Publisher, read_shared, segment_status
from shareimg.discovery.recent_keys import remember_key
from shareimg.discovery.source_watcher import SourceWatcher
from shareimg.discovery.sources import sources
from shareimg.errors import KeyOfAnotherUser
from shareimg.native import libc, sysv
from shareimg.transport import pins
from shareimg.transport.keys import key_file, key_files
from shareimg.transport.peek import read_by_id

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


def test_another_users_source_is_neither_listed_nor_mapped(qapp, key, spawn, image_for_nobody):
    """Root could map any segment by its id: the list, --list and the reader by id leave another user's alone."""
    remember_key(key)  # root used the key before: the list looks there for programs that do not announce
    provider = spawn(PROGRAMS / "as_another_user.py", "provider", image_for_nobody, "--headless", "--key", key,
                     program=sys.executable)  # fmt: skip
    assert provider.fields()["event"] == "published"
    before = _last_mapped_by(key)
    assert before == (provider.pid, 1)  # nobody's provider maps it, and nobody else

    assert key not in [source.key for source in sources(0)]
    panel = SourceWatcher()  # what the Sources panel lists
    panel.stop()
    assert key not in [source.key for source in panel.sources]
    listed = run("shareimg.consumer", "--list")
    assert listed.returncode == 0 and f"key={key} " not in listed.stdout, listed
    with pytest.raises(KeyOfAnotherUser):
        read_by_id(key)
    assert _last_mapped_by(key) == before  # no shmat of ours: the last to map it is still its provider


def _last_mapped_by(key: str) -> tuple[int, int]:
    """(pid of the last shmat or shmdt, processes attached) of the segment under ``key``, as Linux keeps them."""
    status = segment_status(key)
    with open("/proc/sysvipc/shm") as table:
        for line in table:
            fields = line.split()
            if fields[1] == str(status.shmid):
                return int(fields[5]), int(fields[6])
    raise AssertionError(f"no segment {status.shmid}")


def test_a_stream_whose_pins_key_another_user_took_is_refused_at_once(key):
    """Another user made a semaphore set under the key the ring's pins would have: the stream says whose it is."""
    squatter = 4242
    made = subprocess.run(
        ["setpriv", "--reuid", str(squatter), "--regid", str(squatter), "--clear-groups", "/usr/bin/python3", "-c",
         "import ctypes, sys; print(ctypes.CDLL(None).semget(int(sys.argv[1]), 4, 0o1000 | 0o666))",
         str(pins.pins_key(key_file(key)))],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    semid = int(made.stdout)
    assert semid >= 0, made
    try:
        result = run("shareimg.provider", "--pattern", "32x24", "--codec", "raw", "--headless", "--key", key)
        assert result.returncode == 8, result
        assert result.stderr.startswith(f"shareimg-provider: key '{key}' is held by another user (uid {squatter})")
        assert sysv.semaphore_set(semid) is not None  # theirs, left alone
    finally:
        libc.semctl(semid, 0, libc.IPC_RMID)
