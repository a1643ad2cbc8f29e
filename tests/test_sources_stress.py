"""Twenty providers starting and stopping at random for about ten seconds while two consumers list."""

from __future__ import annotations

import random
import signal
import sys
import threading
import time

from images import photo_like
from processes import PROGRAMS

from shareimg import segment_status
from shareimg.discovery import announcements
from shareimg.transport.keys import key_files

LISTER = PROGRAMS / "lister.py"
SLOTS, PER_SLOT = 10, 2  # ten keys, each used by two providers in turn: twenty providers


def test_twenty_providers_come_and_go_while_two_consumers_list(keys, spawn, tmp_path):
    image = tmp_path / "image.png"
    photo_like(64, 48).save(str(image))
    listers = [spawn(LISTER, mode, program=sys.executable) for mode in ("watch", "poll")]
    for lister in listers:
        assert lister.line() == "ready"
    slot_keys = [keys() for _ in range(SLOTS)]
    ended: dict[int, tuple[str, int, int, str]] = {}  # pid -> key, exit code, when reaped (ns), ready line
    failures: list[BaseException] = []

    def run_slot(slot: int) -> None:
        chance = random.Random(slot)
        try:
            for _ in range(PER_SLOT):
                time.sleep(chance.uniform(0, 1.5))
                shared = [image] if chance.random() < 0.5 else ["--pattern", "64x48", "--fps", "30"]
                provider = spawn("shareimg.provider", *shared, "--key", slot_keys[slot], "--headless")
                event = provider.fields()["event"]
                time.sleep(chance.uniform(0.3, 3.0))
                provider.popen.send_signal(chance.choice([signal.SIGTERM, signal.SIGKILL]))
                code = provider.popen.wait(30)
                ended[provider.pid] = (slot_keys[slot], code, time.monotonic_ns(), event)
        except BaseException as error:  # noqa: BLE001 - reported by the test's thread
            failures.append(error)

    slots = [threading.Thread(target=run_slot, args=(slot,)) for slot in range(SLOTS)]
    for thread in slots:
        thread.start()
    for thread in slots:
        thread.join()
    assert not failures, failures
    last_end = max(at for _, _, at, _ in ended.values())
    ours = set(slot_keys)
    outputs = []
    for lister in listers:
        # Its looks up to the first one that began after the last stop and lists none of ours (as soon as a
        # loaded machine lets it: a fixed wait failed when other test runs shared the two cores).
        lists = [_parsed(lister.line())]
        while not (lists[-1][0] > last_end and not [key for key, _ in lists[-1][1] if key in ours]):
            lists.append(_parsed(lister.line()))
        code = lister.stop()
        assert (code, lister.popen.stderr.read()) == (0, "")  # no crash, no traceback, no warning
        outputs.append(lists + [_parsed(line) for line in lister.remaining_lines()])

    assert len(ended) == SLOTS * PER_SLOT
    assert all(code in (0, -signal.SIGKILL) for _, code, _, _ in ended.values()), ended
    assert all(event in ("published", "streaming") for *_, event in ended.values())
    for lists in outputs:
        for at, listed in lists:
            stale = [(key, pid) for key, pid in listed if pid in ended and ended[pid][2] < at]
            assert not stale, f"listed after it ended: {stale}"
            assert all(pid in ended for key, pid in listed if key in ours), "listed a pid that never shared"
        final_at, final = lists[-1]
        assert final_at > last_end and not [key for key, _ in final if key in ours], "stale at the end"
    seen = {pid for _, listed in outputs[1] for _, pid in listed}
    assert set(ended) <= seen, "a provider that shared for at least 0.3 s was never listed"
    for key in slot_keys:  # the listers, readers, removed what the killed providers left
        assert not [entry for entry in announcements.entries() if entry.key == key]
        assert segment_status(key) is None and not key_files(key)


def _parsed(line: str) -> tuple[int, list[tuple[str, int]]]:
    """A lister's "list at=NS sources=KEY@PID,..." line: when the look began, and what it listed."""
    word, at, listed = line.split(" ")
    assert word == "list", line
    pairs = [item.rsplit("@", 1) for item in listed.removeprefix("sources=").split(",") if item]
    return int(at.removeprefix("at=")), [(key, int(pid)) for key, pid in pairs]
