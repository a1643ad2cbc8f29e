"""shareimg-provider: share an image, in a window or headless for scripts."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from shareimg import CODECS, DEFAULT_KEY, Publication, Publisher
from shareimg.provider.loading import SVG_SIDE, Loaded, is_animated, load_image
from shareimg.provider.streams import Frames, Player, animation, moving_pattern
from shareimg.qt.commandline import (
    CommandLine,
    add_key_option,
    add_lock_timeout_option,
    headless_app,
    run_reporting_errors,
)
from shareimg.qt.signals import EventLoop
from shareimg.ui.shell import add_window_options, run_window

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from shareimg.provider.window import ProviderWindow

PROG = "shareimg-provider"


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    parser = CommandLine(prog=prog, description="Share an image through a Qt shared-memory segment.")
    parser.add_argument("image", nargs="?", help="image file to share at start")
    add_key_option(parser)
    parser.add_argument("--codec", choices=sorted(CODECS), default="qt", help="payload format (default: qt)")
    parser.add_argument(
        "--headless",
        action="store_true",
        help="open no window and stay until SIGINT/SIGTERM: a still IMAGE prints one 'published' line once shared; "
        "an animation or --pattern prints one 'streaming' line once its first frame is shared, and one "
        "'stopped' line at the end",
    )
    parser.add_argument("--pattern", type=_size, metavar="WxH", help="share a moving test pattern instead of IMAGE")
    parser.add_argument(
        "--fps", type=_positive(float), default=30.0, help="test pattern frames per second (default 30)"
    )
    parser.add_argument(
        "--frames", type=_positive(int), metavar="N", help="stop the pattern after N frames (the last stays shared)"
    )
    parser.add_argument(
        "--title",
        help="what consumers' lists of sources call this provider "
        "(default: the file name, 'test pattern WxH' or 'pasted image')",
    )
    parser.add_argument(
        "--svg-size",
        type=_side,
        default=SVG_SIDE,
        metavar="N",
        help=f"draw an SVG declaring a larger size with a long side of N pixels (default {SVG_SIDE}; at most 16384)",
    )
    add_lock_timeout_option(parser)
    add_window_options(parser)
    return parser


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)x(\d+)", text)
    if not match or not all(0 < int(n) <= 16384 for n in match.groups()):
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, each 1 to 16384, got {text!r}")
    return int(match[1]), int(match[2])


def _side(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) <= 16384:
        raise argparse.ArgumentTypeError(f"expected a number of pixels from 1 to 16384, got {text!r}")
    return int(text)


def _positive(kind: type) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if not value > 0:
            raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
        return value

    return parse


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.image and args.pattern:
        parser.error("give an IMAGE or --pattern, not both")
    if args.headless and not (args.image or args.pattern):
        parser.error("--headless needs an IMAGE or --pattern to share")
    if args.headless:
        return run_reporting_errors(PROG, lambda: run_headless(args))
    return run_reporting_errors(
        PROG, lambda: run_window(PROG, args, _window(args), lambda window: _start(window, args))
    )


def run_headless(args: argparse.Namespace) -> int:
    args.key = args.key or DEFAULT_KEY
    loop = EventLoop(headless_app(PROG))
    title = args.title or (pattern_title(*args.pattern) if args.pattern else Path(args.image).name)
    publisher = Publisher(args.key, CODECS[args.codec], title=title)
    # Every wait for the lock, a stream's frames' too, ends in LockTimeout naming the holder (never a silent wait);
    # a stuck holder does not keep the segment at close either.
    publisher.lock_timeout = args.lock_timeout
    try:
        if args.pattern or is_animated(args.image):
            return _stream(loop, publisher, args)
        loaded = load_image(args.image, args.svg_size)
        image = loaded.image
        publication = publisher.publish(image, still=True)
        print(
            f"published key={publication.key} width={publication.width} height={publication.height} "
            f"bytes={publication.payload_bytes} codec={publication.codec} generation={publication.generation} "
            f"pid={os.getpid()}",
            flush=True,
        )
        if loaded.declared is not None:
            print(
                f"{PROG}: note: {drawn_note(loaded)} (--svg-size N chooses the long side)", file=sys.stderr, flush=True
            )
        if publisher.announce_error:
            print(f"{PROG}: warning: {publisher.announce_error}", file=sys.stderr, flush=True)
        return loop.run()
    finally:
        publisher.close()


def _stream(loop: EventLoop, publisher: Publisher, args: argparse.Namespace) -> int:
    frames = _pattern(args) if args.pattern else animation(args.image)
    failures: list[BaseException] = []

    def announce(_: object, publication: Publication) -> None:
        # Only once the first frame is in the segment: a script that waits for this line may read at once.
        if publication.generation == 1:
            print(
                f"streaming key={publication.key} width={publication.width} height={publication.height} "
                f"codec={publication.codec} pid={os.getpid()}",
                flush=True,
            )

    def failed(error: BaseException) -> None:
        failures.append(error)
        loop.quit()

    player = Player(publisher, frames, announce, on_error=failed)
    player.start()
    try:
        loop.run()
    finally:
        player.stop(timeout=args.lock_timeout)  # before the publisher closes, even on an error
    if failures:
        raise failures[0]
    print(f"stopped key={args.key} frames={player.published}", flush=True)
    return 0


def _window(args: argparse.Namespace) -> Callable[[str, QSettings], ProviderWindow]:
    def make(key: str, settings: QSettings) -> ProviderWindow:
        from shareimg.provider.window import ProviderWindow  # only a window needs widgets

        return ProviderWindow(key, CODECS[args.codec], settings, args.title, args.svg_size)

    return make


def _pattern(args: argparse.Namespace) -> Frames:
    width, height = args.pattern
    return moving_pattern(width, height, args.fps, args.frames)


def drawn_note(loaded: Loaded) -> str:
    """What the status line and the command line say of an SVG drawn smaller than it declares."""
    assert loaded.declared is not None  # asked of a resized SVG only
    image, declared = loaded.image, loaded.declared
    return QCoreApplication.translate("ProviderWindow", "drawn at {}×{} from an SVG of {}×{}").format(
        image.width(), image.height(), declared.width(), declared.height()
    )


def pattern_title(width: int, height: int) -> str:
    return QCoreApplication.translate("ProviderWindow", "test pattern {}×{}").format(width, height)


def _start(window: ProviderWindow, args: argparse.Namespace) -> None:
    if args.image:
        window.share_file(args.image)
    elif args.pattern:
        window.play(_pattern(args), pattern_title(*args.pattern))
