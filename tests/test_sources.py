"""The directory of live sources: announcements, sources(), --list, stale entries, permissions."""

from __future__ import annotations

import contextlib
import faulthandler
import json
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from foreign import ForeignSegment
from images import photo_like
from processes import PROGRAMS, run
from PySide6.QtCore import QTimer

from shareimg import QT, NothingShared, Publisher, segment_status
from shareimg.discovery import announcements
from shareimg.discovery.announcements import SourcesDirectoryError
from shareimg.discovery.recent_keys import remember_key, used_keys
from shareimg.discovery.source_watcher import SourceWatcher
from shareimg.discovery.sources import QT_PROGRAM, SourceScanner, sources
from shareimg.native.processes import process_name
from shareimg.transport.keys import key_files
from shareimg.transport.peek import read_by_id
from shareimg.transport.watcher import Watcher

LINE = re.compile(
    r'source key=(?P<key>\S+) title=(?P<title>"(?:[^"\\]|\\.)*") width=(?P<width>\d+) height=(?P<height>\d+) '
    r"codec=(?P<codec>\S+) fps=(?P<fps>\d+\.\d) pid=(?P<pid>\d+) announced=(?P<announced>yes|no)"
)


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "photo.png"
    assert photo_like(120, 80).save(str(path))
    return path


def _listed(key: str) -> dict[str, object] | None:
    return next((source.as_dict() for source in sources(0) if source.key == key), None)


def _announced(key: str) -> list[announcements.Entry]:
    return [entry for entry in announcements.entries() if entry.key == key]


def _leftovers(key: str) -> list[object]:
    """What is left under ``key``: announcement files, segment, lock and key files."""
    segment = segment_status(key)
    return [*(entry.path.name for entry in _announced(key)), *([segment] if segment else []), *key_files(key)]


def _list_lines(*args: str, env: dict | None = None) -> list[dict[str, str]]:
    result = run("shareimg.consumer", "--list", *args)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert result.stderr == ("" if lines else "shareimg-consumer: no source is sharing now\n")
    assert all(LINE.fullmatch(line) for line in lines), lines
    return [LINE.fullmatch(line).groupdict() for line in lines]


def test_a_provider_announces_itself_while_it_shares(spawn, key, photo):
    before = time.time()
    provider = spawn("shareimg.provider", photo, "--key", key, "--headless")
    assert provider.fields()["event"] == "published"
    (entry,) = _announced(key)
    assert entry.path.name == f"{key}@{provider.pid}.json"
    content = json.loads(entry.path.read_text())
    assert content["version"] == 1 and content["key"] == key and content["pid"] == provider.pid
    assert content["title"] == "photo.png"  # the file name by default
    assert before <= content["started"] <= time.time()

    listed = _listed(key)
    assert listed is not None, "not listed as soon as it said it shares"
    assert listed | {"shmid": 0, "started": 0} == {
        "key": key,
        "title": "photo.png",
        "pid": provider.pid,
        "process": Path(f"/proc/{provider.pid}/comm").read_text().strip(),
        "width": 120,
        "height": 80,
        "codec": "qt",
        "fps": 0.0,
        "generation": 1,
        "announced": True,
        "started": 0,
        "shmid": 0,
        "origin": "",
    }
    assert listed["shmid"] == segment_status(key).shmid

    assert provider.stop() == 0
    assert _leftovers(key) == [], "a provider that stops cleanly leaves nothing"
    assert _listed(key) is None


def test_titles_given_and_by_default(spawn, keys, photo):
    named, pattern = keys(), keys()
    spawn("shareimg.provider", photo, "--key", named, "--headless", "--title", 'Studio "A" & B').fields()
    spawn("shareimg.provider", "--pattern", "64x48", "--fps", "20", "--key", pattern, "--headless").fields()
    assert _listed(named)["title"] == 'Studio "A" & B'
    time.sleep(0.3)  # a few frames: a frame rate to measure
    lines = {line["key"]: line for line in _list_lines()}
    assert json.loads(lines[named]["title"]) == 'Studio "A" & B'
    assert json.loads(lines[pattern]["title"]) == "test pattern 64×48"
    assert 5 <= float(lines[pattern]["fps"]) <= 25, "about the 20 fps asked for"
    assert lines[named]["fps"] == "0.0"


def test_the_title_follows_what_a_publisher_shares(key):
    with Publisher(key) as publisher:
        publisher.publish(photo_like(20, 10))
        assert _listed(key)["title"] == key  # a script's default: its key
        publisher.title = "second"
        assert _listed(key)["title"] == "second"
        assert len(_announced(key)) == 1
    assert _leftovers(key) == []


