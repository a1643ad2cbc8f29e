"""A key squatted by another local user: refused at once, naming them, and nothing of theirs touched.

Qt keeps a key's files in the shared $TMPDIR, so another user can make them first -- the lock's key file
with a semaphore at 0 behind it, the segment's key file, a link to nowhere -- and log out.  Run as root
(CI is root): the squatter is a real other user, a made-up uid (tests/programs/squatter.py, run with
setpriv), and root's programs must neither wait for their lock nor remove, reuse or follow what they made.
A lock of our own that never comes free is said to be stuck, naming who holds it, streams included.
"""

from __future__ import annotations

import ctypes
import os
import pwd
import shutil
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from images import photo_like
from other_users import NAMELESS_UID, interpreter_for_everyone, run_as, scratch_folder
from processes import PROGRAMS, ROOT, run

from shareimg import KeyOfAnotherUser, Publisher
from shareimg.native import libc
from shareimg.transport.keys import key_file, semaphore_key_file, sysv_key
from shareimg.transport.segment import reclaim, segment_status

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root, to run the squatter as another user (setpriv)")

IMAGE = ROOT / "assets" / "sample.png"
# Long, so that a refusal that came only after waiting for the squatter's lock could not pass.
LOCK_TIMEOUT = 30
SETVAL = 16

PROGRAM_ARGS = {
    "still": ["shareimg.provider", IMAGE, "--headless"],
    "stream": ["shareimg.provider", "--pattern", "32x24", "--headless"],
    "read": ["shareimg.consumer", "--headless"],
}


@pytest.fixture(scope="session")
def everyones_python():
    """An interpreter other users can run, importing this checkout's shareimg (tests/other_users.py)."""
    folder = scratch_folder()
    python = interpreter_for_everyone(folder)
    tried = run_as(NAMELESS_UID, python, "squatter.py", "--help", "x")
    assert "unknown '--help'" in tried.stderr, f"uid {NAMELESS_UID} cannot run our packages: {tried.stderr}"
    yield python
    shutil.rmtree(folder)


@dataclass
class Squat:
    """What a squatter made under a key; :meth:`found` says what is under the key now."""

    key: str
    uid: int
    semid: int | None

    def found(self) -> dict[str, object]:
        shm_file = key_file(self.key)
        files = {}
        for path in (shm_file, semaphore_key_file(shm_file)):
            try:
                found = path.lstat()
            except FileNotFoundError:
                continue
            files[path.name] = (found.st_uid, stat.S_IFMT(found.st_mode), found.st_ino)
        semaphore = None
        if self.semid is not None:
            semaphore = (listed_semaphore(self.semid), libc.semctl(self.semid, 0, libc.GETVAL))
        return {"files": files, "semaphore": semaphore, "segment": segment_status(self.key)}


def listed_semaphore(semid: int) -> tuple[int, int] | None:
    """The owner's and creator's uid of the semaphore set ``semid`` as /proc/sysvipc/sem lists it; None if gone."""
    with open("/proc/sysvipc/sem") as table:
        rows = [line.split() for line in table][1:]
    return next(((int(row[4]), int(row[6])) for row in rows if int(row[1]) == semid), None)


@pytest.fixture
def squat(key, everyones_python):
    """``squat(what, *args, uid=...)`` runs tests/programs/squatter.py as that user under ``key``.

    After the test, what they made must be there unchanged; then root removes it.
    """
    made: list[tuple[Squat, dict[str, object]]] = []

    def make(what: str, *args: object, uid: int = NAMELESS_UID) -> Squat:
        result = run_as(uid, everyones_python, "squatter.py", what, key, *args)
        assert result.returncode == 0, result.stderr
        said = result.stdout.strip()
        squatted = Squat(key, uid, int(said) if said.isdigit() else None)
        made.append((squatted, squatted.found()))
        return squatted

    yield make
    changed = [squatted for squatted, before in made if squatted.found() != before]
    for squatted, _ in made:  # removed first, so that a failure leaves nothing behind either
        if squatted.semid is not None:
            libc.semctl(squatted.semid, 0, libc.IPC_RMID)
    shm_file = key_file(key)
    for path in (shm_file, semaphore_key_file(shm_file)):
        if os.path.lexists(path):
            path.unlink()
    assert not changed, "root's program changed what the other user made"


def held_by(key: str, who: str = f"another user (uid {NAMELESS_UID})", link: Path | None = None) -> str:
    through = f", through their link '{link}'" if link else ""
    return f"key '{key}' is held by {who}{through}: choose another key, or ask them to stop"


SQUATS = {
    "semaphore open to all": ("semaphore", "666"),
    "private semaphore": ("semaphore", "600"),
    "segment key file": ("segment-file",),
    "link to nowhere": ("link",),
}


