"""A temporary folder Qt cannot use (missing, not writable, full) is named, with why, by the programs and windows.

Qt keeps each key's files in ``$TMPDIR``; all it says when it cannot make them is "unable to make key".
A full folder is a real one: a small tmpfs, mounted by the test (root, as CI runs), filled up.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from images import photo_like
from processes import PROGRAMS

PROVIDER = [sys.executable, "-m", "shareimg.provider"]
TO_DO = "Qt keeps the key files there; {} (the same for provider and consumer)"
YOURS = "set TMPDIR to a folder of yours"


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "photo.png"
    assert photo_like(40, 30).save(str(path))
    return path


def _provider(photo: Path, key: str, tmpdir: Path, *, timeout: float = 60) -> subprocess.CompletedProcess:
    """``shareimg-provider PHOTO --headless`` with ``$TMPDIR`` at ``tmpdir``, stopped by SIGTERM after ``published``.

    It must leave no segment (their key files are in ``tmpdir``, looked at by each test).
    """
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    process = subprocess.Popen([*PROVIDER, photo, "--headless", "--key", key], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    first = process.stdout.readline()
    if first.startswith("published"):
        process.terminate()
    out, err = process.communicate(timeout=timeout)
    with open("/proc/sysvipc/shm") as table:  # what ipcs -m -p lists: the creator's pid is the 5th column
        assert [line for line in table if line.split()[4] == str(process.pid)] == []
    return subprocess.CompletedProcess(process.args, process.returncode, first + out, err)


@contextlib.contextmanager
def _small_tmpfs(where: Path, inodes: int = 64) -> Iterator[Path]:
    """A 256 KiB tmpfs at ``where``, open to all like /tmp; skipped where it cannot be mounted, never as root."""
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size=256k,nr_inodes={inodes},mode=1777", "tmpfs", where],
                             capture_output=True, text=True)  # fmt: skip
    if mounted.returncode != 0:
        assert os.geteuid() != 0, f"root could not mount a tmpfs: {mounted.stderr}"
        pytest.skip(f"a full folder needs a tmpfs of its own, and mounting one needs root: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", where], check=True)


def _fill(folder: Path, *, files: bool) -> None:
    """Fill ``folder`` up: with empty files until no inode is left, or with one file until no byte is."""
    try:
        if files:
            for i in range(100_000):
                (folder / f"f{i}").touch()
        else:
            with open(folder / "fill", "wb") as fill:
                while True:
                    fill.write(bytes(65536))
                    fill.flush()
    except OSError as error:
        assert error.errno == errno.ENOSPC, error
        return
    raise AssertionError(f"{folder} never filled up")


def test_a_missing_tmpdir_is_named(key, photo, tmp_path):
    missing = tmp_path / "gone"
    result = _provider(photo, key, missing)
    assert result.returncode == 10, result
    assert (
        result.stderr
        == f"shareimg-provider: TMPDIR '{missing}' does not exist: {TO_DO.format('create it, or ' + YOURS)}\n"
    )
    assert result.stdout == ""


def test_a_full_tmpdir_is_named(key, photo, tmp_path):
    with _small_tmpfs(tmp_path / "full") as full:
        _fill(full, files=True)
        result = _provider(photo, key, full)
    assert result.returncode == 10, result
    free = "free some space in it, or set TMPDIR to another folder"
    assert result.stderr == f"shareimg-provider: TMPDIR '{full}' is full: {TO_DO.format(free)}\n"


def test_a_tmpdir_full_of_bytes_still_shares_and_leaves_no_empty_sources_directory(key, photo, tmp_path):
    """Qt's key files are empty: they still fit.  The announcement does not, and its directory is not left behind."""
    with _small_tmpfs(tmp_path / "full") as full:
        _fill(full, files=False)
        result = _provider(photo, key, full)
        left = sorted(path.name for path in full.iterdir())
    assert result.returncode == 0, result
    assert result.stdout.startswith(f"published key={key} ")
    assert "not announced in the sources directory" in result.stderr and "No space left on device" in result.stderr
    assert left == ["fill"]  # no key file, and no empty shareimg-sources-<uid>


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root, to run the provider as another user (nobody)")
def test_a_tmpdir_not_writable_by_you_is_named(key, tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="shareimg-not-yours-"))  # root's: nobody may look, not write
    folder.chmod(0o755)
    image = folder / "photo.png"
    assert photo_like(20, 20).save(str(image))
    image.chmod(0o644)
    try:
        env = {**os.environ, "TMPDIR": str(folder)}
        result = subprocess.run([sys.executable, PROGRAMS / "as_another_user.py", "provider", image, "--headless",
                                 "--key", key], env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
        left = sorted(path.name for path in folder.iterdir())
    finally:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    assert result.returncode == 10, result
    assert result.stderr == f"shareimg-provider: TMPDIR '{folder}' is not writable by you: {TO_DO.format(YOURS)}\n"
    assert left == ["photo.png"]


def test_the_window_says_it_in_chinese(qtbot, key, photo, tmp_path, monkeypatch, chinese):
    from shareimg.provider.window import ProviderWindow

    missing = tmp_path / "gone"
    monkeypatch.setenv("TMPDIR", str(missing))
    window = ProviderWindow(key)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.failed, timeout=30_000):
        window.share_file(photo)
    assert window.message.text() == (
        f"错误：TMPDIR '{missing}' 不存在：Qt 把键文件放在那里；请创建它，或把 TMPDIR 设为你自己的文件夹"
        "（提供者和消费者须使用同一个）。"
    )
    window.close()
