"""The Publisher a program uses: the transport's, announced in the list of sources while it shares."""

from __future__ import annotations

import contextlib
from typing import Any

from shareimg.discovery.announcements import Announcement, SourcesDirectoryError
from shareimg.discovery.sources import clean_stale
from shareimg.transport import publisher
from shareimg.transport.codecs import QT, ImageCodec
from shareimg.transport.keys import DEFAULT_KEY
from shareimg.transport.steps import StepObserver


class Publisher(publisher.Publisher):
    """Owns the segment under ``key`` while it is open, and says so to consumers listing sources.

    >>> with Publisher("shareimg", title="holiday.png") as publisher:
    ...     publisher.publish(QImage("holiday.png"))

    ``title`` is what lists of sources call it (the key when None); ``origin``, where its images come
    from when another machine sends them ("HOST/K", as shareimg-bridge receive sets it).  See
    :class:`shareimg.transport.publisher.Publisher` for publishing.
    """

    def __init__(
        self,
        key: str = DEFAULT_KEY,
        codec: ImageCodec[Any] = QT,
        observer: StepObserver | None = None,
        title: str | None = None,
        slots: int = publisher.SLOTS,
        origin: str = "",
    ) -> None:
        super().__init__(key, codec, observer, slots)
        self._announcement = Announcement(self.key, title or self.key, origin)

    @property
    def title(self) -> str:
        """What the list of sources calls this provider; setting it re-announces at once."""
        return self._announcement.title

    @title.setter
    def title(self, title: str) -> None:
        self._announcement.retitle(title)

    @property
    def announce_error(self) -> str | None:
        """Why this provider is not announced (it still shares), or None."""
        return self._announcement.error

    def close(self) -> None:
        super().close()
        self._announcement.withdraw()

    def _renew_segment(self, size: int, ring_frame_bytes: int | None = None) -> None:
        # Announced first: a reader never sees our segment without its title.
        if not self._announcement.announced:
            self._announcement.announce()
            # Like every reader, a provider removes what killed providers left; if that fails, so did announcing.
            with contextlib.suppress(OSError, SourcesDirectoryError):
                clean_stale()
        try:
            super()._renew_segment(size, ring_frame_bytes)
        except BaseException:
            if not self.sharing:
                self._announcement.withdraw()
            raise
