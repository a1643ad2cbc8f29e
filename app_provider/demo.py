"""shareimg-demo: the provider and the consumer side by side, as two processes.

The provider starts sharing the bundled sample image; once it is readable the
consumer starts and displays it.  Closing either window, or stopping the demo
(Ctrl+C), closes both; a provider that is killed leaves the consumer showing
its last image and saying that the provider is gone.
"""

from __future__ import annotations

import subprocess
import sys
import time

from shareimg import DEFAULT_KEY, ShareImgError, read_shared
from shareimg.assets import SAMPLE_IMAGE
from shareimg.errors import NoDisplay
from shareimg.native.stopping import on_stop
from shareimg.provider.placement import side_by_side
from shareimg.qt.commandline import CommandLine, add_key_option
from shareimg.ui.shell import add_qt_options, qt_arguments, require_display
from shareimg.ui.translations import LANGUAGES

_STARTUP_SECONDS = 20.0
_STOP_SECONDS = 15.0


def main(argv: list[str] | None = None) -> int:
    parser = CommandLine(prog="shareimg-demo", description=__doc__.splitlines()[0])
    add_key_option(parser)
    parser.add_argument("--lang", choices=LANGUAGES, help="language of the windows (default: the system's)")
    parser.add_argument("--teach", action="store_true", help="both windows step through the article by hand")
    parser.add_argument("--image", default=str(SAMPLE_IMAGE), help="image to share (default: the bundled sample)")
    add_qt_options(parser)
    args = parser.parse_args(argv)
    args.key = args.key or DEFAULT_KEY
    try:
        require_display("shareimg-demo", args.qt_platform)
    except NoDisplay as error:
        print(f"shareimg-demo: {error}", file=sys.stderr)
        return error.exit_code
    provider_place, consumer_place = side_by_side(args.key, args.teach, args.lang, qt_arguments(args))

    stop: list[bool] = []
    on_stop(lambda: stop.append(True))
    python = [sys.executable, "-m"]
    shared_options = ["--key", args.key, *(["--lang", args.lang] if args.lang else []), *qt_arguments(args)]
    # In the step-through nothing is shared until the provider's steps are clicked, and its panel lists
    # the calls made (the steps panel would say it twice).
    shared_options += ["--teach"] if args.teach else ["--steps"]
    provider = subprocess.Popen(
        [*python, "shareimg.provider", args.image, *shared_options, "--geometry", provider_place]
    )
    children = [provider]
    said: set[int] = set()  # the pids of killed providers already reported
    try:
        if args.teach or _wait_until_shared(args.key, provider, stop):
            children.append(
                subprocess.Popen(
                    [
                        *python,
                        "shareimg.consumer",
                        *shared_options,
                        *([] if args.teach else ["--watch", "--sources"]),
                        "--geometry",
                        consumer_place,
                    ]
                )
            )
        while not stop and _running(children, said):
            time.sleep(0.1)
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()  # never hang on the way out; the next provider reclaims what it leaves
                child.wait()
    # The provider's own error (it said which on stderr: a bad image, a key in use) is the demo's.
    return provider.returncode if provider.returncode and provider.returncode > 0 else 0


def _running(children: list[subprocess.Popen], said: set[int]) -> bool:
    """Both windows run; or the provider was killed (SIGKILL, a crash) and the consumer shows its last image.

    Closing either window ends the demo; a killed provider is what the
    consumer is there to show: it keeps the image and says the provider is gone.
    """
    provider, *consumer = children
    if any(child.poll() is not None for child in consumer):
        return False
    code = provider.poll()
    if code is None:
        return True
    if code < 0 and consumer and provider.pid not in said:
        print(
            f"shareimg-demo: the provider (pid {provider.pid}) was killed by signal {-code}; "
            "the consumer keeps its last image",
            file=sys.stderr,
            flush=True,
        )
        said.add(provider.pid)
    return code < 0 and bool(consumer)


def _wait_until_shared(key: str, provider: subprocess.Popen, stop: list) -> bool:
    deadline = time.monotonic() + _STARTUP_SECONDS
    while not stop and provider.poll() is None and time.monotonic() < deadline:
        try:
            read_shared(key)
            return True
        except ShareImgError:
            time.sleep(0.1)
    if provider.poll() is None and not stop:
        print(
            f"shareimg-demo: the provider shared nothing under key '{key}' within {_STARTUP_SECONDS:.0f} s; "
            "see its window",
            file=sys.stderr,
        )
    return False


if __name__ == "__main__":
    sys.exit(main())
