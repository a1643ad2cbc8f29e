"""The two programs as real processes, through the command lines the README documents."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from foreign import ForeignSegment
from images import photo_like, png_claiming, same_pixels
from processes import python_module, run, run_program
from PySide6.QtGui import QImage

from shareimg import Publisher, read_shared, segment_status
from shareimg.assets import SAMPLE_IMAGE
from shareimg.transport.keys import key_file


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "sample.png"
    assert photo_like(160, 90, seed=7).save(str(path))
    return path


def test_headless_provider_to_library_and_headless_consumer(key, spawn, sample, tmp_path):
    provider = spawn("shareimg.provider", sample, "--key", key, "--headless")
    published = provider.fields()
    assert published["event"] == "published"
    assert (published["key"], published["width"], published["height"]) == (key, "160", "90")
    assert int(published["bytes"]) > 0

    assert same_pixels(read_shared(key).image, QImage(str(sample)))

    out = tmp_path / "out.png"
    result = run("shareimg.consumer", "--key", key, "--headless", "--output", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:4] == ["read", f"key={key}", "width=160", "height=90"]
    assert same_pixels(QImage(str(out)), QImage(str(sample)))

    assert provider.stop() == 0
    assert segment_status(key) is None
    assert not key_file(key).exists()


@pytest.mark.parametrize("codec", ["qt", "raw"])
def test_library_provider_to_consumer_process(key, tmp_path, codec):
    from shareimg import CODECS

    image = photo_like(64, 48, seed=3)
    out = tmp_path / "out.png"
    with Publisher(key, CODECS[codec]) as publisher:
        publisher.publish(image)
        result = run("shareimg.consumer", "--key", key, "--headless", "--output", out)
    assert result.returncode == 0, result.stderr
    assert f"codec={codec}" in result.stdout
    assert same_pixels(QImage(str(out)), image)


def test_sigint_also_detaches(key, spawn, sample):
    provider = spawn("shareimg.provider", sample, "--key", key, "--headless")
    provider.fields()
    assert provider.stop(signal.SIGINT) == 0
    assert segment_status(key) is None


def test_consumer_with_nothing_shared_exits_3(key):
    result = run("shareimg.consumer", "--key", key, "--headless")
    assert result.returncode == 3
    assert f"nothing is shared under key '{key}'" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_consumer_with_garbage_exits_4(key):
    other = ForeignSegment(key, b"\x00\x00\x00\x01not a png at all")
    try:
        result = run("shareimg.consumer", "--key", key, "--headless")
    finally:
        other.close()
    assert result.returncode == 4
    # A marker and no image after it: no Qt image stream, and no trailer of ours (issue 24, 6).
    assert f"the segment under key '{key}' holds 20 bytes that are neither shareimg's nor a Qt image" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "make_input, reason",
    [
        (lambda d: d / "missing.png", "no such file"),
        (lambda d: d, "folder"),
        (lambda d: _write(d / "notes.png", b"this is text, not a PNG\n"), "cannot load"),
        (lambda d: _write(d / "empty.png", b""), "cannot load"),
    ],
    ids=["missing", "folder", "text-named-png", "empty"],
)
def test_provider_with_an_unloadable_file_exits_5(key, tmp_path, make_input, reason):
    result = run("shareimg.provider", make_input(tmp_path), "--key", key, "--headless")
    assert result.returncode == 5
    assert reason in result.stderr
    assert "Traceback" not in result.stderr
    assert segment_status(key) is None


def _unreadable(directory):
    path = _write(directory / "secret.png", photo_png())
    path.chmod(0)
    return path


def photo_png() -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    photo_like(20, 20).save(buffer, "PNG")
    return bytes(data.data())


@pytest.mark.parametrize(
    "make_input, reason",
    [
        (lambda d: _fifo(d / "pipe.png"), "not a regular file"),
        (_unreadable, "Permission denied"),
        (lambda d: _write(d / "huge.png", png_claiming(100_000, 100_000)), "limit"),
        (lambda d: _write(d / "data.xyz", bytes(range(256)) * 8), "cannot load"),
        (lambda d: _write(d / "cut.png", photo_png()[:60]), "cannot load"),
    ],
    ids=["named-pipe", "unreadable", "claims-100000px", "unsupported-format", "truncated"],
)
def test_hostile_files_fail_fast_with_exit_5(key, tmp_path, make_input, reason):
    # Root reads every file; without these capabilities it meets permissions as a user does.
    as_a_user = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    started = time.monotonic()
    result = run_program(
        [*as_a_user, *python_module("shareimg.provider", make_input(tmp_path), "--key", key, "--headless")]
    )
    assert time.monotonic() - started < 15
    assert result.returncode == 5, result.stderr
    assert reason in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def _fifo(path):
    os.mkfifo(path)
    return path


def test_usage_errors_exit_2_with_one_line(key):
    for program, args, said in [
        ("shareimg.provider", ("--headless", "--key", key), "shareimg-provider: --headless needs an IMAGE"),
        ("shareimg.consumer", ("--key", "bad key"), "shareimg-consumer: argument --key: invalid key 'bad key'"),
        ("shareimg.consumer", ("--output", "x.png"), "shareimg-consumer: "),
        ("shareimg.provider", ("--wacth",), "shareimg-provider: unrecognized arguments: --wacth"),
        ("shareimg.provider.demo", ("--lang", "fr"), "shareimg-demo: argument --lang: invalid choice: 'fr'"),
    ]:
        result = run(program, *args)
        assert result.returncode == 2, (program, args, result.stderr)
        assert result.stderr.count("\n") == 1 and result.stderr.startswith(said), (program, args, result.stderr)


def test_second_provider_on_the_same_key_is_refused(key, spawn, sample):
    first = spawn("shareimg.provider", sample, "--key", key, "--headless")
    pid = first.fields()["pid"]
    result = run("shareimg.provider", sample, "--key", key, "--headless")
    assert result.returncode == 6
    assert f"another program (pid {pid}) is already sharing under key '{key}'" in result.stderr
    assert same_pixels(read_shared(key).image, QImage(str(sample)))  # the first one still shares


def test_a_provider_killed_with_sigkill_is_reclaimed(key, spawn, sample, tmp_path):
    doomed = spawn("shareimg.provider", sample, "--key", key, "--headless")
    doomed.fields()
    doomed.stop(signal.SIGKILL)
    stale = segment_status(key)
    assert stale is not None and stale.attached == 0

    other_image = tmp_path / "other.png"
    photo_like(50, 70, seed=9).save(str(other_image))
    successor = spawn("shareimg.provider", other_image, "--key", key, "--headless")
    assert successor.fields()["width"] == "50"
    assert same_pixels(read_shared(key).image, QImage(str(other_image)))
    assert successor.stop() == 0
    assert segment_status(key) is None


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_provider_exits_promptly_on_sigterm(key, spawn, sample):
    provider = spawn("shareimg.provider", sample, "--key", key, "--headless")
    provider.fields()
    started = time.monotonic()
    assert provider.stop() == 0
    assert time.monotonic() - started < 5


def test_demo_starts_both_apps_and_closing_it_closes_both(key, spawn):
    """shareimg-demo, offscreen: the provider shares the sample, the consumer watches, SIGTERM ends all."""
    demo = spawn("shareimg.provider.demo", "--key", key)
    deadline = time.monotonic() + 30
    children: list[int] = []
    while time.monotonic() < deadline and len(children) < 2:
        time.sleep(0.2)
        children = [int(pid) for pid in Path(f"/proc/{demo.pid}/task/{demo.pid}/children").read_text().split()]
    assert len(children) == 2, "the demo did not start the provider and the consumer"
    consumer = [pid for pid in children if b"shareimg.consumer" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert b"--sources" in Path(f"/proc/{consumer[0]}/cmdline").read_bytes().split(b"\0")  # the panel shown
    shared = read_shared(key)
    assert same_pixels(shared.image, QImage(str(SAMPLE_IMAGE)))
    assert demo.stop() == 0
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
    assert segment_status(key) is None
