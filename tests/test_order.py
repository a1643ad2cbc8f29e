"""Memory order by construction (common/native/order.py): ordered stores seen whole and in order by
another process, the trailer's ``committed`` never seen torn, and the helper's instructions on
x86-64 and aarch64 (docs/PROTOCOL.md, "Memory order")."""

from __future__ import annotations

import os
import platform
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from foreign import ForeignReader
from processes import PROGRAMS, ROOT
from PySide6.QtCore import QSharedMemory

from shareimg.errors import NothingShared, Overwritten
from shareimg.native import order
from shareimg.native.copies import address
from shareimg.transport import pins
from shareimg.transport.keys import key_file
from shareimg.transport.ring import RingReader
from shareimg.wire import layout

COUNT = 1_000_000
SOURCE = ROOT / "common" / "native" / "order.c"


def _watch(process, load) -> tuple[int, int, int]:
    """Load until the writer stores COUNT: (loads, zeros seen once it began, values that went back)."""
    loads = zeros = back = last = 0
    while last != COUNT:
        for _ in range(10_000):
            value = load()
            zeros += value == 0 < last
            back += value < last
            last = max(last, value)
        loads += 10_000
        if process.popen.poll() is not None and load() != COUNT:
            pytest.fail(f"the writer stopped at {load()}: {process.popen.stderr.read()}")
    return loads, zeros, back


@pytest.mark.parametrize("how", ["store_release", "commit"])
def test_another_process_never_sees_a_stored_value_torn_or_going_back(key, spawn, how):
    """A writer stores 1, 2, ... COUNT; a reader in another process loads all along. Before order.py,
    the trailer's commit was struct.pack_into, which writes zeros first: readers saw 0 (1.8 % of loads)."""
    shm = QSharedMemory(QSharedMemory.legacyNativeKey(key))
    assert shm.create(4096), shm.errorString()
    try:
        segment = shm.data()
        start = address(segment)
        writer = spawn(PROGRAMS / "committer.py", key, COUNT, how, program=sys.executable)
        if how == "store_release":
            at = start + 8
            load = lambda: order.load_acquire(at)  # noqa: E731
        else:
            load = lambda: layout.committed(segment)  # noqa: E731
        order.store_release(start, 1)  # go
        loads, zeros, back = _watch(writer, load)
        assert writer.popen.wait(30) == 0
        assert (zeros, back) == (0, 0), f"of {loads} loads, {zeros} saw 0 and {back} went back"
    finally:
        shm.detach()
        del shm  # not kept by a failure's traceback: its key file goes with it


def test_a_ring_reader_never_sees_a_commit_torn(key, spawn):
    """Through RingWriter.commit and RingReader.pin_newest: a torn ``committed`` of 0 made the reader say
    "the provider has not finished its first frame yet" while it streamed."""
    frames = 100_000
    writer = spawn(PROGRAMS / "committer.py", key, frames, "ring", program=sys.executable)
    assert writer.line() == "ready"
    reader = ForeignReader(key)
    try:
        ring = RingReader(reader.shm.constData(), pins.pins_key(key_file(key)))
        os.kill(writer.pid, signal.SIGUSR1)  # go
        seen, nothing, taken = 1, 0, 0
        while seen < frames:
            try:
                pinned = ring.pin_newest(newer_than=seen)
            except NothingShared:
                nothing += 1
                continue
            except Overwritten:
                continue  # the provider outran this reader: it looks again, as a watcher does
            if pinned is not None:
                index, slot = pinned
                ring.unpin(index)
                assert slot.generation > seen
                seen, taken = slot.generation, taken + 1
        assert nothing == 0, f"{nothing} looks saw no frame while {taken} frames were taken"
    finally:
        ring.drop_ahead()
        reader.close()
        os.kill(writer.pid, signal.SIGUSR1)  # stop
        assert writer.popen.wait(30) == 0


def _disassembly(objdump: str, library: Path) -> dict[str, str]:
    """Each function's instructions in ``library``, by name."""
    text = subprocess.run([objdump, "-d", "--no-show-raw-insn", library], check=True, capture_output=True, text=True)
    return {name: body for name, body in re.findall(r"<(\w+)>:\n(.*?)(?:\n\n|\Z)", text.stdout, re.S)}


def _cross_tools() -> tuple[str, str]:
    gcc, objdump = shutil.which("aarch64-linux-gnu-gcc"), shutil.which("aarch64-linux-gnu-objdump")
    if gcc is None or objdump is None:
        pytest.skip("no aarch64 cross compiler (tools/system-deps.sh test installs gcc-aarch64-linux-gnu)")
    return gcc, objdump


@pytest.mark.parametrize("optimise", ["-O0", "-O2", "-O3"])
def test_on_aarch64_the_helper_is_stlr_ldar_and_dmb(tmp_path, optimise):
    """What the compiler makes of order.c for an ARM processor, at any optimisation: a release store,
    an acquire load and barriers, not the plain str/ldr that struct's memcpy is."""
    gcc, objdump = _cross_tools()
    library = tmp_path / "order.so"
    subprocess.run([gcc, optimise, "-fPIC", "-shared", "-o", library, SOURCE], check=True)
    code = _disassembly(objdump, library)
    assert re.search(r"\bstlr\s+x1, \[x0\]", code["store_release_u64"]), code["store_release_u64"]
    assert re.search(r"\b(ldar|ldapr)\s+x0, \[x0\]", code["load_acquire_u64"]), code["load_acquire_u64"]
    assert re.search(r"\bdmb\s+ish\b", code["fence_release"]), code["fence_release"]
    assert re.search(r"\bdmb\s+ish(ld)?\b", code["fence_acquire"]), code["fence_acquire"]


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the x86-64 build is checked on x86-64")
def test_on_x86_64_the_built_helper_is_plain_movs(tmp_path):
    """x86-64 keeps stores in order (TSO): the ordered store and load are one plain mov each, no lock
    prefix, no xchg, no mfence; the fences are no instruction at all."""
    objdump = shutil.which("objdump")
    if objdump is None:
        pytest.skip("no objdump (binutils, which gcc brings)")
    code = _disassembly(objdump, Path(order._library._name))
    assert re.fullmatch(r"\s*\w+:\s+mov\s+%rsi,\(%rdi\)\s*\n\s*\w+:\s+ret\b.*", code["store_release_u64"], re.S)
    assert re.fullmatch(r"\s*\w+:\s+mov\s+\(%rdi\),%rax\s*\n\s*\w+:\s+ret\b.*", code["load_acquire_u64"], re.S)
    for fence in ("fence_release", "fence_acquire"):
        assert re.fullmatch(r"\s*\w+:\s+ret\b.*", code[fence], re.S), code[fence]
    assert not re.search(r"\b(lock|xchg|mfence)\b", "".join(code.values()))
