"""What a read gives: an image, with the trailer that came with it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QImage

from shareimg.transport.codecs import QT, codec_by_id
from shareimg.wire import layout


@dataclass(frozen=True)
class SharedImage:
    """An image read from a segment, with the trailer that came with it.

    ``metadata`` is None for segments written by other Qt programs.
    """

    key: str
    image: QImage
    metadata: layout.Metadata | None
    segment_bytes: int

    @property
    def codec(self) -> str:
        return codec_by_id(self.metadata.codec_id).name if self.metadata else QT.name
