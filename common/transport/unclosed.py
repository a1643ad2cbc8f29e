"""What a finalizer does with what its owner forgot to close: warn, as an unclosed file does, then close it.

Frames, watchers and publishers are closed by their owners (``close()`` or a
``with`` block).  Their finalizers are a safety net only: the slot, the mapping
or the segment still comes back, late, and the ``ResourceWarning`` names what
was forgotten (``python -X dev`` shows it; the test suite makes it an error).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable


def close_unclosed(forgotten: object, close: Callable[[], None]) -> None:
    """Called by ``forgotten.__del__`` while it still holds something: warn, then ``close`` all the same."""
    try:
        warnings.warn(f"unclosed {forgotten!r}", ResourceWarning, stacklevel=3, source=forgotten)
    finally:  # given back even where the warning is an error
        close()
