import threading
import time

import pytest
from shareimg.common.memory import copy


def test_copy_copies_and_checks_sizes():
    target = bytearray(8)
    copy(memoryview(target), b"abc")
    assert target == b"abc\0\0\0\0\0"
    with pytest.raises(ValueError, match="cannot copy 3 bytes into 2"):
        copy(memoryview(target)[:2], b"abc")
    with pytest.raises(BufferError):
        copy(memoryview(b"read-only"), b"x")


def test_copy_lets_other_threads_run():
    size = 300_000_000
    target, source = bytearray(size), bytes(size)
    worker = threading.Thread(target=copy, args=(memoryview(target), source))
    ticks = 0
    worker.start()
    while worker.is_alive():
        time.sleep(0.001)
        ticks += 1
    assert ticks > 5, "the copy held Python's global lock"