@pytest.mark.parametrize("program", PROGRAM_ARGS)
@pytest.mark.parametrize("squatted", SQUATS)
def test_a_squatted_key_is_refused_at_once_naming_the_user(key, squat, squatted, program):
    what = SQUATS[squatted]
    squat(*what)
    started = time.monotonic()
    result = run(*PROGRAM_ARGS[program], "--key", key, "--lock-timeout", LOCK_TIMEOUT)
    took = time.monotonic() - started
    link = key_file(key) if what[0] == "link" else None
    name = "consumer" if program == "read" else "provider"
    assert (result.returncode, result.stderr) == (8, f"shareimg-{name}: {held_by(key, link=link)}\n")
    assert result.stdout == ""  # nothing published, streamed or read
    assert took < LOCK_TIMEOUT / 2, f"refused only after {took:.1f} s: it waited for their lock"


def test_a_named_user_is_named(key, squat):
    nobody = pwd.getpwnam("nobody")
    squat("semaphore", "600", uid=nobody.pw_uid)
    result = run("shareimg.provider", IMAGE, "--headless", "--key", key, "--lock-timeout", LOCK_TIMEOUT)
    assert result.returncode == 8, result.stderr
    assert result.stderr == f"shareimg-provider: {held_by(key, f'user nobody (uid {nobody.pw_uid})')}\n"


def test_their_private_semaphore_behind_our_own_key_file_is_refused(key, squat):
    """Root passes every permission check: the semaphore's owner and creator are looked at, not only access."""
    lock_file = semaphore_key_file(key_file(key))
    os.close(os.open(lock_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))  # as an earlier run of ours left it
    squat("semaphore-behind", "600")
    started = time.monotonic()
    result = run("shareimg.provider", IMAGE, "--headless", "--key", key, "--lock-timeout", LOCK_TIMEOUT)
    assert (result.returncode, result.stderr) == (8, f"shareimg-provider: {held_by(key)}\n")
    assert time.monotonic() - started < LOCK_TIMEOUT / 2


def test_roots_publisher_neither_uses_nor_removes_their_key_file(key, squat):
    squat("segment-file")
    with Publisher(key) as publisher, pytest.raises(KeyOfAnotherUser) as refused:
        publisher.publish(photo_like(20, 20))
    assert (str(refused.value), refused.value.uid, refused.value.user) == (held_by(key), NAMELESS_UID, None)
    # The squat fixture checks that their file is still there, the same inode, and nothing of root's beside it.


def test_the_windows_say_who_holds_the_key(key, squat, provider, qtbot):
    squat("semaphore", "666")
    with qtbot.waitSignal(provider.failed, timeout=10_000) as failed:
        provider.share_file(IMAGE)
    assert failed.args[0] == provider.message.text() == f"Error: {held_by(key)}."


@pytest.fixture
def our_stuck_lock(key):
    """The lock's key file and semaphore of ours, taken by this process and never given back: its pid.

    Removed after the test, as a provider of ours would remove them: they are ours.
    """
    lock_file = semaphore_key_file(key_file(key))
    os.close(os.open(lock_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    semid = libc.semget(sysv_key(lock_file), 1, libc.IPC_CREAT | 0o600)
    assert semid != -1
    assert libc.semctl(semid, 0, SETVAL, ctypes.c_int(0)) == 0  # taken: the semaphore names this process
    yield os.getpid()
    assert reclaim(key)
    assert listed_semaphore(semid) is None


@pytest.mark.parametrize("program", ["still", "stream"])
def test_a_stuck_lock_of_ours_is_reported_with_its_holder(key, our_stuck_lock, program):
    pid = our_stuck_lock
    started = time.monotonic()
    result = run(*PROGRAM_ARGS[program], "--key", key, "--lock-timeout", 1)
    assert time.monotonic() - started < 20  # not for ever
    assert result.returncode == 7, result.stderr
    assert result.stderr == (
        f"shareimg-provider: process {pid} has held the lock of key '{key}' for more than 1 s; "
        "it may be stuck: close it, or choose another key\n"
    )
    assert result.stdout == ""
    assert segment_status(key) is None and not key_file(key).exists()  # nothing of the provider's left


def test_a_stream_gives_up_on_a_lock_held_after_its_first_frame(key, spawn):
    stream = spawn(*PROGRAM_ARGS["stream"], "--key", key, "--lock-timeout", 1)
    assert stream.fields()["event"] == "streaming"
    holder = spawn(PROGRAMS / "holder.py", key, 60, program=sys.executable)
    assert holder.line() == "locked"
    returncode = stream.popen.wait(30)  # not for ever
    stderr = stream.popen.stderr.read()
    assert returncode == 7, stderr
    assert f"process {holder.pid} has held the lock of key '{key}' for more than 1 s" in stderr
    assert "Traceback" not in stderr