def test_a_raw_stream_is_listed_with_the_size_generation_and_rate_of_its_newest_frame(spawn, key):
    """A ring's trailer carries no frame's details: the listing reads them from the newest slot."""
    pattern = ("--pattern", "64x48", "--fps", "20", "--codec", "raw")
    spawn("shareimg.provider", *pattern, "--key", key, "--headless").fields()
    time.sleep(0.5)  # a few frames: a frame rate to measure
    (line,) = [line for line in _list_lines() if line["key"] == key]
    assert (line["width"], line["height"], line["codec"]) == ("64", "48", "raw")
    assert 5 <= float(line["fps"]) <= 25, "about the 20 fps asked for"
    listed = _listed(key)
    assert listed["generation"] >= 5


def test_a_sigkilled_provider_is_gone_at_once_and_the_next_reader_cleans_up(spawn, key, photo):
    provider = spawn("shareimg.provider", photo, "--key", key, "--headless")
    provider.fields()
    os.kill(provider.pid, signal.SIGKILL)
    provider.popen.wait()
    assert _announced(key) and segment_status(key) is not None  # what it could not remove

    listed = _list_lines()  # the next reader, another process
    assert key not in [line["key"] for line in listed]
    assert _leftovers(key) == []


def test_the_next_provider_cleans_up_after_a_sigkilled_one(spawn, keys, photo):
    killed, other = keys(), keys()
    victim = spawn("shareimg.provider", photo, "--key", killed, "--headless")
    victim.fields()
    victim.stop(signal.SIGKILL)
    assert _announced(killed)
    spawn("shareimg.provider", photo, "--key", other, "--headless").fields()
    assert _leftovers(killed) == []


