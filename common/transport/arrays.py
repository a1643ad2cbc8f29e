"""numpy arrays published into a ring: checked and described once per kind, copied into slots after."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shareimg.transport.ring import RingWriter
from shareimg.wire.pixels import array_format, numpy_module

if TYPE_CHECKING:
    import numpy


class ArrayKind:
    """Arrays of one shape, dtype and channel order, as a ring's slots take them."""

    def __init__(self, array: numpy.ndarray, bgr: bool) -> None:
        self.image_format = array_format(array, bgr)  # ValueError for an array no image can be
        self.key = (array.shape, array.dtype, bgr)
        self.height, self.width = array.shape[:2]
        self.nbytes = array.nbytes
        self.bytes_per_line = self.nbytes // self.height
        self.ring: RingWriter | None = None
        self._targets: list[numpy.ndarray | None] = []

    def target(self, ring: RingWriter, index: int) -> numpy.ndarray:
        """Slot ``index`` of ``ring`` as an array of this kind, made once per slot."""
        if ring is not self.ring:
            self.ring, self._targets = ring, [None] * ring.header.slot_count
        target = self._targets[index]
        if target is None:
            shape, dtype, _ = self.key
            target = self._targets[index] = numpy_module().ndarray(shape, dtype, buffer=ring.pixels(index, self.nbytes))
        return target
