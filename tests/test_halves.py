"""Large frames copied in two halves at once (common/halves.py): every byte in place, the helper shared safely."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import warnings

import numpy as np
import pytest
from processes import PROGRAMS
from shareimg.common import RAW, Publisher, halves

FRAME = (1080, 1920, 4)  # 8 MB: above halves.SPLIT_FROM
# A process given one processor never splits: what these tests look for cannot happen there.
needs_two_processors = pytest.mark.skipif(not halves._SPARE_CPU, reason="this process may run on one processor only")


@pytest.fixture
def always_split(monkeypatch):
    """Every copy that may split does, whatever the trials found faster on this machine."""
    monkeypatch.setattr(halves.Trial, "wants_split", lambda self: True)


def _helper_cpu_ns() -> int:
    """How long the helper thread has run so far (0 before it starts), as the kernel counts it."""
    for thread in threading.enumerate():
        if thread.name == "shareimg copy helper":
            with open(f"/proc/self/task/{thread.native_id}/schedstat") as stat:
                return int(stat.read().split()[0])
    return 0


def _in_time(call, seconds: float = 10.0) -> None:
    """Run ``call`` on a thread; fail (rather than hang) if it has not returned in ``seconds``."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as error:  # noqa: BLE001 -- handed to the test thread
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still copying after {seconds} s: the helper is stuck"
    if errors:
        raise errors[0]


@needs_two_processors
@pytest.mark.parametrize("rows", [1080, 1081])
def test_a_split_copy_puts_every_row_where_it_belongs_and_shares_the_work(rows, always_split):
    source = np.random.default_rng(rows).integers(0, 256, (rows, 1920, 4), np.uint8)
    target = np.zeros_like(source)
    before = _helper_cpu_ns()
    halves.copyto(target, source, may_split=True)
    assert np.array_equal(target, source)
    assert _helper_cpu_ns() > before, "the helper thread did not copy its half"


def test_a_strided_source_is_split_by_rows(always_split):
    wide = np.random.default_rng(3).integers(0, 256, (1080, 3840, 4), np.uint8)
    source = wide[:, ::2]  # every other pixel: not contiguous
    target = np.zeros(source.shape, np.uint8)
    halves.copyto(target, source, may_split=True)
    assert np.array_equal(target, source)


@pytest.mark.parametrize("nbytes", [halves.SPLIT_FROM, halves.SPLIT_FROM + 1, 9_000_001])
def test_memmove_in_halves_copies_every_byte(nbytes, always_split):
    source = np.random.default_rng(nbytes).integers(0, 256, nbytes, np.uint8)
    target = np.zeros(nbytes + 2, np.uint8)  # one byte of margin each side: nothing written outside
    halves.memmove(target.ctypes.data + 1, source.ctypes.data, nbytes, may_split=True)
    assert np.array_equal(target[1:-1], source) and target[0] == 0 and target[-1] == 0


