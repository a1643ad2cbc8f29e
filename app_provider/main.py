"""The first lines of shareimg-provider and shareimg-demo: stop signals held before any heavy import."""

from __future__ import annotations

from shareimg.native import stopping


def provider() -> int:
    stopping.hold()
    from shareimg.provider.cli import main

    return main()


def demo() -> int:
    stopping.hold()
    from shareimg.provider.demo import main

    return main()
