"""Why a watcher has no new image for now: :attr:`Watcher.waiting`, and the same in English words."""

from __future__ import annotations

from shareimg.errors import KeyOfAnotherUser

#: The kinds of :attr:`Watcher.waiting`; each comes with a number, a pid or (ANOTHER_USER) a uid.
NOTHING_SHARED, STOPPED, GONE, ANOTHER_USER = "nothing-shared", "stopped", "gone", "another-user"


def waiting_reason(key: str, kind: str, number: int) -> str:
    """Why a watcher of ``key`` waits, in English words for a command line (the windows translate theirs)."""
    return {
        NOTHING_SHARED: f"nothing is shared under key '{key}' yet",
        STOPPED: "the provider stopped sharing",
        GONE: f"the provider (pid {number}) is gone",
        ANOTHER_USER: str(KeyOfAnotherUser(key, number)),
    }[kind]
