"""The live sources: every provider that shares now, announced or not.

A source is a segment of this user that a running process owns and still
maps, with an image in it; another user's is never mapped (root could).
Announced providers (common.announcements) give it a title; programs that
do not announce (a C++ Qt program) are found under the keys this user used
before and listed as "Qt program".  Every fact but the title comes from the
segment itself -- the trailer, or the PNG header of a Qt stream -- so nothing
can go stale: a provider killed with SIGKILL owns a segment nobody maps and a
pid that no longer runs, and is not listed.  What such a provider left (its
announcement, segment, semaphore and key files) is removed here, by whoever
looks next.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

from shareimg.discovery import announcements
from shareimg.discovery.announcements import Entry
from shareimg.discovery.recent_keys import used_keys
from shareimg.errors import KeyOfAnotherUser, NotAnImage
from shareimg.native.processes import process_name, process_running
from shareimg.transport.codecs import codec_by_id
from shareimg.transport.lock import SegmentLock
from shareimg.transport.peek import Glimpse, glimpse
from shareimg.transport.segment import reclaim, segment_status
from shareimg.wire import layout

#: The title of a source that did not announce itself.
QT_PROGRAM = "Qt program"

# A source whose last frame is older than this many frame intervals (and a second) counts as still.
_STILL_INTERVALS = 2.5
_RATE_WINDOW_NS = 1_000_000_000


@dataclass(frozen=True)
class Source:
    """One live source, as it is now."""

    key: str
    title: str  # QT_PROGRAM when not announced
    pid: int  # the process that shares: the announcer, or the segment's creator
    process: str  # its name, whole (see process_name)
    width: int
    height: int
    codec: str  # "qt" or "raw"
    fps: float  # publications per second lately; 0 for a still image
    generation: int  # the trailer's generation; 0 without a trailer
    announced: bool
    started: float  # when it announced itself (Unix time), 0 if not announced
    shmid: int  # the segment's System V id: changes when the provider makes a new segment
    origin: str = ""  # "HOST/K" for a source received from another machine (shareimg-bridge receive)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def sources(sample_seconds: float = 0.2) -> list[Source]:
    """The live sources, sorted by key.

    A frame rate needs two looks: when a source published within the last
    second, this looks again after ``sample_seconds``.  Raises
    :class:`~common.announcements.SourcesDirectoryError` if the announcement
    directory is not this user's alone.
    """
    scanner = SourceScanner()
    found = scanner.scan()
    now = time.monotonic_ns()
    if sample_seconds > 0 and any(_recent(source, scanner, now) for source in found):
        time.sleep(sample_seconds)
        found = scanner.scan()
    return found


def _recent(source: Source, scanner: SourceScanner, now_ns: int) -> bool:
    samples = scanner.samples.get((source.key, source.pid))
    if not samples:
        return False
    return now_ns - samples[-1][1] < _RATE_WINDOW_NS


class SourceScanner:
    """Looks at the announcements and the segments; keeps recent trailers to tell frame rates."""

    def __init__(self) -> None:
        #: (key, pid) -> the (generation, publish_ns) pairs of about the last second.
        self.samples: dict[tuple[str, int], list[tuple[int, int]]] = {}

    def scan(self) -> list[Source]:
        """The live sources, sorted by key; what dead announcers left is removed on the way."""
        claims = clean_stale()
        found = []
        for key in sorted({entry.key for entry in claims} | set(used_keys())):
            source = self._source(key, [entry for entry in claims if entry.key == key])
            if source is not None:
                found.append(source)
        listed = {(source.key, source.pid) for source in found}
        for ident in [ident for ident in self.samples if ident not in listed]:
            del self.samples[ident]
        return found

    def _source(self, key: str, claims: list[Entry]) -> Source | None:
        status = segment_status(key)
        if status is None or status.attached == 0:
            return None  # nobody maps it: its provider is gone
        try:
            status.check_owner(key)
        except KeyOfAnotherUser:
            return None  # another user's: never mapped, not ours to list (root could map it)
        seen = glimpse(status.shmid, status.size)
        if seen is None:
            return None
        facts = _facts(seen, status.creator_pid)
        if facts is None or not process_running(facts[0]):
            return None
        pid, width, height, codec, generation = facts
        claim = next((entry for entry in claims if entry.pid == pid), None)
        return Source(
            key=key,
            title=claim.title if claim else QT_PROGRAM,
            pid=pid,
            process=process_name(pid),
            width=width,
            height=height,
            codec=codec,
            fps=self._rate(key, seen.metadata),
            generation=generation,
            announced=claim is not None,
            started=claim.started if claim else 0.0,
            shmid=status.shmid,
            origin=claim.origin if claim else "",
        )

    def _rate(self, key: str, meta: layout.Metadata | None) -> float:
        """Publications per second over about the last second, from the trailer's own clock."""
        if meta is None:
            return 0.0
        samples = self.samples.setdefault((key, meta.pid), [])
        if samples and meta.generation < samples[-1][0]:
            samples.clear()  # a new publisher under the same pid
        if not samples or meta.generation != samples[-1][0]:
            samples.append((meta.generation, meta.publish_ns))
        while len(samples) > 2 and samples[1][1] <= meta.publish_ns - _RATE_WINDOW_NS:
            samples.pop(0)
        (first_generation, first_ns), (generation, last_ns) = samples[0], samples[-1]
        if generation == first_generation or last_ns <= first_ns:
            return 0.0
        interval_ns = (last_ns - first_ns) / (generation - first_generation)
        if time.monotonic_ns() - last_ns > max(_STILL_INTERVALS * interval_ns, _RATE_WINDOW_NS):
            return 0.0  # it stopped publishing
        return 1e9 / interval_ns


