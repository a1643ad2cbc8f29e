"""How large an image shareimg agrees to decode.

Any process of the same user can write the segment, and any file can claim
any size in its header: sizes are checked against these limits before memory
is allocated, so a lie costs an error message, not the process.  Where the
pixels are about to be allocated, the memory the machine has free is checked
too: an image that fits the limits but not the machine is refused the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QImageReader

from shareimg.errors import ImageTooLarge, NotAnImage
from shareimg.native.meminfo import available_bytes


@dataclass
class Limits:
    max_side: int = 16384
    max_megabytes: int = 1024

    def check(self, width: int, height: int, nbytes: int) -> None:
        """Raise :class:`NotAnImage` unless a ``width`` x ``height`` image of ``nbytes`` is within the limits."""
        if width <= 0 or height <= 0:
            raise NotAnImage(f"it claims a size of {width}x{height} pixels")
        if width > self.max_side or height > self.max_side:
            raise ImageTooLarge(width, height, nbytes, ImageTooLarge.SIDE, self.max_side)
        if nbytes > self.max_megabytes << 20:
            raise ImageTooLarge(width, height, nbytes, ImageTooLarge.LIMIT, self.max_megabytes)

    def check_allocation(self, width: int, height: int, nbytes: int) -> None:
        """:meth:`check`, and that the machine has ``nbytes`` free: asked just before they are allocated.

        A view of pixels already in a segment allocates nothing and needs only :meth:`check`.
        """
        self.check(width, height, nbytes)
        free = available_bytes()
        if free is not None and nbytes > free:
            raise ImageTooLarge(width, height, nbytes, ImageTooLarge.MEMORY, free >> 20)

    def check_decoding(self, width: int, height: int) -> None:
        """:meth:`check_allocation` for an image a decoder is about to make: 4 bytes a pixel, as Qt's
        32-bit formats take (a 16-bit PNG takes 8; Qt's own allocation limit, :meth:`configure`, covers those)."""
        self.check_allocation(width, height, width * height * 4)

    def configure(self, reader: QImageReader) -> None:
        reader.setAllocationLimit(self.max_megabytes)


LIMITS = Limits()


def set_limits(max_side: int | None = None, max_megabytes: int | None = None) -> None:
    """Change the limits for this process (defaults: 16384 pixels on a side, 1024 MiB)."""
    if max_side is not None:
        LIMITS.max_side = max_side
    if max_megabytes is not None:
        LIMITS.max_megabytes = max_megabytes
