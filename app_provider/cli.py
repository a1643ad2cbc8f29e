"""shareimg-provider: share an image, in a window or headless for scripts."""

from __future__ import annotations

import argparse
import os

from common import CODECS, Publisher
from common.commandline import add_geometry_option, add_key_option, run_reporting_errors
from common.signals import quit_on_signals

PROG = "shareimg-provider"


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Share an image through a Qt shared-memory segment.")
    parser.add_argument("image", nargs="?", help="image file to share at start")
    add_key_option(parser)
    parser.add_argument("--codec", choices=sorted(CODECS), default="qt", help="payload format (default: qt)")
    parser.add_argument(
        "--headless",
        action="store_true",
        help="open no window: share IMAGE, print one 'published' line, stay until SIGINT/SIGTERM",
    )
    add_geometry_option(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.headless and not args.image:
        build_parser().error("--headless needs an IMAGE to share")
    return run_reporting_errors(PROG, lambda: run_headless(args) if args.headless else run_window(args))


def run_headless(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from .loading import load_image

    app = QGuiApplication([PROG])
    image = load_image(args.image)
    with Publisher(args.key, CODECS[args.codec]) as publisher:
        publication = publisher.publish(image)
        print(
            f"published key={publication.key} width={publication.width} height={publication.height} "
            f"bytes={publication.payload_bytes} codec={publication.codec} generation={publication.generation} "
            f"pid={os.getpid()}",
            flush=True,
        )
        quit_on_signals(app)
        app.exec()
    return 0


def run_window(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication

    from .window import ProviderWindow

    app = QApplication([PROG])
    app.setApplicationName(PROG)
    quit_on_signals(app)
    window = ProviderWindow(args.key, CODECS[args.codec])
    if args.geometry:
        window.setGeometry(*args.geometry)
    window.show()
    if args.image:
        window.share_file(args.image)
    status = app.exec()
    window.close()  # a signal ends the loop without closing the window; closing detaches
    return status