def _facts(seen: Glimpse, creator_pid: int) -> tuple[int, int, int, str, int] | None:
    """(pid, width, height, codec, generation) of a segment with an image, else None."""
    meta = seen.metadata
    if meta is None:
        size = seen.qt_image_size
        return None if size is None else (creator_pid, *size, "qt", 0)
    if meta.flags & layout.FLAG_RETIRED or meta.committed == 0:
        return None  # left by its provider, or nothing complete in it yet
    try:
        codec = codec_by_id(meta.codec_id).name
    except NotAnImage:
        codec = f"unknown-{meta.codec_id}"
    return meta.pid, meta.width, meta.height, codec, meta.generation


def clean_stale() -> list[Entry]:
    """Remove what announcers that no longer run left behind; returns the announcements of those that run."""
    for path, pid in announcements.leftover_temporaries():
        if not process_running(pid):
            announcements.remove(path)
    claims = announcements.entries()
    live = [entry for entry in claims if process_running(entry.pid)]
    for entry in claims:
        if entry not in live:
            _clean_after(entry)
    return live


def _clean_after(entry: Entry) -> None:
    """Remove what a dead announcer left: its segment, semaphore and key files, then its file.

    Only a segment the dead process created and nobody maps is removed, and only
    while this process holds the key's lock, which a provider takes before it
    creates a segment, so a provider starting under the key is never cut short.
    While a reader still maps the segment, or the lock is busy, the file stays
    (it is never listed) and the next look tries again.
    """
    status = segment_status(entry.key)
    if status is not None and status.creator_pid == entry.pid and status.attached > 0:
        return
    left = status is None or status.creator_pid == entry.pid
    # A live announcer of the same key evicts what is left itself, when it creates its segment.
    if left and not _claimed_by_another(entry) and not _reclaim_locked(entry):
        return
    announcements.remove(entry.path)


def _reclaim_locked(entry: Entry) -> bool:
    """Reclaim the key under its lock if what is there is the dead announcer's; False to try later."""
    lock = SegmentLock(entry.key)
    if not lock.acquire(timeout=0.002, missing_grace=0):
        return False
    status = segment_status(entry.key)
    if status is not None and (status.attached > 0 or status.creator_pid != entry.pid):
        lock.release()
        return status.creator_pid != entry.pid  # someone else's by now: nothing of the dead one is left
    reclaim(entry.key)  # the segment, the semaphore held and the key files
    lock.release()  # nothing to give back if the semaphore went; given back if someone mapped it meanwhile
    return True


def _claimed_by_another(entry: Entry) -> bool:
    try:
        return any(
            other.key == entry.key and other.pid != entry.pid and process_running(other.pid)
            for other in announcements.entries()
        )
    except announcements.SourcesDirectoryError:
        return True
