"""The list of sources with a C++ Qt program among our providers: it does not announce, it is listed."""

from __future__ import annotations

import json
import signal
import stat
import time
from pathlib import Path

from foreign import ForeignReader
from images import photo_like
from processes import run

from shareimg import reclaim, segment_status
from shareimg.discovery import announcements
from shareimg.discovery.recent_keys import remember_key
from shareimg.discovery.sources import sources
from shareimg.transport.keys import key_files


def test_list_shows_three_providers_and_a_cpp_program_at_once(cpp_peer, keys, spawn, tmp_path):
    still, titled, pattern, cpp = keys(), keys(), keys(), keys()
    remember_key(cpp)  # a key this user chose before: where a program that does not announce is looked for
    images = {}
    for name, (width, height, seed) in {"still": (120, 80, 1), "titled": (64, 40, 2), "cpp": (90, 60, 3)}.items():
        images[name] = tmp_path / f"{name}.png"
        assert photo_like(width, height, seed=seed).save(str(images[name]))
    started = [
        spawn("shareimg.provider", images["still"], "--key", still, "--headless"),
        spawn("shareimg.provider", images["titled"], "--key", titled, "--headless", "--title", "Studio camera"),
        spawn("shareimg.provider", "--pattern", "160x120", "--fps", "25", "--key", pattern, "--headless"),
        spawn("write", images["cpp"], "--key", cpp, program=cpp_peer),
    ]
    assert [process.fields()["event"] for process in started] == ["published", "published", "streaming", "ready"]
    # The stream says "streaming" as its first frame goes out: all four are listed within a second.
    ready = time.monotonic()
    while not {still, titled, pattern, cpp} <= {source.key for source in sources(0)}:
        assert time.monotonic() - ready < 1.0, f"not all listed within 1 s: {sources(0)}"
        time.sleep(0.01)

    result = run("shareimg.consumer", "--list")  # the first look of another process sees all four
    assert result.returncode == 0, result.stderr
    ours = {line.split()[1].removeprefix("key="): line for line in result.stdout.splitlines()}
    peer_pid, pattern_pid = started[3].pid, started[2].pid
    assert ours[cpp] == (
        f'source key={cpp} title="Qt program" width=90 height=60 codec=qt fps=0.0 pid={peer_pid} announced=no'
    )
    assert ours[still] == (
        f'source key={still} title="still.png" width=120 height=80 codec=qt fps=0.0 pid={started[0].pid} announced=yes'
    )
    assert ours[titled].startswith(f'source key={titled} title="Studio camera" width=64 height=40 codec=qt ')
    assert 'title="test pattern 160×120" width=160 height=120 codec=qt fps=' in ours[pattern]
    assert ours[pattern].endswith(f"pid={pattern_pid} announced=yes")
    keys_listed = [line.split()[1] for line in result.stdout.splitlines()]
    assert keys_listed == sorted(keys_listed)

    listed = {item["key"]: item for item in json.loads(run("shareimg.consumer", "--list", "--json").stdout)}
    assert listed[cpp]["announced"] is False and listed[cpp]["pid"] == peer_pid
    assert listed[cpp]["process"] == Path(cpp_peer).name  # whole, though Linux keeps 15 characters in comm
    assert listed[cpp]["generation"] == 0  # no trailer: Qt's own format only
    assert 5 < listed[pattern]["fps"] < 30
    assert listed[pattern]["generation"] > 1


def test_a_killed_cpp_program_is_not_listed_even_while_a_reader_maps_its_segment(cpp_peer, key, spawn, tmp_path):
    remember_key(key)
    image = tmp_path / "cpp.png"
    photo_like(50, 40).save(str(image))
    writer = spawn("write", image, "--key", key, program=cpp_peer)
    writer.fields()
    assert key in {source.key for source in sources(0)}
    reader = ForeignReader(key)  # a consumer still mapping the segment
    try:
        writer.stop(signal.SIGKILL)
        assert segment_status(key).attached == 1  # the reader
        assert key not in {source.key for source in sources(0)}, "listed by the segment alone"
    finally:
        reader.close()
    assert key not in {source.key for source in sources(0)}
    reclaim(key)  # what the C++ program left: the next provider under the key would take it over


def test_a_cpp_program_announces_itself_from_the_protocol_alone(cpp_peer, keys, spawn, tmp_path):
    """peer.cpp follows docs/PROTOCOL.md section 6; nothing of ours is linked into it."""
    named, killed = keys(), keys()
    image = tmp_path / "cpp.png"
    photo_like(70, 50).save(str(image))
    writer = spawn("write", image, "--key", named, "--title", "C++ camera", program=cpp_peer)
    victim = spawn("write", image, "--key", killed, "--title", "doomed", program=cpp_peer)
    writer.fields()
    victim.fields()
    listed = {source.key: source for source in sources(0)}
    assert (listed[named].title, listed[named].announced, listed[named].pid) == ("C++ camera", True, writer.pid)
    (entry,) = [entry for entry in announcements.entries() if entry.key == named]
    assert stat.S_IMODE(entry.path.stat().st_mode) == 0o600

    victim.stop(signal.SIGKILL)
    assert killed not in {source.key for source in sources(0)}
    assert not [entry for entry in announcements.entries() if entry.key == killed], "the reader cleaned up"
    assert segment_status(killed) is None and not key_files(killed)
    assert writer.stop() == 0
    assert not [entry for entry in announcements.entries() if entry.key == named]
