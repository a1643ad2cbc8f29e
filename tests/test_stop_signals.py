"""SIGINT, SIGTERM and SIGHUP stop every app at any moment of its start-up, quietly, leaving nothing behind.

Each app is a real process.  The signals are sent from the moment its main has
held them (its first line; before that, Python's own start-up is not ours) to
well after it shares or watches: at least ten moments from 0 to 0.5 s.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from processes import free_port, python_module

from shareimg.assets import SAMPLE_IMAGE
from shareimg.discovery import announcements
from shareimg.transport.keys import key_files
from shareimg.transport.segment import segment_status

STOPS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
MOMENTS = [0.05 * step for step in range(11)]  # after the signals are held: 0 to 0.5 s
# What a stop must never print: Python's traceback of a KeyboardInterrupt, shiboken's abort.
NOISE = ("Traceback", "KeyboardInterrupt", "could not initialize", "Fatal Python error")

APPS: dict[str, Callable[[str], list[str]]] = {
    "provider, still": lambda key: python_module("shareimg.provider", "--headless", SAMPLE_IMAGE, "--key", key),
    "provider, stream": lambda key: python_module(
        "shareimg.provider", "--headless", "--pattern", "320x240", "--key", key
    ),
    "provider window": lambda key: python_module("shareimg.provider", SAMPLE_IMAGE, "--key", key),
    "consumer, watching": lambda key: python_module("shareimg.consumer", "--headless", "--watch", "--key", key),
    "consumer window": lambda key: python_module("shareimg.consumer", "--key", key),
    # zenoh's session starts threads of its own: a stop during its start-up must end it as quietly.
    "bridge, send": lambda key: python_module(
        "shareimg.bridge", "send", "--key", key, "--listen", f"tcp/127.0.0.1:{free_port()}"
    ),
    "bridge, receive": lambda key: python_module(
        "shareimg.bridge", "receive", f"nobody/{key}", "--connect", f"tcp/127.0.0.1:{free_port()}"
    ),
}


def _holds_stops(pid: int) -> bool:
    """Whether the process catches SIGTERM, which Python leaves alone until a program's main holds it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    caught = int(next(line for line in status.splitlines() if line.startswith("SigCgt:")).split()[1], 16)
    return bool(caught & (1 << (signal.SIGTERM - 1)))


def _start(argv: list[str], tmp_path: Path, ignore: tuple[int, ...] = ()) -> subprocess.Popen[str]:
    def ignored() -> None:
        for signum in ignore:
            signal.signal(signum, signal.SIG_IGN)

    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path, preexec_fn=ignored
    )
    deadline = time.monotonic() + 30
    while not _holds_stops(process.pid):
        assert process.poll() is None, f"ended before holding the stop signals: {process.communicate()}"
        assert time.monotonic() < deadline, "never held the stop signals"
        time.sleep(0.002)
    return process


def _left_under(key: str) -> list[str]:
    left = [str(path) for path in key_files(key)]
    if segment_status(key) is not None:
        left.append("its segment")
    left += [f"announcement {entry.pid}" for entry in announcements.entries() if entry.key == key]
    return left


@pytest.mark.parametrize("app", APPS)
def test_a_stop_signal_at_any_moment_of_start_up_ends_the_app_quietly_leaving_nothing(app, keys, tmp_path):
    runs = []
    for index, moment in enumerate(MOMENTS):
        key = keys()
        stop = STOPS[index % len(STOPS)]
        process = _start(APPS[app](key), tmp_path)
        time.sleep(moment)
        process.send_signal(stop)
        runs.append((key, moment, stop, process))
    for key, moment, stop, process in runs:
        try:
            out, err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGABRT)  # faulthandler (on in every app) says where each thread was
            try:
                out, err = process.communicate(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                out, err = process.communicate()
            pytest.fail(f"{app}: {stop.name} at {moment:.2f} s did not end it: {err}")
        said = f"{app}: {stop.name} at {moment:.2f} s: exit {process.returncode}, stderr {err!r}"
        assert process.returncode == 0, said
        assert not any(noise in err for noise in NOISE), said
        assert not _left_under(key), f"{said}; left: {_left_under(key)}"


def test_a_stop_after_sharing_began_ends_a_stream_with_its_stopped_line(keys, tmp_path):
    for stop in STOPS:
        key = keys()
        process = _start(APPS["provider, stream"](key), tmp_path)
        assert process.stdout is not None
        assert process.stdout.readline().startswith("streaming ")
        process.send_signal(stop)
        out, err = process.communicate(timeout=20)
        assert process.returncode == 0 and out.startswith("stopped "), (stop.name, out, err)
        assert not _left_under(key)


def test_a_hang_up_the_app_was_started_to_ignore_stays_ignored(keys, tmp_path):
    key = keys()
    # nohup: the user wants the provider to outlive the terminal.
    process = _start(APPS["provider, stream"](key), tmp_path, ignore=(signal.SIGHUP,))
    assert process.stdout is not None
    assert process.stdout.readline().startswith("streaming ")
    process.send_signal(signal.SIGHUP)
    with pytest.raises(subprocess.TimeoutExpired):
        process.wait(1.0)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 0 and out.startswith("stopped "), (out, err)
