"""One publication in a segment of the ``qt`` codec: the trailer, the payload, the commit."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from shareimg.native.copies import copy
from shareimg.transport.codecs import EncodedImage
from shareimg.wire import layout


@dataclass(frozen=True)
class Publication:
    """What one publish put into the segment."""

    key: str
    width: int
    height: int
    payload_bytes: int
    segment_bytes: int
    generation: int
    codec: str


def write_publication(
    view: memoryview, encoded: EncodedImage, generation: int, published_ns: int | None = None
) -> None:
    """Copy ``encoded`` into the segment ``view`` as ``generation``, trailer first; the caller holds the lock.

    ``published_ns``: when it was published (monotonic), if not now.
    """
    meta = layout.Metadata(
        codec_id=encoded.codec.codec_id,
        generation=generation,
        payload_length=len(encoded.payload),
        width=encoded.width,
        height=encoded.height,
        bytes_per_line=encoded.bytes_per_line,
        image_format=encoded.image_format,
        pid=os.getpid(),
        publish_ns=time.monotonic_ns() if published_ns is None else published_ns,
        # Still the previous generation: a writer killed during the
        # copy leaves a trailer that readers see as incomplete.
        committed=layout.committed(view),
    )
    layout.write(view, meta)
    copy(view, encoded.payload)
    layout.commit(view, generation)
