"""shareimg-consumer whose window fails as it closes: an error in the window's own shutdown code.

python tests/closing_fails.py ARGS...     shareimg-consumer ARGS..., ConsumerWindow.closeEvent raising at once
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QCloseEvent

from shareimg.consumer import cli
from shareimg.consumer.window import ConsumerWindow


def failing_close(window: ConsumerWindow, event: QCloseEvent) -> None:
    raise RuntimeError("injected: the window failed to close")


ConsumerWindow.closeEvent = failing_close
sys.exit(cli.main(sys.argv[1:]))
