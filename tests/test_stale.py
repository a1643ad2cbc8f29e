"""What a provider killed at any step leaves is removed by the next one that looks, and nothing is left for good.

Each IPC object a provider makes is found from its key: the segment and the lock through Qt's key
files, the ring's pins through the segment's key file too (pins.py).  So a SIGKILL at any step
leaves nothing that the next provider, or the next listing of sources, cannot find and remove.
"""

from __future__ import annotations

import signal
import struct
import subprocess
import sys

import pytest
from processes import PROGRAMS, run

from shareimg import segment_status
from shareimg.discovery import announcements
from shareimg.native import sysv
from shareimg.transport.keys import key_files


def _semaphore_ids() -> set[int]:
    """The ids of every System V semaphore set, as ``ipcs -s`` lists them."""
    listed = subprocess.run(["ipcs", "-s"], capture_output=True, text=True, check=True).stdout
    return {int(line.split()[1]) for line in listed.splitlines() if line.startswith("0x")}


@pytest.mark.parametrize("next_one", ["provider", "listing"])
@pytest.mark.parametrize("step", ["pins", "header"])
def test_a_provider_killed_while_laying_out_its_ring_leaves_nothing_for_good(key, spawn, step, next_one):
    victim = spawn(PROGRAMS / "killed_at.py", step, key, program=sys.executable)
    at, pin_set = victim.line().split(" pins=")
    assert at == f"at {step}"
    victim.stop(signal.SIGKILL)
    assert segment_status(key) is not None and int(pin_set) in _semaphore_ids()

    if next_one == "provider":
        after = spawn("shareimg.provider", "--pattern", "32x24", "--codec", "raw", "--headless", "--key", key)
        assert after.fields()["event"] == "streaming"  # printed once its first frame is shared
        assert after.stop() == 0
    else:
        assert run("shareimg.consumer", "--list").returncode == 0
    assert int(pin_set) not in _semaphore_ids(), f"the dead provider's pins (semaphore set {pin_set}) are left"
    assert segment_status(key) is None and key_files(key) == []
    assert [entry for entry in announcements.entries() if entry.key == key] == []


def test_a_stream_killed_while_three_watchers_map_it_leaves_nothing_once_they_stop(key, spawn):
    """The last watcher to leave makes Qt remove the segment and its key file: the pins are found without them."""
    provider = spawn("shareimg.provider", "--pattern", "32x24", "--codec", "raw", "--headless", "--key", key)
    assert provider.fields()["event"] == "streaming"
    watchers = [spawn("shareimg.consumer", "--headless", "--watch", "--key", key) for _ in range(3)]
    for watcher in watchers:
        assert watcher.fields()["event"] == "read"
    pin_set = _ring_pins(key)
    assert segment_status(key).attached == 4
    provider.stop(signal.SIGKILL)
    for watcher in watchers:
        assert watcher.stop() == 0

    assert run("shareimg.consumer", "--list").returncode == 0  # the next one that looks
    assert pin_set not in _semaphore_ids(), f"the dead provider's pins (semaphore set {pin_set}) are left"
    assert segment_status(key) is None and key_files(key) == []
    assert [entry for entry in announcements.entries() if entry.key == key] == []


def _ring_pins(key: str) -> int:
    """The id of the pins the ring under ``key`` names in its header."""
    with sysv.mapped(segment_status(key).shmid, 16) as view:
        return struct.unpack_from("<I", view, 12)[0]
