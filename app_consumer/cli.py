"""shareimg-consumer: show the shared image, or read it once for scripts."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from common import ShareImgError, read_shared
from common.commandline import add_geometry_option, add_key_option, run_reporting_errors
from common.signals import quit_on_signals

PROG = "shareimg-consumer"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Show the image shared through a Qt shared-memory segment.")
    add_key_option(parser)
    parser.add_argument("--headless", action="store_true", help="open no window: read once, print one 'read' line")
    parser.add_argument("--output", metavar="OUT", help="with --headless, save the image (format from the extension)")
    parser.add_argument("--display", action="store_true", help="display the shared image at start")
    parser.add_argument(
        "--watch",
        action="store_true",
        help="show each new image as it is shared; with --headless, print a line for each until SIGINT/SIGTERM",
    )
    add_geometry_option(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.output and (args.watch or not args.headless):
        parser.error("--output goes with --headless, without --watch")
    if args.headless:
        return run_reporting_errors(PROG, lambda: watch_headless(args) if args.watch else run_headless(args))
    return run_reporting_errors(PROG, lambda: run_window(args))


def run_headless(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    QGuiApplication([PROG])
    shared = read_shared(args.key)
    image = shared.image
    if args.output and not image.save(args.output):
        raise ShareImgError(f"cannot save the image to '{args.output}' (unknown extension or unwritable place)")
    print(f"read key={args.key} width={image.width()} height={image.height()} codec={shared.codec}", flush=True)
    return 0


def watch_headless(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from common.watcher import Watcher

    QGuiApplication([PROG])
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    watcher = Watcher(args.key)
    try:
        while not stop.is_set():
            try:
                frame = watcher.next_frame(stop=stop)
            except ShareImgError as error:
                print(f"{PROG}: {error}", file=sys.stderr, flush=True)
                continue
            if frame is None:
                break
            image, meta = frame.shared.image, frame.shared.metadata
            latency = f"{frame.latency_ms:.2f}" if frame.latency_ms is not None else "unknown"
            print(
                f"read key={args.key} width={image.width()} height={image.height()} "
                f"generation={meta.generation if meta else 0} latency_ms={latency} codec={frame.shared.codec}",
                flush=True,
            )
    finally:
        watcher.close()
    return 0


def run_window(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication

    from .window import ConsumerWindow

    app = QApplication([PROG])
    app.setApplicationName(PROG)
    quit_on_signals(app)
    window = ConsumerWindow(args.key)
    if args.geometry:
        window.setGeometry(*args.geometry)
    window.show()
    if args.watch:
        window.watch_box.setChecked(True)
    elif args.display:
        window.display_from_shared_memory()
    status = app.exec()
    window.close()
    return status
