"""Copy large buffers without holding Python's global lock.

A slice assignment between memoryviews copies while holding the GIL, and the
first write into a new segment also takes the page faults of its whole size:
a 100 MB image froze a window for a third of a second.  ctypes.memmove lets
other threads, the GUI's among them, run meanwhile.
"""

from __future__ import annotations

import ctypes
import functools


class _PyBuffer(ctypes.Structure):
    _fields_ = [
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.py_object),
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.c_void_p),
        ("strides", ctypes.c_void_p),
        ("suboffsets", ctypes.c_void_p),
        ("internal", ctypes.c_void_p),
    ]


_PyBUF_SIMPLE, _PyBUF_WRITABLE = 0, 1
_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(_PyBuffer)]


def copy(target: memoryview, source: object) -> None:
    """``target[:len(source)] = source`` for contiguous byte buffers, without the GIL."""
    dst = _PyBuffer()
    _get_buffer(target, ctypes.byref(dst), _PyBUF_WRITABLE)
    try:
        copy_to(dst.buf, dst.len, source)
    finally:
        _release_buffer(ctypes.byref(dst))


def copy_to(at: int, capacity: int, source: object) -> None:
    """Copy the contiguous bytes of ``source`` to address ``at``, which holds ``capacity``, without the GIL."""
    src = _PyBuffer()
    _get_buffer(source, ctypes.byref(src), _PyBUF_SIMPLE)
    try:
        if src.len > capacity:
            raise ValueError(f"cannot copy {src.len} bytes into {capacity}")
        ctypes.memmove(at, src.buf, src.len)
    finally:
        _release_buffer(ctypes.byref(src))


def address(view: object) -> int:
    """Where a buffer's bytes start in this process (read-only buffers included)."""
    buffer = _PyBuffer()
    _get_buffer(view, ctypes.byref(buffer), _PyBUF_SIMPLE)
    try:
        return buffer.buf
    finally:
        _release_buffer(ctypes.byref(buffer))


@functools.lru_cache(maxsize=16)
def _holder(nbytes: int) -> type:
    # A subclass, unlike the ctypes array type itself, takes an attribute: the owner.
    return type("Kept", (ctypes.c_ubyte * nbytes,), {})


def kept(owner: object, at: int, nbytes: int, readonly: bool = False) -> memoryview:
    """The ``nbytes`` at address ``at`` as a buffer that keeps ``owner``, whose memory they are, alive.

    Arrays and images made from it hold it, so the memory (a QImage's pixels, a
    mapped segment) outlives every one of them, however long they are kept.
    ``readonly`` for memory mapped read-only: a write would crash the process.
    """
    holder = _holder(nbytes).from_address(at)
    holder.owner = owner
    view = memoryview(holder).cast("B")
    return view.toreadonly() if readonly else view
