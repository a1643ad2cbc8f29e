"""shareimg-bridge: a local key's images to other machines (send), and another machine's into a local key (receive).

    shareimg-bridge send --key camera                  # on the machine with the source: listens on port 7447
    shareimg-bridge receive rig/camera                 # on another: connects to rig:7447, shares key camera

Each prints one line when it starts working and one when it stops; what goes
wrong is said on stderr, once, and the bridge goes on where it can.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable

from shareimg.native.stopping import on_stop
from shareimg.network.session import DEFAULT_PORT
from shareimg.qt.commandline import CommandLine, add_key_option, headless_app, run_reporting_errors
from shareimg.transport.keys import DEFAULT_KEY
from shareimg.wire.network_layout import CODEC_IDS

PROG = "shareimg-bridge"
DEFAULT_LISTEN = f"tcp/0.0.0.0:{DEFAULT_PORT}"
# How long before a bridge that has nothing to pass on says why.
_QUIET_SECONDS = 3.0


def build_parser() -> argparse.ArgumentParser:
    parser = CommandLine(PROG, "Pass shared images between machines, over Eclipse Zenoh (docs/NETWORK.md).")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{send,receive}")
    send = commands.add_parser("send", help="publish a local key's images on the network as HOST/KEY")
    add_key_option(send)
    send.add_argument("--name", metavar="HOST", help="the HOST part of the name receivers use (default: hostname)")
    send.add_argument(
        "--codec",
        choices=list(CODEC_IDS),
        default="jpeg",
        help="jpeg (default; lossy, fast), png (lossless, about 1 s a 1080p frame: still images) or raw (pixels)",
    )
    send.add_argument("--quality", type=int, default=85, metavar="N", help="JPEG quality, 1-100 (default 85)")
    receive = commands.add_parser("receive", help="share another machine's source HOST/KEY under a local key")
    receive.add_argument(
        "name", metavar="HOST/KEY", help="the source, as `shareimg-consumer --list --network` shows it"
    )
    receive.add_argument("--key", help="the local key to share it under (default: the source's KEY)")
    for command, listens in ((send, DEFAULT_LISTEN), (receive, "none")):
        command.add_argument(
            "--listen",
            action="append",
            default=[],
            metavar="ENDPOINT",
            help=f"a zenoh endpoint to accept peers on, e.g. tcp/192.168.1.5:{DEFAULT_PORT}; only these are bound "
            f"(repeatable; default: {listens})",
        )
        command.add_argument(
            "--connect",
            action="append",
            default=[],
            metavar="ENDPOINT",
            help="a zenoh endpoint to connect to, e.g. tcp/rig:7447 (repeatable"
            + ("; default: tcp/HOST:7447 from the name)" if command is receive else ")"),
        )
        command.add_argument(
            "--zenoh-config", metavar="FILE", help="zenoh's own configuration file (TLS, access control, routers)"
        )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_reporting_errors(PROG, lambda: send(args) if args.command == "send" else receive(args))


def send(args: argparse.Namespace) -> int:
    headless_app(PROG)
    from shareimg.network.sender import Sender

    listen = args.listen or ([] if args.connect or args.zenoh_config else [DEFAULT_LISTEN])
    key = args.key or DEFAULT_KEY
    sender = Sender(
        key, host=args.name, listen=listen, connect=args.connect, codec=args.codec, quality=args.quality,
        zenoh_config=args.zenoh_config,
    )  # fmt: skip
    with sender:
        where = " ".join([*(f"listen={e}" for e in listen), *(f"connect={e}" for e in args.connect)])
        print(f"sending {sender.name} key={key} codec={args.codec} {where}".rstrip(), flush=True)

        def status() -> str | None:
            if not sender.sending:
                reason = sender.error or sender.waiting_reason or f"nothing is shared under key '{key}' yet"
                return f"{reason}: waiting for an image to send"
            return None

        _run(status, lambda: sender.error)
        print(f"stopped {sender.name} frames={sender.sent}", flush=True)
    return 0


def receive(args: argparse.Namespace) -> int:
    headless_app(PROG)
    from shareimg.network.receiver import Receiver

    receiver = Receiver(
        args.name, key=args.key, listen=args.listen, connect=args.connect or None, zenoh_config=args.zenoh_config
    )
    with receiver:
        announced = threading.Event()

        def status() -> str | None:
            if receiver.shared:
                if not announced.is_set():
                    announced.set()
                    last = receiver.last
                    assert last is not None
                    print(
                        f"receiving {receiver.name} key={receiver.key} width={last.width} height={last.height} "
                        f"codec={last.codec}",
                        flush=True,
                    )
                return None
            if receiver.received:
                return f"frames of {receiver.name} come, but none could be shared: {receiver.refusal}"
            where = ", ".join(receiver.connect) or "the endpoints given"
            return f"no frame of {receiver.name} yet: is `shareimg-bridge send` running there, reachable at {where}?"

        _run(status, lambda: receiver.refusal, lambda: receiver.failure)
        print(f"stopped {receiver.name} frames={receiver.shared} refused={receiver.refused}", flush=True)
    return 0


def _run(
    status: Callable[[], str | None],
    problem: Callable[[], str | None],
    failure: Callable[[], BaseException | None] = lambda: None,
) -> None:
    """Until a stop signal: say once why nothing passes (after a few seconds) and each new problem."""
    stop = threading.Event()
    on_stop(stop.set)
    waited, said_why, said_news = 0.0, None, None
    while not stop.wait(0.1):
        waited += 0.1
        ended = failure()
        if ended is not None:
            raise ended
        why = status()
        if why is not None and waited >= _QUIET_SECONDS and why != said_why:
            print(f"{PROG}: {why}", file=sys.stderr, flush=True)
            said_why = why
        news = problem()
        if news is not None and news != said_news and news != said_why:
            print(f"{PROG}: {news}", file=sys.stderr, flush=True)
            said_news = news
