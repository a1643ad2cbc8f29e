"""What can go wrong when an image crosses the segment, one class per cause.

Each error carries the exit code the command-line tools report for it, so that
a script can tell "nothing shared yet" from "the data is garbage" without
parsing messages.
"""

from __future__ import annotations

from shareimg.wording import extensions, hex_bytes, mebibytes, megabytes, quoted_character, quoted_key, user_name


class ShareImgError(Exception):
    """Base class; the message is meant for the user, as it stands."""

    exit_code = 1

    def under(self, key: str) -> ShareImgError:
        """This error as a read of ``key`` reports it: most messages need no key."""
        return self


# The rule for keys, as every message and dialog states it.
KEY_MAX_LENGTH = 100
KEY_RULE = "use 1 to 100 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit"


class InvalidKey(ShareImgError):
    """The key is empty, too long or has characters we do not accept; ``reason`` says which.

    ``character`` is the first character refused (reasons CHARACTER and FIRST).
    """

    exit_code = 2
    EMPTY, TOO_LONG, CHARACTER, FIRST = "empty", "too long", "character", "first character"

    def __init__(self, key: str, reason: str, character: str = "") -> None:
        self.key = key
        self.reason = reason
        self.character = character
        super().__init__(self._english())

    def _english(self) -> str:
        if self.reason == self.EMPTY:
            return "the key is empty: enter a key"
        if self.reason == self.TOO_LONG:
            problem = f"too long: {len(self.key)} characters, at most {KEY_MAX_LENGTH}"
        elif self.reason == self.FIRST:
            problem = f"it starts with {quoted_character(self.character)}: start with an ASCII letter or digit"
        else:
            problem = f"{quoted_character(self.character)} is not allowed: only ASCII letters, digits, '.', '_' and '-'"
        return f"invalid key {quoted_key(self.key)}: {problem}"


class SharedMemoryFailure(ShareImgError):
    """Qt refused a shared-memory operation; the message carries Qt's reason."""

    exit_code = 1

    def __init__(self, message: str, qt_error: str | None = None) -> None:
        super().__init__(f"{message}: {qt_error}" if qt_error else message)
        #: QSharedMemory.errorString() as Qt gave it.
        self.qt_error = qt_error


class _FoundInASegment(ShareImgError):
    """Found in a segment's bytes, where the key is not known: the read names it (:meth:`under`)."""

    _under_key: str  # the message once a read names the key

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        #: The key whose segment this is about, once the message names it.
        self.key = key

    def under(self, key: str) -> ShareImgError:
        if self.key is not None:
            return self
        return type(self)(self._under_key.format(key=key, message=self), key)


class NothingShared(_FoundInASegment):
    """No segment exists under the key, or it holds a null image."""

    exit_code = 3
    _under_key = "nothing is shared under key '{key}': {message}"


class NotAnImage(_FoundInASegment):
    """The segment exists but its bytes do not decode to an image."""

    exit_code = 4
    _under_key = "the data under key '{key}' is not an image: {message}"


class ImageTooLarge(NotAnImage):
    """An image whose pixels would take more than the limits allow, or than the machine has free: refused
    before any of it is allocated.  ``reason`` says which bound (SIDE, LIMIT, MEMORY), ``bound`` its value
    (pixels for SIDE, MiB otherwise)."""

    SIDE, LIMIT, MEMORY = "side", "limit", "memory"

    def __init__(self, width: int, height: int, nbytes: int, reason: str, bound: int, key: str | None = None) -> None:
        self.width, self.height, self.nbytes, self.reason, self.bound = width, height, nbytes, reason, bound
        size = f"{width}x{height} pixels"
        if reason == self.SIDE:
            words = f"{size} is more than the limit of {bound} on a side: share a smaller image"
        elif reason == self.LIMIT:
            words = f"{size} need {mebibytes(nbytes)} MiB, more than the limit of {bound} MiB: share a smaller image"
        else:
            words = (
                f"{size} need {mebibytes(nbytes)} MiB, more than the {bound} MiB this machine has free: "
                "close other programs, or share a smaller image"
            )
        super().__init__(words if key is None else self._under_key.format(key=key, message=words), key)

    def under(self, key: str) -> ShareImgError:
        if self.key is not None:
            return self
        return ImageTooLarge(self.width, self.height, self.nbytes, self.reason, self.bound, key)


class UnknownContents(NotAnImage):
    """A segment without shareimg's trailer whose first bytes are no Qt image stream either: refused
    from its first bytes, without copying the rest.  ``head`` is those first bytes."""

    def __init__(self, key: str, size: int, head: bytes) -> None:
        self.size, self.head = size, head
        super().__init__(
            f"the segment under key '{key}' holds {megabytes(size)} that are neither shareimg's nor a Qt image "
            f"stream: it starts with {hex_bytes(head)}",
            key,
        )