@needs_two_processors
def test_copies_not_asked_to_split_or_small_ones_leave_the_helper_asleep(always_split):
    source = np.ones(FRAME, np.uint8)
    halves.copyto(np.zeros_like(source), source, may_split=True)  # the helper exists
    before = _helper_cpu_ns()
    for _ in range(5):
        halves.copyto(np.zeros_like(source), source, may_split=False)
        small = np.ones(halves.SPLIT_FROM // 2, np.uint8)
        halves.copyto(np.zeros_like(small), small, may_split=True)
    # Five 8 MB copies would take it milliseconds; asleep, it may still be counted a few µs.
    assert _helper_cpu_ns() - before < 200_000


def test_a_copy_that_fails_raises_and_leaves_the_helper_usable(always_split):
    source = np.ones(FRAME, np.uint8)
    with pytest.raises(TypeError):
        _in_time(lambda: halves.copyto(np.zeros(FRAME, np.uint16), source, may_split=True))
    target = np.zeros_like(source)
    _in_time(lambda: halves.copyto(target, source, may_split=True))
    assert np.array_equal(target, source)


def test_an_interrupt_while_the_helper_copies_is_raised_only_once_its_half_is_over(always_split):
    """Ctrl-C during a publish must not let the segment go (or the frame be shared) while the helper writes it."""

    class Interrupted(Exception):
        pass

    def interrupt(*_: object) -> None:
        raise Interrupted

    main = threading.get_ident()
    finished: list[bool] = []

    def slow_half() -> None:
        signal.pthread_kill(main, signal.SIGALRM)  # the main thread is waiting for this half, or about to
        time.sleep(0.3)
        finished.append(True)

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        with pytest.raises(Interrupted), halves._the_helper().busy:
            halves._the_helper().split(lambda: None, slow_half)
        assert finished, "the interrupt came through while the helper still wrote"
    finally:
        signal.signal(signal.SIGALRM, previous)
    source = np.ones(FRAME, np.uint8)
    target = np.zeros_like(source)
    _in_time(lambda: halves.copyto(target, source, may_split=True))
    assert np.array_equal(target, source), "the copy after the interrupt returned before its half was written"


def test_signals_landing_anywhere_in_a_split_copy_never_overlap_two_halves_nor_hang():
    """A handler that raises runs between any two steps; thousands of them, for two seconds.

    One may end a copy while its half still runs (the caller then shares nothing); the next half must
    still wait for it, and nothing may hang or break the locks.
    """
    done = subprocess.run(
        [sys.executable, str(PROGRAMS / "split_under_signals.py"), "2"], capture_output=True, text=True, timeout=90
    )
    assert done.returncode == 0, done.stderr[-2000:]
    fields = dict(pair.split("=") for pair in done.stdout.split())
    assert int(fields["interrupted"]) > 100, f"too few signals landed to tell: {done.stdout}"
    assert fields["overlaps"] == "0", f"a half began before the one before had ended: {done.stdout}"


def test_a_half_a_signal_left_running_is_waited_for_by_the_next_copy_and_by_wait_idle():
    """What a copy that a signal ended early leaves: its half handed over and still running."""
    helper = halves._the_helper()
    spans: dict[str, tuple[float, float]] = {}

    def timed(name: str, seconds: float) -> None:
        started = time.monotonic()
        time.sleep(seconds)
        spans[name] = (started, time.monotonic())

    for after in ("split", "wait_idle"):
        spans.clear()
        with helper.busy:
            helper.split(lambda: None, lambda: None)  # the helper is idle, as before any copy
        helper._half = halves._Half(lambda: timed("left running", 0.3))
        helper._go.release()
        if after == "split":
            with helper.busy:
                helper.split(lambda: timed("next", 0), lambda: None)
        else:
            halves.wait_idle()
            spans["next"] = (time.monotonic(), time.monotonic())
        assert "left running" in spans, f"{after} did not wait for the half left running"
        assert spans["next"][0] >= spans["left running"][1], f"{after} began before the half left running ended"


def test_a_signal_handler_that_copies_during_a_split_copy_does_not_wait_on_itself():
    program = """
import faulthandler, signal, threading, time, numpy as np
from shareimg.common import halves
faulthandler.dump_traceback_later(20, exit=True)
small = np.ones(1000, np.uint8)
def handler(*_):
    halves.wait_idle()  # as a publisher's next frame would
    halves.copyto(np.zeros_like(small), small, may_split=True)
signal.signal(signal.SIGALRM, handler)
main = threading.get_ident()
helper = halves._the_helper()
with helper.busy:
    helper.split(lambda: None, lambda: (signal.pthread_kill(main, signal.SIGALRM), time.sleep(0.3)))
print("done", flush=True)
"""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == "done\n", done.stderr[-2000:]


def test_two_threads_copying_at_once_both_get_every_byte(always_split):
    sources = [np.full(FRAME, seed, np.uint8) for seed in (1, 2)]
    targets = [np.zeros(FRAME, np.uint8) for _ in sources]

    def copy_many(i: int) -> None:
        for _ in range(20):
            halves.copyto(targets[i], sources[i], may_split=True)

    threads = [threading.Thread(target=copy_many, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads), "a copy hung"
    assert all(np.array_equal(t, s) for t, s in zip(targets, sources, strict=True))


def test_a_forked_child_copies_with_a_helper_of_its_own(always_split):
    source = np.random.default_rng(5).integers(0, 256, FRAME, np.uint8)
    halves.copyto(np.zeros_like(source), source, may_split=True)  # the parent's helper exists
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "multi-threaded, fork() may deadlock": the point
        pid = os.fork()
    if pid == 0:  # the child: copy once more, and say by the exit code whether it was whole
        try:
            target = np.zeros_like(source)
            done = threading.Thread(target=halves.copyto, args=(target, source, True), daemon=True)
            done.start()
            done.join(10)
            os._exit(1 if done.is_alive() else 0 if np.array_equal(target, source) else 2)
        finally:
            os._exit(3)  # never back into the test run
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "1: the child's copy hung; 2: it was not whole; 3: it raised"


@needs_two_processors
def test_frames_published_back_to_back_arrive_whole_in_another_process(key, spawn, always_split):
    """Flat out, each frame's bottom half is the helper's: a commit before it ends shows as a torn frame."""
    frame = np.zeros(FRAME, np.uint8)
    frame[..., 3] = 255

    def publish(index: int) -> None:
        for y in (0, -1):
            for x in (0, -1):
                frame[y, x, :2] = index & 0xFF, index >> 8  # red | green << 8: the probe's pattern index
        publisher.publish(frame)

    with Publisher(key, RAW) as publisher:
        publish(0)
        probe = spawn(PROGRAMS / "probe.py", key, program=sys.executable)
        assert probe.line() == "watching"
        assert probe.fields()["generation"] == "1"
        before = _helper_cpu_ns()
        for index in range(1, 150):
            publish(index)
        split = _helper_cpu_ns() - before
        seen = [probe.fields(timeout=10)]
        while seen[-1]["event"] == "frame" and int(seen[-1]["generation"]) < 150:
            seen.append(probe.fields(timeout=10))
    torn = [line for line in seen if line.get("corners") != str(int(line.get("generation", 0)) - 1)]
    assert not torn, f"{len(torn)} of {len(seen)} frames torn or not frames, first {torn[0]}"
    assert split > 1_000_000, f"the helper ran {split} ns for 149 frames of 8 MB: frames were not split"


@needs_two_processors
def test_a_provider_tries_splitting_frames_that_come_back_to_back_and_only_those(key, monkeypatch):
    monkeypatch.setattr(halves, "_trials", {})  # no size tried yet, as in a new process
    frame = np.ones(FRAME, np.uint8)
    with Publisher(key, RAW) as publisher:
        publisher.publish(frame)
        before = _helper_cpu_ns()
        for _ in range(40):
            publisher.publish(frame)
            time.sleep(0.005)  # a stream at its pace
        paced = _helper_cpu_ns() - before
        for _ in range(halves.TRIAL_COPIES):  # the first trial: the second half of these are split
            publisher.publish(frame)
        flat_out = _helper_cpu_ns() - before - paced
    assert paced < 200_000, f"the helper ran {paced} ns for frames 5 ms apart"
    assert flat_out > 200_000, f"the helper ran {flat_out} ns for frames back to back"


def test_each_size_is_tried_both_ways_and_split_only_while_the_stream_goes_clearly_faster():
    clock = [0]

    def stream(trial: halves.Trial, copies: int, whole_ns: int, split_ns: int) -> list[bool]:
        """``copies`` copies, each way at its pace (the time to the next copy's start); the ways they went."""
        ways = []
        for _ in range(copies):
            ways.append(trial.wants_split())
            trial.started(ways[-1], clock[0])
            clock[0] += split_ns if ways[-1] else whole_ns
        return ways

    trial = halves.Trial()
    ways = stream(trial, halves.TRIAL_COPIES, whole_ns=100, split_ns=60)
    assert ways.count(True) == ways.count(False) == halves.TRIAL_COPIES // 2
    chosen = stream(trial, halves.RETRIAL_EVERY - halves.TRIAL_COPIES, whole_ns=100, split_ns=60)
    # The first copy after the trial goes as before: the pace of the trial's last is known only at its start.
    assert all(chosen[1:]), "split copies kept the faster pace, yet were not chosen"
    stream(trial, halves.TRIAL_COPIES, whole_ns=100, split_ns=120)  # tried again: the machine is busier now
    assert stream(trial, 2, whole_ns=100, split_ns=120)[1:] == [False]
    fresh = halves.Trial()
    stream(fresh, halves.TRIAL_COPIES, whole_ns=100, split_ns=95)
    assert not fresh.wants_split(), "5 % is not worth a second processor"
