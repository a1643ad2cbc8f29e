"""shareimg: one image, or a stream of frames, under one key, between processes.

    from shareimg import Publisher, Watcher, read_image

    with Publisher("shareimg") as publisher:     # in the provider
        publisher.publish(image)

    image = read_image("shareimg")               # in the consumer

    with Watcher("shareimg") as watcher:         # or each new image, as it comes
        frame = watcher.next_frame()

    with Publisher("video", RAW) as publisher:   # frames of video: a ring of slots
        publisher.publish(array)                 # numpy: HxW, HxWx3, HxWx4, uint8/uint16
    with watcher.next_frame(view=True) as frame: # the provider's slot itself, no copy
        frame.array                              # until the block ends

    for source in sources():                     # every live provider, announced or not
        print(source.key, source.title, source.width, source.height, source.fps)

The package is in layers, each importing only those below it (docs/architecture.md):
``native`` (libc and System V), ``wire`` (the bytes, docs/PROTOCOL.md),
``transport`` (segments, the ring, publishing and reading), ``discovery`` (the
list of sources), ``qt`` (Qt services for the apps), ``teach`` (the
step-through), ``ui`` (widgets both windows share).  No widgets below ``ui``:
a script uses this package with no window at all.

The names below are imported when first used, so that ``import shareimg.provider.cli``
stays light until it needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shareimg.discovery.announced import Publisher
    from shareimg.discovery.recent_keys import remember_key
    from shareimg.discovery.source_watcher import SourceWatcher
    from shareimg.discovery.sources import Source, sources
    from shareimg.errors import (
        ImageLoadError,
        ImageSaveError,
        InvalidKey,
        KeyInUse,
        KeyOfAnotherUser,
        NotAnImage,
        NothingShared,
        SharedMemoryFailure,
        ShareImgError,
        TmpdirUnusable,
    )
    from shareimg.transport.codecs import CODECS, QT, RAW, EncodedImage, ImageCodec
    from shareimg.transport.frame import Frame
    from shareimg.transport.keys import DEFAULT_KEY, validate_key
    from shareimg.transport.publication import Publication
    from shareimg.transport.reader import read_image, read_shared
    from shareimg.transport.segment import reclaim, segment_status
    from shareimg.transport.shared_image import SharedImage
    from shareimg.transport.watcher import Watcher
    from shareimg.wire.layout import Metadata

_HOMES = {
    "shareimg.discovery.announced": ["Publisher"],
    "shareimg.discovery.recent_keys": ["remember_key"],
    "shareimg.discovery.source_watcher": ["SourceWatcher"],
    "shareimg.discovery.sources": ["Source", "sources"],
    "shareimg.errors": [
        "ImageLoadError",
        "ImageSaveError",
        "InvalidKey",
        "KeyInUse",
        "KeyOfAnotherUser",
        "NotAnImage",
        "NothingShared",
        "SharedMemoryFailure",
        "ShareImgError",
        "TmpdirUnusable",
    ],
    "shareimg.transport.codecs": ["CODECS", "QT", "RAW", "EncodedImage", "ImageCodec"],
    "shareimg.transport.frame": ["Frame"],
    "shareimg.transport.keys": ["DEFAULT_KEY", "validate_key"],
    "shareimg.transport.publication": ["Publication"],
    "shareimg.transport.reader": ["read_image", "read_shared"],
    "shareimg.transport.segment": ["reclaim", "segment_status"],
    "shareimg.transport.shared_image": ["SharedImage"],
    "shareimg.transport.watcher": ["Watcher"],
    "shareimg.wire.layout": ["Metadata"],
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}
__all__ = [
    "CODECS",
    "DEFAULT_KEY",
    "EncodedImage",
    "Frame",
    "ImageCodec",
    "ImageLoadError",
    "ImageSaveError",
    "InvalidKey",
    "KeyInUse",
    "KeyOfAnotherUser",
    "Metadata",
    "NotAnImage",
    "NothingShared",
    "Publication",
    "Publisher",
    "QT",
    "RAW",
    "ShareImgError",
    "SharedImage",
    "SharedMemoryFailure",
    "Source",
    "SourceWatcher",
    "TmpdirUnusable",
    "Watcher",
    "read_image",
    "read_shared",
    "reclaim",
    "remember_key",
    "segment_status",
    "sources",
    "validate_key",
]


def __getattr__(name: str) -> object:
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'shareimg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
