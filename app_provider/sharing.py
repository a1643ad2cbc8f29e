"""One still image into the segment, on a worker thread: load, encode, publish.

Each outcome has its own type: :class:`Shared` when the image is in the
segment, :class:`Cancelled` when the user cancelled first, :class:`KeyTaken`
when another program shares under the key (the loaded image comes along, to be
tried again); anything else is the library's typed error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from shareimg import KeyInUse, Publication, Publisher
from shareimg.provider.loading import SVG_SIDE, load_image
from shareimg.provider.streams import Player


@dataclass(frozen=True)
class Request:
    """What to share: an image in memory, or the file to load it from; its name for the messages."""

    image: QImage | None
    name: str
    path: Path | None = None
    title: str | None = None  # what consumers' lists of sources call it from now on; None: as before
    svg_side: int = SVG_SIDE  # the long side of an SVG declaring a larger one
    declared: QSize | None = None  # once loaded: an SVG's own size, when it was drawn at another


@dataclass(frozen=True)
class Shared:
    request: Request  # with its image
    publication: Publication
    shown: QImage | None = None  # the image made ready for the window, off the GUI thread


class Cancelled(Exception):
    def __init__(self, request: Request) -> None:
        super().__init__(request.name)
        self.request = request


class KeyTaken(Exception):
    def __init__(self, request: Request, error: KeyInUse) -> None:
        super().__init__(str(error))
        self.request = request  # with its image: what to share once the key is free
        self.error = error


def load_and_publish(
    request: Request,
    publisher: Publisher,
    player: Player | None,
    cancel: threading.Event,
    prepare: Callable[[QImage], QImage] | None = None,
) -> Shared:
    """Reading and encoding cannot be interrupted, but a cancel between them, or before the copy,
    leaves the shared image untouched.  ``player``, a stream playing, stops only once the new image is
    ready: a file that fails to load leaves the stream playing.  ``prepare`` makes the image ready
    for the window here, so that an 8K image is not scaled down on the GUI thread."""
    image = request.image
    if image is None:
        assert request.path is not None  # a request without an image names its file
        loaded_file = load_image(request.path, request.svg_side)
        image, request = loaded_file.image, replace(request, declared=loaded_file.declared)
    loaded = replace(request, image=image)
    if cancel.is_set():
        raise Cancelled(loaded)
    encoded = publisher.codec.encode(image)
    if cancel.is_set():
        raise Cancelled(loaded)
    if player is not None:
        player.stop()
    before = publisher.title
    publisher.title = request.title or before
    try:
        publication = publisher.publish_encoded(encoded, still=True)
    except KeyInUse as error:
        publisher.title = before
        raise KeyTaken(loaded, error) from error
    except BaseException:
        publisher.title = before
        raise
    return Shared(loaded, publication, prepare(image) if prepare is not None else None)
