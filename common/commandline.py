"""What both command lines share: the key option and turning errors into exit codes."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable

from .channel import DEFAULT_KEY, validate_key
from .errors import ShareImgError


def _key(text: str) -> str:
    try:
        return validate_key(text)
    except ShareImgError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_key_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--key",
        type=_key,
        default=DEFAULT_KEY,
        help=f"shared-memory key, as in QSharedMemory::setKey() (default: {DEFAULT_KEY})",
    )


def _geometry(text: str) -> tuple[int, int, int, int]:
    match = re.fullmatch(r"(\d+)x(\d+)\+(-?\d+)\+(-?\d+)", text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT+X+Y, got {text!r}")
    width, height, x, y = map(int, match.groups())
    return x, y, width, height


def add_geometry_option(parser: argparse.ArgumentParser) -> None:
    """``--geometry WxH+X+Y``, parsed to the arguments of ``QWidget.setGeometry``."""
    parser.add_argument("--geometry", type=_geometry, metavar="WxH+X+Y", help="window size and position")


def run_reporting_errors(prog: str, main: Callable[[], int]) -> int:
    """Run ``main``; an error becomes one line on stderr and its exit code, never a traceback."""
    try:
        return main()
    except ShareImgError as error:
        print(f"{prog}: {error}", file=sys.stderr, flush=True)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - the last line of defence for the user
        print(f"{prog}: unexpected error: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        return 1
