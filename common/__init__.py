"""shareimg's shared-memory library: one image under one key, between processes.

    from shareimg.common import Publisher, Watcher, read_image

    with Publisher("shareimg") as publisher:     # in the provider
        publisher.publish(image)

    image = read_image("shareimg")               # in the consumer

    watcher = Watcher("shareimg")                # or each new image, as it comes
    frame = watcher.next_frame()

    with Publisher("video", RAW) as publisher:   # frames of video: a ring of slots
        publisher.publish(array)                 # numpy: HxW, HxWx3, HxWx4, uint8/uint16
    with watcher.next_frame(view=True) as frame: # the provider's slot itself, no copy
        frame.array                              # until the block ends

    for source in sources():                     # every live provider, announced or not
        print(source.key, source.title, source.width, source.height, source.fps)

No widgets here: the two apps are views over this package, and a script can
use it with no window at all.  docs/PROTOCOL.md describes the bytes.
"""

from .channel import DEFAULT_KEY, reclaim, segment_status, validate_key
from .codecs import CODECS, QT, RAW, EncodedImage, ImageCodec
from .errors import (
    ImageLoadError,
    ImageSaveError,
    InvalidKey,
    KeyInUse,
    KeyOfAnotherUser,
    NotAnImage,
    NothingShared,
    SharedMemoryFailure,
    ShareImgError,
)
from .layout import Metadata
from .publisher import Publication, Publisher
from .reader import SharedImage, read_image, read_shared
from .recent_keys import remember_key
from .source_watcher import SourceWatcher
from .sources import Source, sources
from .watcher import Frame, Watcher

__all__ = [
    "CODECS",
    "DEFAULT_KEY",
    "QT",
    "RAW",
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
    "SharedImage",
    "SharedMemoryFailure",
    "Source",
    "SourceWatcher",
    "Watcher",
    "ShareImgError",
    "read_image",
    "read_shared",
    "reclaim",
    "remember_key",
    "segment_status",
    "sources",
    "validate_key",
]
