"""Receive a source from another machine into a local key: ``shareimg.network.receive`` and ``shareimg-bridge receive``.

zenoh hands each frame to a callback that only keeps it, replacing any frame
not yet shared: the receiver holds at most one.  One thread checks the frame
like a hostile segment (the attachment, every size before any allocation,
the decoder's own header) and shares it under the local key with the
ordinary publisher, announced with where it came from, so that every local
reader sees the remote source with no change.  The source's publish time
travels with the frame and is kept in the local key, so a reader's latency
is measured end to end (with the two machines' clocks in step).  A frame
refused is counted and said; what the key shares stays.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shareimg.discovery.announced import Publisher
from shareimg.errors import NotAnImage, ShareImgError
from shareimg.network import payloads
from shareimg.network.session import DEFAULT_PORT, open_session
from shareimg.transport import codecs
from shareimg.transport.keys import validate_key
from shareimg.transport.unclosed import close_unclosed
from shareimg.wire import network_layout as wire


@dataclass(frozen=True)
class Arrival:
    """The last frame shared locally: what it is, and how long it took."""

    width: int
    height: int
    codec: str  # on the network: jpeg, png or raw
    latency_ms: float  # from the source's publish to the frame readable under the local key
    network_ms: float  # from the sender's put to its arrival here
    payload_bytes: int


class Receiver:
    """Shares the remote source ``HOST/KEY`` under a local key until closed.

    >>> with shareimg.network.receive("rig/camera", key="camera") as receiver:
    ...     receiver.wait_shared(10)
    """

    def __init__(
        self,
        name: str,
        *,
        key: str | None = None,
        listen: Sequence[str] = (),
        connect: Sequence[str] | None = None,
        zenoh_config: str | Path | None = None,
    ) -> None:
        self.host, self.remote_key = wire.split_name(name)
        self.name = wire.source_name(self.host, self.remote_key)
        self.key = validate_key(key or self.remote_key)
        if connect is None:  # the sender's default endpoint on the machine the name names
            connect = [] if listen or zenoh_config else [f"tcp/{self.host}:{DEFAULT_PORT}"]
        self.connect = list(connect)
        #: Frames received, shared locally, refused (their last reason in :attr:`refusal`).
        self.received = self.shared = self.refused = 0
        self.refusal: str | None = None
        #: What ended the receiver (the local key cannot be used, for one), else None.
        self.failure: ShareImgError | None = None
        self.last: Arrival | None = None
        self._newest: tuple[bytes | None, bytes, int] | None = None  # attachment, payload, arrival time
        self._shown = (0, 0)  # the publish time and seq of the frame shared last
        self._shape: tuple[int, ...] = ()  # codec, size, format and flags of the frame shared last
        self._titled = False  # whether the local source has its sender's title yet
        self._arrived = threading.Condition()
        self._stop = threading.Event()
        self._first = threading.Event()
        self._session = open_session(listen, self.connect, zenoh_config)  # first: what fails here holds nothing
        try:
            self._publisher = Publisher(self.key, codecs.RAW, title=self.name, origin=self.name)
        except BaseException:
            self._session.close()
            raise
        frames = wire.frame_key(self.host, self.remote_key)
        try:
            self._subscriber = self._session.declare_subscriber(frames, self._keep)
        except BaseException:
            self._session.close()
            self._publisher.close()
            raise
        self._thread = threading.Thread(target=self._share, args=(frames,), name="shareimg-receive", daemon=True)
        self._thread.start()

    def __enter__(self) -> Receiver:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        if hasattr(self, "_thread") and not self._stop.is_set():
            close_unclosed(self, self.close)

    def __repr__(self) -> str:
        return f"<Receiver of {self.name!r} into key {self.key!r}, {self.shared} frames shared>"

    def wait_shared(self, timeout: float | None = None) -> bool:
        """Wait until the first frame is shared locally (or the receiver failed); True if one was."""
        self._first.wait(timeout)
        return self.shared > 0

    @property
    def stopped(self) -> bool:
        return self._stop.is_set() or self.failure is not None

    def close(self) -> None:
        """Stop receiving and stop sharing the local key."""
        if self._stop.is_set():
            return
        self._stop.set()
        with self._arrived:
            self._arrived.notify_all()
        self._thread.join(10.0)  # it looks at the stop between frames: this waits for one decode at most
        self._subscriber.undeclare()  # our callback let go while the interpreter runs, not at exit
        self._session.close()
        self._publisher.close()

    # --- zenoh's thread: keep the newest, nothing more -----------------------------------------

    def _keep(self, sample: Any, unless_newer: bool = False) -> None:
        """Keep ``sample`` as the frame to share next (``unless_newer``: only if no frame is waiting)."""
        attachment = sample.attachment
        item = (attachment.to_bytes() if attachment is not None else None, sample.payload.to_bytes(), time.time_ns())
        with self._arrived:
            if unless_newer and self._newest is not None:
                return
            self._newest = item
            self.received += 1
            self._arrived.notify()

    # --- our thread: check and share ------------------------------------------------------------

    def _share(self, frames: str) -> None:
        self._ask_latest(frames)
        while True:
            with self._arrived:
                while self._newest is None and not self._stop.is_set():
                    self._arrived.wait()
                if self._stop.is_set():
                    return
                item, self._newest = self._newest, None
            assert item is not None
            try:
                self._take(*item)
            except NotAnImage as error:  # a frame we will not share: the key keeps what it had
                self.refused += 1
                self.refusal = str(error)
            except ShareImgError as error:  # the local key cannot be used: nothing more can be shared
                self.failure = error  # the thread ends; close() still closes the session and the publisher
                self._first.set()
                return
            except Exception as error:  # noqa: BLE001 - a decoder's surprise at a hostile payload: refused, we go on
                self.refused += 1
                self.refusal = f"a frame could not be shared: {type(error).__name__}: {error}"

    def _ask_title(self) -> None:
        """Call the local source as its sender's details do (without them, it is called HOST/KEY); asked once."""
        self._titled = True
        try:
            for reply in self._session.get(wire.details_key(self.host, self.remote_key), timeout=1.0):
                if reply.ok is not None:
                    self._publisher.title = wire.unpack_details(reply.ok.payload.to_bytes())["title"]
        except Exception:  # noqa: BLE001 - no details, or a peer's nonsense: the name stays the title
            return

    def _ask_latest(self, frames: str) -> None:
        """The sender's latest frame, for a still image shared before we came (a stream's next comes anyway)."""
        try:
            for reply in self._session.get(frames, timeout=2.0):
                sample = reply.ok
                if sample is not None:
                    self._keep(sample, unless_newer=True)
        except Exception:  # noqa: BLE001 - no answer is no frame: the subscriber brings the next
            return

    def _take(self, attachment: bytes | None, payload: bytes, arrived_ns: int) -> None:
        header = wire.unpack_header(attachment)
        now_mono, now_unix = time.monotonic_ns(), time.time_ns()
        # Dropped when neither its time nor its generation is newer than the frame shown: the latest-frame
        # answer that came after the subscriber's, the same still again.  Either one newer is enough: a
        # restarted sender counts from 1 again, a sender's clock may be set back, a hostile frame may
        # claim a time far ahead.
        shown_ns, shown_seq = self._shown
        if header.publish_unix_ns <= shown_ns and header.seq <= shown_seq:
            return
        # Kept in the local key, on this machine's clock: readers measure from the source's publish.
        published_ns = min(now_mono, now_mono - (now_unix - header.publish_unix_ns))
        shape = (header.codec, header.width, header.height, header.image_format, header.flags)
        if not self._titled:  # before the first frame is shared: listings show the title from the start
            self._ask_title()
        payloads.decode_into(self._publisher, header, payload, published_ns, in_place=shape == self._shape)
        self._shown, self._shape = (min(header.publish_unix_ns, now_unix), header.seq), shape
        self.shared += 1
        self.last = Arrival(
            header.width, header.height, wire.CODEC_NAMES[header.codec],
            (time.time_ns() - header.publish_unix_ns) / 1e6, (arrived_ns - header.sent_unix_ns) / 1e6, len(payload),
        )  # fmt: skip
        self._first.set()
