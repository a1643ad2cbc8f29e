import importlib
import sys
import threading
import time

import pytest

from shareimg.native.copies import copied, copy


def test_copy_copies_and_checks_sizes():
    target = bytearray(8)
    copy(memoryview(target), b"abc")
    assert target == b"abc\0\0\0\0\0"
    with pytest.raises(ValueError, match="cannot copy 3 bytes into 2"):
        copy(memoryview(target)[:2], b"abc")
    with pytest.raises(BufferError):
        copy(memoryview(b"read-only"), b"x")


@pytest.fixture(params=["numpy", "no-numpy"])
def copier(request, monkeypatch):
    """``copied`` as a program that uses numpy gets it, and as one that does not."""
    numpy = importlib.import_module("numpy") if request.param == "numpy" else None
    monkeypatch.setitem(sys.modules, "numpy", numpy)  # None: as if never imported
    return copied


def test_copied_is_a_writable_copy_of_the_bytes(copier):
    source = bytes(range(256)) * 40_000  # above the size that asks for huge pages
    copy_ = copier(memoryview(source).toreadonly())
    assert not copy_.readonly and copy_.nbytes == len(source) and copy_ == source
    copy_[0] = 255
    assert source[0] == 0


def test_copied_lets_other_threads_run(copier):
    _assert_copies_without_the_gil(copier)


def test_copy_lets_other_threads_run():
    size = 300_000_000
    target = bytearray(size)
    _assert_copies_without_the_gil(lambda source: copy(memoryview(target), source), size)


def _assert_copies_without_the_gil(copy_call, size: int = 300_000_000) -> None:
    source = bytes(size)
    worker = threading.Thread(target=copy_call, args=(source,))
    ticks = 0
    worker.start()
    while worker.is_alive():
        time.sleep(0.001)
        ticks += 1
    assert ticks > 5, "the copy held Python's global lock"
