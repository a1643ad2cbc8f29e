"""shareimg-consumer: show the shared image, or read it once for scripts."""

from __future__ import annotations

import argparse
import sys
import threading
from typing import TYPE_CHECKING

from shareimg import DEFAULT_KEY, ShareImgError, read_shared
from shareimg.consumer.listing import print_sources
from shareimg.native.stopping import on_stop
from shareimg.qt.background import WorkerThread, with_lock_patience
from shareimg.qt.commandline import (
    CommandLine,
    add_key_option,
    add_lock_timeout_option,
    headless_app,
    reader_gone,
    run_reporting_errors,
)
from shareimg.qt.saving import save_image
from shareimg.transport.steps import StepTracker
from shareimg.transport.waiting import ANOTHER_USER
from shareimg.transport.watcher import Watcher
from shareimg.ui.shell import add_window_options, run_window

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from shareimg.consumer.window import ConsumerWindow

PROG = "shareimg-consumer"


def build_parser() -> argparse.ArgumentParser:
    parser = CommandLine(prog=PROG, description="Show the image shared through a Qt shared-memory segment.")
    add_key_option(parser)
    parser.add_argument("--headless", action="store_true", help="open no window: read once, print one 'read' line")
    parser.add_argument("--output", metavar="OUT", help="with --headless, save the image (format from the extension)")
    parser.add_argument("--display", action="store_true", help="display the shared image at start")
    parser.add_argument(
        "--watch",
        action="store_true",
        help="show each new image as it is shared; with --headless, print a line for each until SIGINT/SIGTERM",
    )
    parser.add_argument("--list", action="store_true", help="print one 'source' line per live source and exit")
    parser.add_argument("--json", action="store_true", help="with --list, print the sources as a JSON array")
    parser.add_argument("--network", action="store_true", help="with --list, also the sources other machines send")
    parser.add_argument(
        "--connect",
        action="append",
        default=[],
        metavar="ENDPOINT",
        help="with --network, where a machine that runs shareimg-bridge send listens, e.g. tcp/192.168.1.5:7447 "
        "(repeatable)",
    )
    parser.add_argument("--sources", action="store_true", help="show the Sources panel")
    add_lock_timeout_option(parser)
    add_window_options(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.output and (args.watch or not args.headless):
        parser.error("--output goes with --headless, without --watch")
    if args.json and not args.list:
        parser.error("--json goes with --list")
    if args.network and not args.list:
        parser.error("--network goes with --list")
    if args.connect and not args.network:
        parser.error("--connect goes with --network")
    if args.list:
        network = args.connect if args.network else None
        return run_reporting_errors(PROG, lambda: print_sources(PROG, args.json, network))
    if args.headless:
        return run_reporting_errors(PROG, lambda: watch_headless(args) if args.watch else run_headless(args))
    return run_reporting_errors(PROG, lambda: run_window(PROG, args, _window, lambda window: _start(window, args)))


def run_headless(args: argparse.Namespace) -> int:
    headless_app(PROG)
    steps = StepTracker()
    args.key = args.key or DEFAULT_KEY
    shared = with_lock_patience(args.key, steps, lambda: read_shared(args.key, steps), args.lock_timeout)
    image = shared.image
    if args.output:
        save_image(image, args.output)
    print(f"read key={args.key} width={image.width()} height={image.height()} codec={shared.codec}", flush=True)
    return 0


def watch_headless(args: argparse.Namespace) -> int:
    headless_app(PROG)
    args.key = args.key or DEFAULT_KEY
    steps = StepTracker()
    failures: list[BaseException] = []
    watcher = Watcher(args.key, steps)
    # Watching runs beside the main thread, which only waits for a signal: a
    # provider that never releases its lock cannot keep us from exiting.
    watching = WorkerThread("shareimg-watch", lambda stopping: _print_frames(watcher, stopping, failures))
    stop = watching.stopping
    on_stop(stop.set)
    watching.start()
    try:
        warned = False
        # Woken at once by a signal or by the watch ending (it sets ``stop``); else once a second, for the lock.
        while not stop.wait(1.0) and watching.is_alive():
            waited = steps.lock_wait_seconds()
            if waited > args.lock_timeout and not warned:
                print(
                    f"{PROG}: another process has held the lock of key '{args.key}' for {waited:.0f} s",
                    file=sys.stderr,
                )
            warned = waited > args.lock_timeout
            if reader_gone():  # `| head -1` while the image stays the same: nothing will be written to notice it
                raise BrokenPipeError
    finally:
        stop.set()
        watcher.wake()  # out of its wait for the doorbell at once
        watching.stop(1.0)  # it detaches within a poll, unless stuck behind someone's lock
    if failures:
        raise failures[0]
    return 0


def _print_frames(watcher: Watcher, stop: threading.Event, failures: list[BaseException]) -> None:
    """Print each new image; what ends this thread unexpectedly goes to ``failures``, for the main thread to report."""
    reason = None
    try:
        while not stop.is_set():
            try:
                frame = watcher.next_frame(timeout=1.0, stop=stop)  # a new reason to wait is said within 1 s
            except ShareImgError as error:
                print(f"{PROG}: {error}", file=sys.stderr, flush=True)
                continue
            if watcher.waiting != reason:
                reason = watcher.waiting
                if reason is not None and reason[0] == ANOTHER_USER:
                    # Said once; the watch goes on, in case the key is freed.
                    print(f"{PROG}: {watcher.waiting_reason}", file=sys.stderr, flush=True)
            if frame is None:
                continue
            image, meta = frame.shared.image, frame.shared.metadata
            latency = f"{frame.latency_ms:.2f}" if frame.latency_ms is not None else "unknown"
            print(
                f"read key={watcher.key} width={image.width()} height={image.height()} "
                f"generation={meta.generation if meta else 0} latency_ms={latency} codec={frame.shared.codec}",
                flush=True,
            )
    except Exception as error:  # noqa: BLE001 - reported by the main thread, as one line
        failures.append(error)
    finally:
        watcher.close()
        stop.set()  # the main thread need not wait out its second


def _window(key: str, settings: QSettings) -> ConsumerWindow:
    from shareimg.consumer.window import ConsumerWindow  # only a window needs widgets

    return ConsumerWindow(key, settings)


def _start(window: ConsumerWindow, args: argparse.Namespace) -> None:
    window.sources_dock.setVisible(args.sources)
    if args.watch:
        window.watch_box.setChecked(True)
    elif args.display:
        window.display_from_shared_memory()