class ImageLoadError(ShareImgError):
    """The input image file cannot be read; ``reason`` says why, ``detail`` is the system's or Qt's own words."""

    exit_code = 5
    MISSING, FOLDER, NOT_A_FILE, UNREADABLE, UNDECODABLE, TOO_LARGE = (
        "missing",
        "folder",
        "not a file",
        "unreadable",
        "undecodable",
        "too large",
    )
    _WORDS = {
        MISSING: "no such file",
        FOLDER: "it is a folder, not an image file",
        NOT_A_FILE: "it is not a regular file",
    }

    def __init__(self, path: object, reason: str, detail: str = "", cause: ShareImgError | None = None) -> None:
        super().__init__(f"cannot load '{path}': {self._WORDS.get(reason, detail)}")
        self.path = str(path)
        self.reason = reason
        self.detail = detail
        #: For TOO_LARGE, the :class:`ImageTooLarge` that says by how much.
        self.cause = cause


class ImageSaveError(ShareImgError):
    """The image cannot be written where asked; ``reason`` says why, ``detail`` names the place or gives Qt's words.

    For FORMAT, ``detail`` is the extension and ``writable`` the extensions Qt writes.
    """

    exit_code = 1
    NO_FOLDER, NOT_A_FOLDER, IS_FOLDER, NO_PERMISSION, NO_EXTENSION, FORMAT, QT = (
        "no folder",
        "not a folder",
        "is a folder",
        "no permission",
        "no extension",
        "format",
        "qt",
    )

    def __init__(self, path: object, reason: str, detail: str = "", writable: tuple[str, ...] = ()) -> None:
        words = {
            self.NO_FOLDER: f"the folder '{detail}' does not exist",
            self.NOT_A_FOLDER: f"'{detail}' is not a folder",
            self.IS_FOLDER: "it is a folder",
            self.NO_PERMISSION: f"no permission to write to '{detail}'",
            self.NO_EXTENSION: "the name has no extension: add one, such as .png",
            self.FORMAT: f"Qt cannot write '.{detail}' images: use one of {extensions(writable)}",
        }
        super().__init__(f"cannot save the image to '{path}': {words.get(reason, detail)}")
        self.path = str(path)
        self.reason = reason
        self.detail = detail
        self.writable = writable


class KeyInUse(ShareImgError):
    """Another live program is sharing under the same key."""

    exit_code = 6


class KeyOfAnotherUser(KeyInUse):
    """Something under the key -- its segment, its lock's semaphore, a key file in ``$TMPDIR`` -- is another user's.

    Never used, removed nor followed: another user's segment is closed to us (0600), and their semaphore
    or key file would let them hold our lock for ever.  ``link`` is a symbolic link standing where a key
    file goes, if that is what was found.
    """

    exit_code = 8

    def __init__(self, key: str, uid: int, link: str | None = None) -> None:
        self.key = key
        #: The other user's id, as the system reports the owner.
        self.uid = uid
        #: Their login name, None where the uid has none.
        self.user = user_name(uid)
        self.link = link
        who = f"user {self.user} (uid {uid})" if self.user else f"another user (uid {uid})"
        through = f", through their link '{link}'" if link else ""
        super().__init__(f"key '{key}' is held by {who}{through}: choose another key, or ask them to stop")


class KeyFileIsALink(KeyInUse):
    """A link of our own stands where a key file goes: shareimg never follows one."""

    def __init__(self, key: str, link: str) -> None:
        self.key = key
        self.link = link
        super().__init__(
            f"key '{key}' cannot be used: '{link}' is a link where its key file goes: remove it, or choose another key"
        )


class TmpdirUnusable(ShareImgError):
    """Qt cannot make a key's files in the temporary folder (``$TMPDIR``, ``/tmp`` when unset); ``reason`` says why."""

    exit_code = 10
    MISSING, NOT_A_FOLDER, NOT_WRITABLE, FULL = "missing", "not a folder", "not writable", "full"
    _WORDS = {
        MISSING: "does not exist",
        NOT_A_FOLDER: "is not a folder",
        NOT_WRITABLE: "is not writable by you",
        FULL: "is full",
    }
    _TO_DO = {
        MISSING: "create it, or set TMPDIR to a folder of yours",
        NOT_A_FOLDER: "set TMPDIR to a folder of yours",
        NOT_WRITABLE: "set TMPDIR to a folder of yours",
        FULL: "free some space in it, or set TMPDIR to another folder",
    }

    def __init__(self, folder: object, reason: str) -> None:
        super().__init__(
            f"TMPDIR '{folder}' {self._WORDS[reason]}: Qt keeps the key files there; "
            f"{self._TO_DO[reason]} (the same for provider and consumer)"
        )
        self.folder = str(folder)
        self.reason = reason


class NoDisplay(ShareImgError):
    """A window was asked for, and there is no screen to open it on."""

    exit_code = 9


class LockTimeout(ShareImgError):
    """Another process has held the segment's lock for longer than we agreed to wait."""

    exit_code = 7


class Overwritten(ShareImgError):
    """The provider wrote a new image while this one was being copied: read again."""


class NetworkFailure(ShareImgError):
    """The network bridge cannot work: the network extra is not installed, or zenoh refused an endpoint."""

    exit_code = 11


class InvalidSourceName(ShareImgError):
    """A network source's name, or a machine's, that cannot be one (HOST/KEY, each one chunk)."""

    exit_code = 2
