"""The first lines of shareimg-bridge: the stop signals are held before anything heavy is imported."""

from __future__ import annotations

from shareimg.native import stopping


def bridge() -> int:
    stopping.hold()
    from shareimg.bridge.cli import main

    return main()
