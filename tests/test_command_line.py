"""The commands behave like Unix tools: a closed pipe, --version, --output's reasons, whole process names
(issue 22, 5; --list with nothing to list is in tests/test_sources.py).  Each runs the installed command."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest
from images import photo_like
from processes import run_program

BIN = Path(sys.executable).parent
COMMANDS = ["shareimg-provider", "shareimg-consumer", "shareimg-demo"]
# Root writes anywhere; without these capabilities it meets permissions as a user does.
AS_A_USER = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []


@pytest.fixture
def still(spawn, key, tmp_path) -> Path:
    """A provider sharing a still image under ``key``."""
    path = tmp_path / "still.png"
    assert photo_like(32, 24).save(str(path))
    assert spawn(path, "--key", key, "--headless", program=BIN / "shareimg-provider").fields()["event"] == "published"
    return path


@contextlib.contextmanager
def _running(argv: list, stdout: int | None = None) -> Iterator[subprocess.Popen]:
    """``argv`` started, its stderr a pipe; killed at the end if the test left it running."""
    process = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE, text=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_says_its_version(command):
    result = run_program([BIN / command, "--version"])
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{command} {version('shareimg')}\n", "")


@pytest.mark.parametrize("shared", ["stream", "still image"])
def test_a_watch_whose_reader_goes_away_ends_as_cat_does(request, spawn, key, shared):
    """``shareimg-consumer --headless --watch | head -1``: killed by SIGPIPE, without a word, as ``cat`` is."""
    if shared == "stream":
        spawn("--pattern", "32x24", "--key", key, "--headless", program=BIN / "shareimg-provider").fields()
    else:
        request.getfixturevalue("still")
    with _running([BIN / "shareimg-consumer", "--headless", "--watch", "--key", key], stdout=subprocess.PIPE) as watch:
        assert watch.stdout.readline().startswith(f"read key={key} ")
        watch.stdout.close()  # head -1 has its line and exits
        assert watch.wait(30) == -signal.SIGPIPE  # a still image writes no second line: it notices all the same
        assert watch.stderr.read() == ""


@pytest.mark.usefixtures("still")
def test_a_watch_started_without_stdout_goes_on_until_stopped(key):
    """``shareimg-consumer --headless --watch >&-``: nothing to write to, no error either; SIGTERM ends it."""
    closed = ["bash", "-c", 'exec >&- && exec "$@"', "watch"]
    with _running([*closed, BIN / "shareimg-consumer", "--headless", "--watch", "--key", key]) as watch:
        with pytest.raises(subprocess.TimeoutExpired):
            watch.wait(3)  # it looks for a reader that went away once a second
        watch.terminate()
        assert watch.wait(30) == 0
        assert watch.stderr.read() == ""


@pytest.mark.usefixtures("still")
def test_output_names_the_reason_it_cannot_save(key, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    for out, reason in [
        (tmp_path / "missing" / "out.png", f"the folder '{tmp_path / 'missing'}' does not exist"),
        (locked / "out.png", f"no permission to write to '{locked}'"),
        (tmp_path / "out.xyz", "Qt cannot write '.xyz' images: use one of "),
        (tmp_path / "out", "the name has no extension: add one, such as .png"),
    ]:
        result = run_program([*AS_A_USER, BIN / "shareimg-consumer", "--headless", "--key", key, "--output", out])
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith(f"shareimg-consumer: cannot save the image to '{out}': {reason}")
        assert result.stderr.count("\n") == 1 and not out.exists()
    locked.chmod(0o755)


def test_list_json_gives_the_whole_process_name_and_fps_to_a_tenth(spawn, key):
    spawn("--pattern", "32x24", "--fps", "30", "--key", key, "--headless", program=BIN / "shareimg-provider").fields()
    result = run_program([BIN / "shareimg-consumer", "--list", "--json"])
    assert result.returncode == 0, result.stderr
    (listed,) = [source for source in json.loads(result.stdout) if source["key"] == key]
    assert listed["process"] == "shareimg-provider"  # comm says "shareimg-provid"
    assert listed["fps"] > 0 and re.fullmatch(r"\d+\.\d", str(listed["fps"])), listed["fps"]
