"""The ring of slots of a ``raw`` segment at work: the provider fills one slot while readers read others.

The bytes are wire/ring_layout.py's.  A reader pins the newest complete slot
(transport/pins.py) and reads it for as long as it likes; the provider claims
only a slot that no reader pins and that is not the newest, and writes a
claimed slot once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import overload

from shareimg.errors import NotAnImage, NothingShared, Overwritten
from shareimg.native.copies import address, kept
from shareimg.native.order import load_acquire, store_release
from shareimg.transport import pins
from shareimg.wire import layout
from shareimg.wire.limits import LIMITS
from shareimg.wire.ring_layout import (
    HEADER,
    MAGIC,
    NEWEST_OFFSET,
    NEXT_OFFSET,
    NO_SLOT,
    PIN_ATTEMPTS,
    SLOT,
    U32,
    RingHeader,
    Slot,
    check_pixels,
    new_tuple,
    read_header,
    read_slot,
)


class RingReader:
    """Pins the newest complete slot of one attached ring segment."""

    def __init__(self, segment: memoryview, pins_key: int) -> None:  # the key its pins must have
        self.header = read_header(segment)
        if not pins.belongs(self.header.pins, self.header.slot_count, pins_key):
            raise NotAnImage(f"its ring names semaphore set {self.header.pins}, which is not its pins")
        self._segment = segment
        self._base = address(segment)
        self._checked: tuple[int, ...] = ()  # the last frame geometry found sane: most frames repeat it
        self._nbytes = 0  # ... and how many bytes of its slot such a frame fills
        self._copy_checked: tuple[int, ...] = ()  # the last frame geometry found to fit in the memory free
        self._committed_at = self._base + layout.doorbell_offset(segment)  # the trailer's, in this process
        self._views: list[memoryview | None] = [None] * self.header.slot_count
        self._ahead = NO_SLOT  # the slot pinned for the frame to come

    @overload
    def pin_newest(self) -> tuple[int, Slot]: ...  # no generation is -1: there is always a newest to pin

    @overload
    def pin_newest(self, newer_than: int) -> tuple[int, Slot] | None: ...

    def pin_newest(self, newer_than: int = -1) -> tuple[int, Slot] | None:
        """Pin the newest complete slot: (index, its descriptor); unpin it when done.

        None if the newest frame is generation ``newer_than`` (one already taken).

        The slot is taken only if it held the same complete generation before and after the pin: a provider that
        began rewriting it meanwhile (it checks pins after marking the slot) costs a retry, never a torn frame.
        The trailer's ``committed`` is loaded with acquire: what this reads after it (``newest``, the
        descriptor, the pixels) is at least as new.
        """
        segment, header = self._segment, self.header
        for _ in range(PIN_ATTEMPTS):
            wanted = load_acquire(self._committed_at)
            if wanted == newer_than:
                return None  # nothing new: a slot pinned ahead stays so
            index = U32.unpack_from(segment, NEWEST_OFFSET)[0]
            if wanted == 0:
                raise NothingShared("the provider has not finished its first frame yet")
            if index >= header.slot_count:
                raise NotAnImage(f"its newest slot is {index}, of {header.slot_count}")
            # The frame came elsewhere, or in a geometry to check: the pin ahead is of no more use.
            self.drop_ahead()
            before = read_slot(segment, index)
            if before.generation != wanted or before.committed != wanted:
                continue  # the newest moved on between our reads
            if not pins.pin(header.pins, index):
                raise NotAnImage(f"its slot pins (semaphore set {header.pins}) are gone")
            slot = read_slot(segment, index)
            if slot != before:
                pins.unpin(header.pins, index)
                continue
            if slot[3:] != self._checked:
                try:
                    check_pixels(header, slot)
                except NotAnImage:
                    pins.unpin(header.pins, index)
                    raise
                self._checked, self._nbytes = slot[3:], slot.nbytes
            return index, slot
        raise Overwritten("the provider kept rewriting the newest slot")

    def take_ahead(self, newer_than: int) -> Slot | None:
        """The descriptor of the frame in the slot pinned ahead, if it is the newest, complete, newer
        than ``newer_than`` and of the geometry last checked; its pin is now the frame's.  Else None.

        Most frames of a stream are found so, by the watcher woken for them: three loads and no system call,
        since the pin came before the commit.  As everywhere, a descriptor counts only once the trailer names
        its generation (a provider killed between its stores published nothing).  With no system call between,
        only the acquire load of ``committed`` keeps the processor from reading the pixels before it.
        """
        index, segment = self._ahead, self._segment
        if index == NO_SLOT:
            return None
        wanted = load_acquire(self._committed_at)
        if wanted == newer_than or U32.unpack_from(segment, NEWEST_OFFSET)[0] != index:
            return None
        slot = read_slot(segment, index)
        if slot[0] != wanted or slot[1] != wanted or slot[3:] != self._checked:
            return None
        self._ahead = NO_SLOT
        return slot

    def pin_ahead(self) -> int:
        """Pin the slot the provider claimed for its next frame, before sleeping until it comes; its index.

        Taking that frame then costs no system call.  The pin holds the provider back from nothing: a slot
        already claimed is written whatever pins come after the claim (a reader reads it only once it is
        committed), and once committed it is left alone while pinned, as any pinned slot.  :meth:`drop_ahead`
        gives the pin back.  NO_SLOT if nothing is claimed, or the claimed slot could not be pinned.
        """
        index: int = U32.unpack_from(self._segment, NEXT_OFFSET)[0]
        if index == self._ahead:
            return index
        self.drop_ahead()
        # ``next`` still naming the newest is a claim not yet replaced: pinning it would only hold that slot back.
        newest = U32.unpack_from(self._segment, NEWEST_OFFSET)[0]
        if index < self.header.slot_count and index != newest and pins.pin(self.header.pins, index):
            self._ahead = index
        return self._ahead

    def drop_ahead(self) -> None:
        if self._ahead != NO_SLOT:
            pins.unpin(self.header.pins, self._ahead)
            self._ahead = NO_SLOT

    def pixels(self, index: int, slot: Slot) -> memoryview:
        start = self.header.slot_offset(index)
        return self._segment[start : start + slot.nbytes]

    def check_copy(self, slot: Slot) -> None:
        """Before a copy of ``slot``'s frame: the memory free, checked once per geometry (a stream repeats one)."""
        if slot[3:] != self._copy_checked:
            LIMITS.check_allocation(slot.width, slot.height, slot.nbytes)
            self._copy_checked = slot[3:]

    def address(self, index: int) -> int:
        """Where slot ``index``'s pixels start in this process."""
        return self._base + self.header.slot_offset(index)

    def view(self, index: int, lend: Callable[[], object] | None) -> memoryview:
        """The pixels of the frame pinned in slot ``index``, read-only, in place.

        Each slot's memory is wrapped once, holding one ``lend()`` -- a loan on the mapping -- which
        every view cut from it keeps: a frame handed over costs a slice, not a new wrapper.
        :meth:`forget_views` lets the loans go.
        """
        whole = self._views[index]
        if whole is None:
            owner = lend() if lend else None
            whole = self._views[index] = kept(owner, self.address(index), self.header.slot_bytes, readonly=True)
        return whole[: self._nbytes]  # a pinned frame has the geometry last checked

    def forget_views(self) -> None:
        """Drop the slots' wrappers (views cut from them keep theirs): the mapping may go once those do."""
        self._views = [None] * self.header.slot_count

    def unpin(self, index: int) -> None:
        pins.unpin(self.header.pins, index)


