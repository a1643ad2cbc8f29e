"""What both command lines share: the key option, the headless application and turning errors into exit codes.

Starting a window is common.ui.shell's.
"""

from __future__ import annotations

import argparse
import faulthandler
import os
import select
import signal
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from PySide6.QtCore import QCoreApplication, QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication

from shareimg.errors import ShareImgError
from shareimg.transport.keys import DEFAULT_KEY, validate_key
from shareimg.version import VERSION


class CommandLine(argparse.ArgumentParser):
    """argparse, with ``--version``, and a usage error said in one line, as every other error (exit code 2)."""

    def __init__(self, prog: str | None = None, description: str | None = None, **options: Any) -> None:
        super().__init__(prog=prog, description=description, **options)  # a subcommand's parser too
        self.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _key(text: str) -> str:
    try:
        return validate_key(text)
    except ShareImgError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_key_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--key",
        type=_key,
        help=f"shared-memory key, as in QSharedMemory::setKey() (default: {DEFAULT_KEY}; "
        "a window remembers the last key set in it)",
    )


def add_lock_timeout_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lock-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="give up (exit code 7) when another process holds the segment's lock this long (default 10)",
    )


def reader_gone() -> bool:
    """True once nobody reads our stdout any more (a pipe whose reader closed it), before we write to it."""
    poller = select.poll()
    try:
        poller.register(sys.stdout.fileno(), 0)  # errors and hang-ups are reported unasked
    except (AttributeError, OSError, ValueError):
        return False  # no stdout (started with >&-), or not a file (a caller's replacement): nothing to look at
    return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    # Qt's warnings (libpng's "Read Error" among them) restate what our one line says.
    if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg) or os.environ.get("SHAREIMG_QT_WARNINGS"):
        print(message, file=sys.stderr, flush=True)


def headless_app(prog: str) -> QCoreApplication:
    """The application of a command that opens no window (one made already, by a caller, is reused)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication.instance() or QGuiApplication([prog])


def _keep_stderr_for_python_only() -> None:
    """Point file descriptor 2 at /dev/null; Python's sys.stderr keeps the real one."""
    try:
        real = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    sys.stderr.flush()
    sys.stderr = open(real, "w", buffering=1, closefd=True)  # noqa: SIM115 - lives as long as the process
    faulthandler.enable(sys.stderr)  # a crash still says where
    os.dup2(devnull, 2)
    os.close(devnull)


def _die_of_sigpipe() -> NoReturn:
    """End as a program that does not ignore SIGPIPE would have ended at its write (Python ignores it)."""
    # What is still buffered for the closed pipe would fail again on the way out.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGPIPE)
    raise SystemExit(128 + signal.SIGPIPE)  # not reached: the signal ends the process


def run_reporting_errors(prog: str, main: Callable[[], int]) -> int:
    """Run ``main``; an error becomes one line on stderr and its exit code, never a traceback.

    Qt's own debug messages and warnings, and what libraries inside Qt print
    straight to the stderr file (libpng's "libpng error: Read Error"), are
    dropped; set SHAREIMG_QT_WARNINGS=1 to see them.  A reader of stdout that
    goes away (``| head -1``) ends the command as it ends ``cat``: by SIGPIPE,
    without a word.
    """
    qInstallMessageHandler(_qt_message)
    if not os.environ.get("SHAREIMG_QT_WARNINGS"):
        _keep_stderr_for_python_only()
    try:
        return main()
    except ShareImgError as error:
        print(f"{prog}: {error}", file=sys.stderr, flush=True)
        return error.exit_code
    except BrokenPipeError:
        _die_of_sigpipe()
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - the last line of defence for the user
        print(f"{prog}: unexpected error: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        return 1
