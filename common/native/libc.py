"""Every function of the system's C libraries that shareimg calls through ctypes, declared in one place.

(shareimg's own C, the memory-order helper order.c, is declared beside it, in
native/order.py: one library, one module.)

Qt exposes neither the System V facts a provider needs (who is attached, who
holds the lock) nor a way to wait without Python's global lock; these calls
do both.  Declaring argument types once lets ctypes convert them in C, which
matters for the calls made on every frame (futex, semop).
"""

from __future__ import annotations

import ctypes
import os
import platform
from collections.abc import Callable

libc = ctypes.CDLL(None, use_errno=True)


class SemBuf(ctypes.Structure):
    _fields_ = [("sem_num", ctypes.c_ushort), ("sem_op", ctypes.c_short), ("sem_flg", ctypes.c_short)]


class TimeSpec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


def timespec(seconds: float) -> TimeSpec:
    return TimeSpec(int(seconds), int((seconds % 1) * 1e9))


IPC_PRIVATE, IPC_CREAT, IPC_EXCL, IPC_RMID, IPC_STAT = 0, 0o1000, 0o2000, 0, 2
SEM_UNDO = 0x1000
GETPID, GETVAL = 11, 12
SHM_RDONLY = 0o10000

libc.ftok.argtypes = [ctypes.c_char_p, ctypes.c_int]
libc.ftok.restype = ctypes.c_int
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
libc.shmat.restype = ctypes.c_void_p
libc.shmdt.argtypes = [ctypes.c_void_p]
libc.shmctl.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_void_p]
libc.semget.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
libc.semop.argtypes = [ctypes.c_int, ctypes.POINTER(SemBuf), ctypes.c_size_t]
libc.semtimedop.argtypes = [ctypes.c_int, ctypes.POINTER(SemBuf), ctypes.c_size_t, ctypes.POINTER(TimeSpec)]

# Their Python types, as ctypes converts them (a c_void_p result is an int, or None for NULL); pointer
# arguments are ``object``: ctypes.byref(...), or None.
ftok: Callable[[bytes, int], int] = libc.ftok
shmat: Callable[[int, int | None, int], int | None] = libc.shmat
shmdt: Callable[[int], int] = libc.shmdt
shmctl: Callable[[int, int, object], int] = libc.shmctl
semget: Callable[[int, int, int], int] = libc.semget
semctl: Callable[[int, int, int], int] = libc.semctl  # variadic in C: (semid, semnum, cmd)
semop: Callable[[int, object, int], int] = libc.semop
semtimedop: Callable[[int, object, int, object], int] = libc.semtimedop
SHMAT_FAILED = ctypes.c_void_p(-1).value


class IpcPerm(ctypes.Structure):
    """The start of ``struct ipc_perm``: key, owner, group, creator, creator's group -- alike on every Linux ABI."""

    _fields_ = [(name, ctypes.c_uint) for name in ("key", "uid", "gid", "cuid", "cgid")]


class IpcStat(ctypes.Structure):
    """What ``IPC_STAT`` fills: ``semid_ds`` or ``shmid_ds``, which begin with ``ipc_perm``; only that is read."""

    _fields_ = [("perm", IpcPerm), ("rest", ctypes.c_ubyte * 256)]  # room for the rest (104 or 112 B on x86-64)


# semctl(semid, 0, IPC_STAT, &IpcStat): the same variadic function, with its fourth argument.
semctl_stat: Callable[[int, int, int, object], int] = libc.semctl

# syscall(SYS_futex, address, operation, value, timeout, address2, value3); None where there are no futexes.
SYS_FUTEX = {"x86_64": 202, "aarch64": 98, "arm64": 98, "riscv64": 98, "ppc64le": 221, "s390x": 238}.get(
    platform.machine()
)
FUTEX_WAIT, FUTEX_WAKE = 0, 1  # shared between processes: not the _PRIVATE variants
futex: Callable[[int, int, int, int, object, object, int], int] = ctypes.CFUNCTYPE(
    ctypes.c_long,
    ctypes.c_long,
    ctypes.c_void_p,
    ctypes.c_int,
    ctypes.c_uint,
    ctypes.POINTER(TimeSpec),
    ctypes.c_void_p,
    ctypes.c_int,
    use_errno=True,
)(("syscall", libc))

# madvise(address, length, advice): MADV_HUGEPAGE for large copies, as numpy does for its arrays.
madvise: Callable[[int, int, int], int] = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, use_errno=True
)(("madvise", libc))
MADV_HUGEPAGE = 14

# PyByteArray_FromStringAndSize(NULL, n), public C API: a bytearray whose bytes are left as malloc gave them.
uninitialised_bytearray: Callable[[None, int], bytearray] = ctypes.PYFUNCTYPE(
    ctypes.py_object, ctypes.c_void_p, ctypes.c_ssize_t
)(("PyByteArray_FromStringAndSize", ctypes.pythonapi))


def get_errno() -> int:
    return ctypes.get_errno()


def last_error() -> str:
    """The text of the last failed call's errno."""
    return os.strerror(ctypes.get_errno())
