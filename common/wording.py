"""How values read in a message: a key quoted, sizes, bytes, file extensions, a user's name."""

from __future__ import annotations

import pwd

# A key quoted in a message is cut to this many characters, so that the reason after it stays in view.
_QUOTED_KEY_CHARS = 40


def quoted_key(key: str) -> str:
    """``key`` in quotes for a message; a long one cut short with an ellipsis."""
    return repr(key if len(key) <= _QUOTED_KEY_CHARS else key[: _QUOTED_KEY_CHARS - 1] + "…")


def quoted_character(character: str) -> str:
    """A character of a key in quotes; a space named, since ``' '`` is easy to misread."""
    return "a space" if character == " " else repr(character)


def mebibytes(nbytes: int) -> int:
    """``nbytes`` in MiB, rounded up: a need is never understated."""
    return -(-nbytes // (1 << 20))


def megabytes(nbytes: int) -> str:
    """``nbytes`` for a message: bytes below a million, MB above."""
    return f"{nbytes:,} bytes" if nbytes < 1_000_000 else f"{nbytes / 1e6:,.0f} MB"


def hex_bytes(head: bytes) -> str:
    """The first bytes as hexadecimal pairs, an ellipsis standing for the rest."""
    return " ".join(f"{byte:02x}" for byte in head) + " …"


def extensions(formats: tuple[str, ...]) -> str:
    """``.png, .jpg, ...`` for a message."""
    return ", ".join(f".{name}" for name in formats)


def user_name(uid: int) -> str | None:
    """The login name of ``uid``; None where it has none."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return None