def test_a_zombie_is_not_listed(spawn, key, photo):
    """Killed, not yet reaped by its parent: the pid exists, the provider does not."""
    provider = spawn("shareimg.provider", photo, "--key", key, "--headless")
    provider.fields()
    reader = ForeignReaderProcess(key)  # keeps the segment mapped, as a watching consumer does
    try:
        os.kill(provider.pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while "zombie" not in Path(f"/proc/{provider.pid}/status").read_text() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert segment_status(key).attached == 1  # only the reader maps it now
        assert _listed(key) is None
    finally:
        reader.close()
        provider.popen.wait()
        sources(0)  # the reader gone, a look cleans up


class ForeignReaderProcess:
    """Another process keeping the segment mapped."""

    def __init__(self, key: str) -> None:
        code = (
            "import sys; from PySide6.QtCore import QSharedMemory; "
            "m = QSharedMemory(QSharedMemory.legacyNativeKey(sys.argv[1])); "
            "assert m.attach(QSharedMemory.AccessMode.ReadOnly); print('attached', flush=True); sys.stdin.read()"
        )
        self.popen = subprocess.Popen(
            [sys.executable, "-c", code, key], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.popen.stdout.readline().strip() == "attached"

    def close(self) -> None:
        self.popen.stdin.close()
        self.popen.wait(10)
        self.popen.stdout.close()


def test_programs_that_do_not_announce_are_listed_under_used_keys(keys):
    used, unknown = keys(), keys()
    remember_key(used)
    assert used in used_keys()
    image = photo_like(48, 32)
    payload = bytes(QT.encode(image).payload)
    segments = [ForeignSegment(name, payload) for name in (used, unknown)]
    try:
        listed = _listed(used)
        assert _listed(unknown) is None, "a key nobody used is not guessed"
        lines = {line["key"]: line for line in _list_lines()}
    finally:
        for segment in segments:
            segment.close()
    assert listed["title"] == QT_PROGRAM and not listed["announced"]
    assert (listed["width"], listed["height"], listed["codec"]) == (48, 32, "qt")
    assert listed["pid"] == os.getpid() and listed["process"] == process_name(os.getpid()) != ""
    assert lines[used] == {
        "key": used,
        "title": '"Qt program"',
        "width": "48",
        "height": "32",
        "codec": "qt",
        "fps": "0.0",
        "pid": str(os.getpid()),
        "announced": "no",
    }
    assert unknown not in lines


def test_another_program_announces_itself_as_the_protocol_says(keys):
    """docs/PROTOCOL.md, section 6, followed by hand: a JSON file, written then renamed."""
    key, dead_key = keys(), keys()
    folder = announcements.directory()
    folder.mkdir(mode=0o700, exist_ok=True)
    dead = subprocess.Popen(["true"])
    dead.wait()
    files = {
        folder / f"{key}@{os.getpid()}.json": {"version": 1, "key": key, "title": "Scripted", "pid": os.getpid()},
        folder / f"{dead_key}@{dead.pid}.json": {"version": 1, "key": dead_key, "title": "Dead", "pid": dead.pid},
    }
    for path, content in files.items():
        temporary = folder / f".{os.getpid()}.script.tmp"
        temporary.write_text(json.dumps(content))
        temporary.rename(path)
    segments = [ForeignSegment(name, bytes(QT.encode(photo_like(30, 20)).payload)) for name in (key, dead_key)]
    try:
        listed = _listed(key)
        assert _listed(dead_key) is None
    finally:
        for segment in segments:
            segment.close()
        announcements.remove(folder / f"{key}@{os.getpid()}.json")
    assert listed["title"] == "Scripted" and listed["announced"] and listed["width"] == 30
    assert not (folder / f"{dead_key}@{dead.pid}.json").exists(), "a dead announcer's file is removed"


def _list_in(tmpdir: Path, *options: str) -> subprocess.CompletedProcess:
    """``shareimg-consumer --list OPTIONS`` with another $TMPDIR."""
    return subprocess.run(
        [sys.executable, "-m", "shareimg.consumer", "--list", *options],
        env={**os.environ, "TMPDIR": str(tmpdir)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_list_says_on_stderr_that_nothing_is_shared_and_json_prints_an_empty_array(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _list_in(empty)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "shareimg-consumer: no source is sharing now\n")
    json_result = _list_in(empty, "--json")
    assert (json_result.returncode, json_result.stdout, json_result.stderr) == (0, "[]\n", "")
    assert run("shareimg.consumer", "--json").returncode == 2  # --json goes with --list


def test_list_is_sorted_by_key_and_json_carries_every_field(spawn, keys, photo):
    names = sorted(keys() for _ in range(3))
    for name in reversed(names):
        spawn("shareimg.provider", photo, "--key", name, "--headless", "--title", f"t-{name}").fields()
    ours = [line for line in _list_lines() if line["key"] in names]
    assert [line["key"] for line in ours] == names
    result = run("shareimg.consumer", "--list", "--json")
    assert result.returncode == 0, result.stderr
    listed = [item for item in json.loads(result.stdout) if item["key"] in names]
    assert [item["title"] for item in listed] == [f"t-{name}" for name in names]
    assert set(listed[0]) >= {"key", "title", "pid", "process", "width", "height", "codec", "fps", "generation"}
    assert listed[0]["announced"] is True and listed[0]["generation"] == 1


def _world_traversable_tmpdir() -> Path:
    """A $TMPDIR that other users can enter, like /tmp: what keeps them out must be our directory."""
    parent = Path(os.environ.get("TMPDIR") or "/tmp")
    path = Path(tempfile.mkdtemp(prefix="sources-perm-", dir=parent))
    path.chmod(0o1777)
    return path


def test_only_this_user_can_read_the_directory(key, monkeypatch):
    shared_tmp = _world_traversable_tmpdir()
    monkeypatch.setenv("TMPDIR", str(shared_tmp))
    try:
        with Publisher(key) as publisher:
            publisher.publish(photo_like(8, 8))
            folder = announcements.directory()
            assert folder.parent == shared_tmp
            (entry,) = _announced(key)
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and folder.stat().st_uid == os.getuid()
            assert stat.S_IMODE(entry.path.stat().st_mode) == 0o600 and entry.path.stat().st_uid == os.getuid()
            if os.getuid() == 0:  # as root, try as another user
                assert _as_nobody("ls", shared_tmp).returncode == 0  # $TMPDIR itself is open to all
                for command in (["ls", folder], ["cat", entry.path], ["touch", folder / "intruder.json"]):
                    denied = _as_nobody(*command)
                    assert denied.returncode != 0 and "Permission denied" in denied.stderr, (command, denied)
        assert not folder.exists()  # the last announcement takes the directory with it
    finally:
        os.rmdir(shared_tmp)


def _as_nobody(*command: object) -> subprocess.CompletedProcess:
    def become_nobody() -> None:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)

    return subprocess.run(list(map(str, command)), capture_output=True, text=True, timeout=30, preexec_fn=become_nobody)


@pytest.mark.parametrize("kind", ["symlink", "file", "other-user"])
def test_a_directory_that_is_not_ours_is_refused(key, monkeypatch, tmp_path, kind):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    folder = announcements.directory()
    target = tmp_path / "elsewhere"
    target.mkdir()
    if kind == "symlink":
        folder.symlink_to(target)
    elif kind == "file":
        folder.write_text("")
    elif os.getuid() == 0:
        folder.mkdir(mode=0o700)
        os.chown(folder, 65534, 65534)
    else:
        pytest.skip("needs root to make a directory of another user")
    with Publisher(key) as publisher:
        publisher.publish(photo_like(8, 8))  # still shares
        assert "not a directory of this user" in publisher.announce_error
        with pytest.raises(SourcesDirectoryError, match="not a directory of this user"):
            sources(0)
        result = _list_in(tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "not a directory of this user" in result.stderr
    assert list(target.iterdir()) == []


def test_a_directory_opened_up_is_closed_again(key, monkeypatch, tmp_path):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    announcements.directory().mkdir(mode=0o755)
    announcements.directory().chmod(0o755)
    with Publisher(key) as publisher:
        publisher.publish(photo_like(8, 8))
        assert publisher.announce_error is None
        assert stat.S_IMODE(announcements.directory().stat().st_mode) == 0o700


def test_the_watcher_hears_changes_without_polling(qtbot, spawn, key, photo):
    watcher = SourceWatcher()  # no interval: events only
    changes: list[list[str]] = []
    watcher.changed.connect(lambda found: changes.append([source.key for source in found]))
    try:
        provider = spawn("shareimg.provider", photo, "--key", key, "--headless")
        provider.fields()
        qtbot.waitUntil(lambda: key in [source.key for source in watcher.sources], timeout=1000)
        assert not [timer for timer in watcher.findChildren(QTimer) if timer.isActive()], "it polls"

        os.kill(provider.pid, signal.SIGKILL)  # changes no file: the pidfd tells
        killed = time.monotonic()
        qtbot.waitUntil(lambda: key not in [source.key for source in watcher.sources], timeout=1000)
        assert time.monotonic() - killed < 1.0
        provider.popen.wait()
        assert _leftovers(key) == [], "the watcher, a reader, cleaned up after it"
        assert changes[-1] == [k for k in changes[-2] if k != key]
    finally:
        watcher.stop()


def test_an_announcement_made_while_the_watcher_looks_is_heard(monkeypatch, tmp_path, qtbot, key, spawn):
    """A program listed as a Qt program that announces itself right after a look saw its segment gets its title.

    The watcher looked, then watched the directories: an announcement written in between woke nobody, and
    with the Sources panel hidden (no looks but on events) the source kept "Qt program" until something else
    changed in $TMPDIR.
    """
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # no other program's changes wake the watcher here
    remember_key(key)
    late = spawn(PROGRAMS / "late_announcer.py", key, "Late title", program=sys.executable)
    assert late.line() == "shared"
    scan, announced = SourceScanner.scan, []

    def scan_then_announce(scanner: SourceScanner) -> list:
        found = scan(scanner)
        if key in [source.key for source in found] and not announced:
            os.kill(late.pid, signal.SIGUSR1)
            announced.append(late.line())
        return found

    monkeypatch.setattr(SourceScanner, "scan", scan_then_announce)
    watcher = SourceWatcher()  # no interval: events only, as while the Sources panel is hidden
    try:
        assert announced == ["announced"]
        assert _titles(watcher, key) == [QT_PROGRAM]  # its segment seen, its announcement not yet
        qtbot.waitUntil(lambda: _titles(watcher, key) == ["Late title"], timeout=2000)
    finally:
        watcher.stop()


def _titles(watcher: SourceWatcher, key: str) -> list[str]:
    return [source.title for source in watcher.sources if source.key == key]


def test_pictures_are_read_beside_a_watcher_in_the_same_process(spawn, key):
    """As a consumer window does: one thread watches a stream, another reads every source for its picture.

    Qt's attach() takes the segment's lock holding Python's global lock; read through Qt beside a watcher
    (which holds the lock and then needs the global lock), the two threads stopped for good within a
    second.  read_by_id never goes through Qt.
    """
    spawn("shareimg.provider", "--pattern", "160x120", "--fps", "120", "--codec", "raw", "--key", key, "--headless")
    stop, counts = threading.Event(), {"frames": 0, "pictures": 0}

    def watch() -> None:
        with Watcher(key) as watcher:
            while not stop.is_set():
                counts["frames"] += watcher.next_frame(timeout=0.1, stop=stop) is not None

    def pictures() -> None:
        while not stop.is_set():
            with contextlib.suppress(NothingShared):  # until the first frame is out
                counts["pictures"] += read_by_id(key).image.width() == 160

    faulthandler.dump_traceback_later(120, exit=True)  # a thread stuck holding the global lock stops all else
    try:
        threads = [threading.Thread(target=watch), threading.Thread(target=pictures)]
        for thread in threads:
            thread.start()
        time.sleep(3)
        stop.set()
        for thread in threads:
            thread.join(30)
        assert not any(thread.is_alive() for thread in threads)
    finally:
        faulthandler.cancel_dump_traceback_later()
    assert counts["frames"] > 30 and counts["pictures"] > 30, counts
