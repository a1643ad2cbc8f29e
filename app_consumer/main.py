"""The first lines of shareimg-consumer: the stop signals are held before anything heavy is imported."""

from __future__ import annotations

from shareimg.native import stopping


def consumer() -> int:
    stopping.hold()
    from shareimg.consumer.cli import main

    return main()