class RingWriter:
    """The provider's side of a ring: reserve a free slot, fill it, commit it.

    Only the provider writes the ring, so it keeps what it wrote in Python
    (each slot's generation) and reads nothing back: a publish is a few stores.
    """

    def __init__(self, segment: memoryview, slot_count: int, first_slot: int, slot_bytes: int, pin_set: int) -> None:
        self._segment = segment
        self._base = address(segment)
        self.header = RingHeader(slot_count, pin_set, slot_bytes, first_slot, NO_SLOT)
        self._newest = NO_SLOT
        self._committed_at = self._base + layout.doorbell_offset(segment)  # the trailer's, in this process
        self._held = [Slot(0, 0, 0, 0, 0, 0, 0)] * slot_count  # each slot's complete frame, as described
        # The slots, the most recently committed first: its pages are likeliest still in the cache.
        self._order = list(range(slot_count))
        self._ahead = NO_SLOT  # a slot claimed for the next frame
        HEADER.pack_into(segment, 0, MAGIC, slot_count, pin_set, slot_bytes, first_slot, NO_SLOT, NO_SLOT)

    @property
    def ring_bytes(self) -> int:
        return self.header.first_slot + self.header.slot_count * self.header.slot_bytes

    def reserve(self, slot: Slot, wait: float, claim_next: bool = False) -> int:
        """Mark a free slot as being written with ``slot`` (its descriptor); its index.

        Free: not the newest, and pinned by nobody.  The mark comes first and the pins are checked after it, so
        a reader pinning at the same moment either is seen here or sees the mark.  A slot claimed ahead is
        already so marked and stays free: it is taken as it is.  Waits up to ``wait`` seconds for readers that
        pin every other slot; TimeoutError after that.  With ``claim_next``, it then claims the slot for the
        frame after this one (:meth:`claim_ahead`).
        """
        index, self._ahead = self._ahead, NO_SLOT
        if index == NO_SLOT:
            index = self._claim_free(slot, wait)
        if claim_next:
            self.claim_ahead(slot[0] + 1, index)
        return index

    def _claim_free(self, slot: Slot, wait: float) -> int:
        others = self._candidates()
        for i in others:
            if self._claim(i, slot):
                return i
        if not pins.wait_unpinned(self.header.pins, others[0], wait) or not self._claim(others[0], slot):
            raise TimeoutError(f"readers kept all {self.header.slot_count} slots pinned for {wait:g} s")
        return others[0]

    def claim_ahead(self, generation: int, filling: int = NO_SLOT) -> None:
        """Claim the slot the next frame will take, unless one is claimed, and name it in the header.

        Either before a frame's copy (``filling``: that frame's slot) or after its commit; the provider chooses
        (Publisher._reserve).  Before the copy, nothing comes between a ring and the readers it woke: on a
        machine whose processors share a core, that work delays them.  After the commit, the slot the frame
        before left can be the next: two slots take turns, and a stream published flat out copies into memory
        still in the cache.  Readers pin the claimed slot before they sleep (RingReader.pin_ahead); the claim
        came first, so their pins do not keep the provider out.  If every candidate is pinned, nothing is
        claimed.
        """
        if self._ahead != NO_SLOT:
            return
        placeholder = Slot(generation, 0, 0, 0, 0, 0, 0)
        for i in self._candidates():
            if i != filling and self._claim(i, placeholder):
                self._ahead = i
                break
        U32.pack_into(self._segment, NEXT_OFFSET, self._ahead)

    def _candidates(self) -> list[int]:
        """The slots other than the newest, the most recently committed first."""
        if self._newest != NO_SLOT and self._order[0] != self._newest:
            # Kept in order here, not at commit: that is on the way to the doorbell.
            self._order.remove(self._newest)
            self._order.insert(0, self._newest)
        return [i for i in self._order if i != self._newest]

    def _claim(self, index: int, slot: Slot) -> bool:
        at = HEADER.size + index * SLOT.size
        # ``committed`` stays the old one: readers see a frame being written.
        SLOT.pack_into(self._segment, at, slot[0], self._held[index][1], *slot[2:])
        if pins.readers(self.header.pins, index):
            SLOT.pack_into(self._segment, at, *self._held[index])  # a reader pinned it first: as it was
            return False
        return True

    def pixels(self, index: int, nbytes: int) -> memoryview:
        start = self.header.slot_offset(index)
        return self._segment[start : start + nbytes]

    def address(self, index: int) -> int:
        """Where slot ``index``'s pixels start in this process."""
        return self._base + self.header.slot_offset(index)

    def commit(self, index: int, slot: Slot) -> None:
        """Slot ``index`` holds ``slot``'s frame, whole: the newest now.

        Three stores, in the protocol's order: the descriptor (``committed`` among it, geometry and all: a slot
        claimed ahead was only marked), the header's ``newest``, the trailer's ``committed``.  Readers accept a
        descriptor only once the trailer names its generation, so the descriptor's fields are all in place by
        then.  The last is a release store, in one piece: a reader that loads it (with acquire) sees the pixels,
        the descriptor and ``newest`` written before it, on any processor, and never a half-written
        ``committed``.
        """
        held = new_tuple(Slot, (slot[0], slot[0], *slot[2:]))  # committed = generation
        SLOT.pack_into(self._segment, HEADER.size + index * SLOT.size, *held)
        U32.pack_into(self._segment, NEWEST_OFFSET, index)
        store_release(self._committed_at, held[0])
        self._held[index] = held
        self._newest = index


def remove_pins(segment: memoryview, pins_key: int) -> None:
    """Remove the pins a dead provider's ring header names, if its own: private ones, made before pins had keys."""
    meta = layout.unpack(segment)
    if meta is not None and meta.version == layout.RING_VERSION:
        with contextlib.suppress(NotAnImage):
            pins.remove(RingReader(segment, pins_key).header.pins)
