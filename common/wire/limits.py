"""How large an image shareimg agrees to decode.

Any process of the same user can write the segment, and any file can claim
any size in its header: sizes are checked against these limits before memory
is allocated, so a lie costs an error message, not the process.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QImageReader

from shareimg.errors import NotAnImage


@dataclass
class Limits:
    max_side: int = 16384
    max_megabytes: int = 1024

    def check(self, width: int, height: int, nbytes: int) -> None:
        """Raise :class:`NotAnImage` unless a ``width`` x ``height`` image of ``nbytes`` is acceptable."""
        if width <= 0 or height <= 0:
            raise NotAnImage(f"it claims a size of {width}x{height} pixels")
        if width > self.max_side or height > self.max_side:
            raise NotAnImage(f"{width}x{height} pixels is more than the limit of {self.max_side} on a side")
        if nbytes > self.max_megabytes << 20:
            raise NotAnImage(
                f"{width}x{height} pixels needs {nbytes >> 20} MiB, more than the {self.max_megabytes} MiB limit"
            )

    def configure(self, reader: QImageReader) -> None:
        reader.setAllocationLimit(self.max_megabytes)


LIMITS = Limits()


def set_limits(max_side: int | None = None, max_megabytes: int | None = None) -> None:
    """Change the limits for this process (defaults: 16384 pixels on a side, 1024 MiB)."""
    if max_side is not None:
        LIMITS.max_side = max_side
    if max_megabytes is not None:
        LIMITS.max_megabytes = max_megabytes
