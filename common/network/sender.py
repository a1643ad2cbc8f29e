"""Send a local key's images to other machines: ``shareimg.network.send`` and ``shareimg-bridge send``.

Two threads, so that the local provider is never slowed: one watches the key
(a view of each new frame, encoded and let go at once), the other puts the
newest encoded frame on the network.  A put can take tens of milliseconds on a
slow link; meanwhile newer frames replace the one waiting, so a slow link drops
frames and never queues them.  While no receiver listens, frames of a stream
are not even encoded.  The source is announced by a liveliness token from
its first frame on; its details and its latest frame answer queries, so a
receiver that comes late still gets a still image.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shareimg.discovery.announcements import entries
from shareimg.errors import NetworkFailure, NotAnImage, ShareImgError
from shareimg.network import payloads
from shareimg.network.payloads import Encoded
from shareimg.network.session import open_session, zenoh_module
from shareimg.transport import codecs
from shareimg.transport.frame import Frame
from shareimg.transport.keys import DEFAULT_KEY, validate_key
from shareimg.transport.unclosed import close_unclosed
from shareimg.transport.watcher import Watcher
from shareimg.wire import network_layout as wire

#: From this rate on a source counts as a stream, not a still image.
STREAM_FPS = 2.0

_ENCODINGS = {wire.JPEG: "image/jpeg", wire.PNG: "image/png", wire.RAW: "application/octet-stream"}


class Sender:
    """Publishes the images under a local ``key`` on the network as ``HOST/KEY`` until closed.

    >>> with shareimg.network.send("camera", listen=["tcp/0.0.0.0:7447"]) as sender:
    ...     signal.pause()
    """

    def __init__(
        self,
        key: str = DEFAULT_KEY,
        *,
        host: str | None = None,
        listen: Sequence[str] = (),
        connect: Sequence[str] = (),
        codec: str = "jpeg",
        quality: int = 85,
        zenoh_config: str | Path | None = None,
    ) -> None:
        self.key = validate_key(key)
        self.host = wire.validate_host(host or wire.this_host())
        self.name = wire.source_name(self.host, self.key)
        if codec not in wire.CODEC_IDS:
            raise NetworkFailure(f"no codec '{codec}' for the network: use one of {', '.join(wire.CODEC_IDS)}")
        if not 1 <= quality <= 100:
            raise NetworkFailure(f"a JPEG quality of {quality}: use 1 to 100")
        self.codec, self.quality = wire.CODEC_IDS[codec], quality
        if self.codec == wire.JPEG:
            payloads.simplejpeg_module()  # missing: said now, not at the first frame
        #: Frames put on the network, frames not encoded because nobody listened, frames refused.
        self.sent = self.unwatched = self.refused = 0
        #: The last error of the watch or the put (the sender goes on), or None.
        self.error: str | None = None
        self._pid = 0  # the local provider's
        self._latest: Encoded | None = None  # the newest encoded frame: for queries
        self._outbox: Encoded | None = None  # the frame waiting to be put: at most one
        self._unsent: Frame | None = None  # the last frame not encoded because nobody received
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._frame_times: deque[int] = deque()  # the source's publish times over the last second
        zenoh = zenoh_module()
        self._session = open_session(listen, connect, zenoh_config)  # first: what fails here holds nothing
        try:
            self._watcher = Watcher(self.key)
        except BaseException:
            self._session.close()
            raise
        self._token: Any = None
        try:
            frames = wire.frame_key(self.host, self.key)
            self._publisher = self._session.declare_publisher(
                frames,
                encoding=_ENCODINGS[self.codec],
                congestion_control=zenoh.CongestionControl.DROP,
                priority=zenoh.Priority.DATA,
            )
            self._queryables = [
                self._session.declare_queryable(frames, self._serve_latest),
                self._session.declare_queryable(wire.details_key(self.host, self.key), self._serve_details),
            ]
            self._matching = self._publisher.declare_matching_listener(self._matched)
        except BaseException:
            self._session.close()
            self._watcher.close()
            raise
        self._threads = [
            threading.Thread(target=self._watch, name="shareimg-send-watch", daemon=True),
            threading.Thread(target=self._put, name="shareimg-send-put", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        if not getattr(self, "_stop", threading.Event()).is_set() and hasattr(self, "_threads"):
            close_unclosed(self, self.close)

    def __repr__(self) -> str:
        return f"<Sender of key {self.key!r} as {self.name!r}, {self.sent} frames sent>"

    @property
    def sending(self) -> bool:
        """True from the local key's first image on: the source is listed."""
        return self._latest is not None

    @property
    def details(self) -> dict[str, Any] | None:
        """What listings show of this source (docs/NETWORK.md); None before its first frame."""
        latest = self._latest
        if latest is None:
            return None
        header = latest.header
        return {
            "version": wire.VERSION, "host": self.host, "key": self.key, "title": self._title(),
            "width": header.width, "height": header.height, "format": header.image_format,
            "codec": wire.CODEC_NAMES[self.codec], "quality": self.quality, "fps": self._fps(), "pid": self._pid,
        }  # fmt: skip

    @property
    def waiting_reason(self) -> str | None:
        """Why no image comes from the local key, in words; None while its provider is live."""
        return self._watcher.waiting_reason

    def close(self) -> None:
        """Stop sending: the source leaves every listing at once."""
        if self._stop.is_set():
            return
        self._stop.set()
        self._watcher.wake()
        with self._changed:
            self._changed.notify_all()
        for thread in self._threads:
            thread.join(10.0)  # each looks at the stop at least twice a second, but for one encode or put
        # Our Python callbacks let go here, while the interpreter runs, not by zenoh's threads at exit.
        token = [self._token] if self._token is not None else []
        for declared in [self._matching, *self._queryables, self._publisher, *token]:
            declared.undeclare()
        self._session.close()
        self._watcher.close()

    # --- the watching thread ----------------------------------------------------------------

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                frame = self._watcher.next_frame(0.5, self._stop, view=True)
            except NotAnImage as error:
                self.refused += 1
                self.error = str(error)
                continue
            except ShareImgError as error:
                self.error = str(error)
                self._stop.wait(0.5)
                continue
            quiet = frame is None
            if frame is None:  # no new frame for a while: the last one left unencoded becomes the latest-frame answer
                frame, self._unsent = self._unsent, None
            if frame is None:
                continue
            try:
                with frame:
                    self._take(frame, skip=not quiet)
            except NotAnImage as error:
                self.refused += 1
                self.error = str(error)
            except Exception as error:  # noqa: BLE001 - an encoder's surprise: said, and the next frame tried
                self.refused += 1
                self.error = f"a frame could not be sent: {type(error).__name__}: {error}"

    def _take(self, frame: Frame, skip: bool = True) -> None:
        """Encode ``frame`` and hand it to the put thread; while nobody receives (and ``skip``), keep it only."""
        meta = frame.metadata
        now_ns, now_unix = time.monotonic_ns(), time.time_ns()
        published = meta.publish_ns if meta is not None else frame.received_ns
        first = self._latest is None
        if skip:
            self._count_rate(published)  # the source's own times: the first frame is handed over late, at attach
        # A still image in Qt's stream is shared so at the receiver too, for C++ Qt programs; frames of a
        # stream travel to a ring there, whatever their codec here (Qt's would encode each as PNG again).
        qt = (meta is None or meta.codec_id == codecs.QT.codec_id) and self._fps() < STREAM_FPS
        if not first and skip and not self._publisher.matching_status.matching:  # the object itself is always true
            self.unwatched += 1
            # A still's copy, encoded once the key is quiet: a receiver coming later asks for the latest
            # frame, and a still replaced while nobody received must not answer with the one before.
            # (A stream's next frame comes anyway.)
            self._unsent = frame.copy() if self._fps() < STREAM_FPS else None
            return
        self._unsent = None
        # Within the attachment's 64 bits whatever a (hostile) segment's trailer says.
        publish_unix_ns = min(max(now_unix - (now_ns - published), 0), now_unix)
        encoded = payloads.encode(
            frame, self.codec, self.quality, meta.generation if meta is not None else 0, publish_unix_ns,
            wire.FLAG_QT if qt else 0,
        )  # fmt: skip
        self._pid = meta.pid if meta is not None else 0
        with self._changed:
            self._latest = self._outbox = encoded
            self._changed.notify()
        if first and not self._stop.is_set():
            self._token = self._session.liveliness().declare_token(wire.token_key(self.host, self.key))

    def _title(self) -> str:
        """The local provider's title, when it announced one."""
        try:
            return next((entry.title for entry in entries() if entry.key == self.key), self.key)
        except (OSError, ShareImgError):
            return self.key

    def _count_rate(self, now_ns: int) -> None:
        times = self._frame_times
        times.append(now_ns)
        while times and now_ns - times[0] > 1_000_000_000:
            times.popleft()

    def _fps(self) -> float:
        times = list(self._frame_times)  # asked by zenoh's thread too, while the watch thread counts
        if len(times) < 2:
            return 0.0
        return round((len(times) - 1) * 1e9 / max(1, times[-1] - times[0]), 1)

    # --- the putting thread ------------------------------------------------------------------

    def _put(self) -> None:
        while True:
            with self._changed:
                while self._outbox is None and not self._stop.is_set():
                    self._changed.wait()
                if self._stop.is_set():
                    return
                encoded, self._outbox = self._outbox, None
            assert encoded is not None
            try:
                self._publisher.put(encoded.payload, attachment=_attachment(encoded))
                self.sent += 1
            except Exception as error:  # noqa: BLE001 - said, and the next frame is put
                self.error = f"zenoh could not send a frame: {error}"

    # --- zenoh's threads: a receiver comes, queries ---------------------------------------------

    def _matched(self, status: Any) -> None:
        """A receiver came: it gets the latest frame, which it may have missed while connecting."""
        if status.matching:
            with self._changed:
                if self._outbox is None and self._latest is not None:
                    self._outbox = self._latest
                    self._changed.notify()

    def _serve_latest(self, query: Any) -> None:
        latest = self._latest
        if latest is not None:
            frames = wire.frame_key(self.host, self.key)  # the query's may be a wildcard: a reply names one key
            query.reply(frames, latest.payload, encoding=_ENCODINGS[self.codec], attachment=_attachment(latest))

    def _serve_details(self, query: Any) -> None:
        details = self.details
        if details is not None:
            query.reply(wire.details_key(self.host, self.key), wire.pack_details(details), encoding="application/json")


def _attachment(encoded: Encoded) -> bytes:
    header = encoded.header
    sent = wire.FrameHeader(
        header.codec, header.width, header.height, header.image_format, header.bytes_per_line, header.seq,
        header.publish_unix_ns, time.time_ns(), header.flags,
    )  # fmt: skip
    return sent.pack()
