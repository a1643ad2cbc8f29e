"""Build the C++ peer (peer.cpp) against Debian's Qt 5 and Qt 6, once per source change."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

SOURCE = Path(__file__).with_name("peer.cpp")
BUILD = Path(__file__).with_name("build")
PACKAGES = "g++ pkg-config qtbase5-dev qt6-base-dev"


class MissingTools(Exception):
    pass


def peer(major: int) -> Path:
    """The peer built with Qt ``major``; compiled only if the source or Qt changed."""
    if not shutil.which("g++") or not shutil.which("pkg-config"):
        raise MissingTools("g++ or pkg-config is not installed")
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", f"Qt{major}Gui"], capture_output=True, text=True)
    if flags.returncode != 0:
        raise MissingTools(f"Qt {major} development files are not installed")
    digest = hashlib.sha256(SOURCE.read_bytes() + flags.stdout.encode()).hexdigest()[:16]
    target = BUILD / f"peer-qt{major}-{digest}"
    if target.exists():
        return target
    BUILD.mkdir(exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.partial")
    command = ["g++", "-std=c++17", "-O1", "-fPIC", str(SOURCE), *flags.stdout.split(), "-o", str(partial)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"building the Qt {major} peer failed:\n{' '.join(command)}\n{result.stderr}")
    partial.rename(target)  # atomic: a concurrent run never sees half a binary
    return target
