"""The apps' languages: English in the source, Simplified Chinese from translations/.

Qt's own dialogs and buttons (file dialogs, message boxes) are translated by
Qt's catalogue, ``qtbase_<lang>.qm`` from the PySide6 wheel; the library's
typed errors are worded here, with their values (a path, a number) as
arguments, so a Chinese window says a whole Chinese sentence.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from shareimg.errors import (
    KEY_MAX_LENGTH,
    ImageLoadError,
    ImageSaveError,
    ImageTooLarge,
    InvalidKey,
    KeyFileIsALink,
    KeyOfAnotherUser,
    ShareImgError,
    TmpdirUnusable,
    UnknownContents,
)
from shareimg.wording import extensions, hex_bytes, mebibytes, megabytes, quoted_character, quoted_key

translate = QCoreApplication.translate


TRANSLATIONS = Path(str(files("shareimg"))) / "translations"
LANGUAGES = ("en", "zh_CN")

_installed: list[QTranslator] = []


def install_translator(app: QCoreApplication, lang: str | None = None) -> str:
    """Translate the UI, and Qt's own dialogs, into ``lang`` (default: the system locale); returns the language."""
    if lang is None:
        lang = "zh_CN" if QLocale.system().name().startswith("zh") else "en"
    if lang == "en":
        return lang
    ours = QTranslator(app)
    if not ours.load(str(TRANSLATIONS / f"shareimg_{lang}.qm")):
        return "en"  # not built (make builds it): English, the source language
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    app.installTranslator(ours)
    _installed.append(ours)
    return lang


def translated_message(error: ShareImgError) -> str:
    """The error's message in the window's language, its values (a key, a path) filled in."""
    if isinstance(error, KeyOfAnotherUser):
        return _another_users(error)
    if isinstance(error, KeyFileIsALink):
        return translate(
            "Errors",
            "key '{}' cannot be used: '{}' is a link where its key file goes: remove it, or choose another key",
        ).format(error.key, error.link)
    if isinstance(error, InvalidKey):
        return _invalid_key(error)
    if isinstance(error, TmpdirUnusable):
        return _unusable_tmpdir(error)
    if isinstance(error, ImageSaveError):
        return _unsaved(error)
    if isinstance(error, ImageTooLarge):
        return _too_large(error)
    if isinstance(error, UnknownContents):
        return translate(
            "Errors",
            "the segment under key '{}' holds {} that are neither shareimg's nor a Qt image stream: it starts with {}",
        ).format(error.key, megabytes(error.size), hex_bytes(error.head))
    if isinstance(error, ImageLoadError):
        if isinstance(error.cause, ImageTooLarge):
            return translate("Errors", "cannot load '{}': {}").format(error.path, _too_large(error.cause))
        reasons = {
            ImageLoadError.MISSING: translate("Errors", "no such file"),
            ImageLoadError.FOLDER: translate("Errors", "it is a folder, not an image file"),
            ImageLoadError.NOT_A_FILE: translate("Errors", "it is not a regular file"),
        }
        reason = reasons.get(error.reason) or error.detail
        return translate("Errors", "cannot load '{}': {}").format(error.path, reason)
    return str(error)


def _too_large(error: ImageTooLarge) -> str:
    size = translate("Errors", "{}×{} pixels").format(error.width, error.height)
    if error.reason == ImageTooLarge.SIDE:
        words = translate("Errors", "{} is more than the limit of {} on a side: share a smaller image")
        text = words.format(size, error.bound)
    elif error.reason == ImageTooLarge.LIMIT:
        words = translate("Errors", "{} need {} MiB, more than the limit of {} MiB: share a smaller image")
        text = words.format(size, mebibytes(error.nbytes), error.bound)
    else:
        words = translate(
            "Errors",
            "{} need {} MiB, more than the {} MiB this machine has free: close other programs, or share a smaller image",  # noqa: E501 - one string for the translators
        )
        text = words.format(size, mebibytes(error.nbytes), error.bound)
    if error.key is None:
        return text
    return translate("Errors", "the data under key '{}' is not an image: {}").format(error.key, text)


def _another_users(error: KeyOfAnotherUser) -> str:
    if error.user:
        who = translate("Errors", "user {} (uid {})").format(error.user, error.uid)
    else:
        who = translate("Errors", "another user (uid {})").format(error.uid)
    if error.link:
        return translate(
            "Errors", "key '{}' is held by {}, through their link '{}': choose another key, or ask them to stop"
        ).format(error.key, who, error.link)
    return translate("Errors", "key '{}' is held by {}: choose another key, or ask them to stop").format(error.key, who)


def _invalid_key(error: InvalidKey) -> str:
    if error.reason == InvalidKey.EMPTY:
        return translate("Errors", "the key is empty: enter a key")
    if error.reason == InvalidKey.TOO_LONG:
        problem = translate("Errors", "too long: {} characters, at most {}").format(len(error.key), KEY_MAX_LENGTH)
    else:
        character = translate("Errors", "a space") if error.character == " " else quoted_character(error.character)
        if error.reason == InvalidKey.FIRST:
            problem = translate("Errors", "it starts with {}: start with an ASCII letter or digit").format(character)
        else:
            problem = translate("Errors", "{} is not allowed: only ASCII letters, digits, '.', '_' and '-'").format(
                character
            )
    return translate("Errors", "invalid key {}: {}").format(quoted_key(error.key), problem)


def _unusable_tmpdir(error: TmpdirUnusable) -> str:
    words = {
        TmpdirUnusable.MISSING: translate("Errors", "TMPDIR '{}' does not exist: Qt keeps the key files there; "
                                          "create it, or set TMPDIR to a folder of yours"),
        TmpdirUnusable.NOT_A_FOLDER: translate("Errors", "TMPDIR '{}' is not a folder: Qt keeps the key files there; "
                                               "set TMPDIR to a folder of yours"),
        TmpdirUnusable.NOT_WRITABLE: translate("Errors", "TMPDIR '{}' is not writable by you: Qt keeps the key files "
                                               "there; set TMPDIR to a folder of yours"),
        TmpdirUnusable.FULL: translate("Errors", "TMPDIR '{}' is full: Qt keeps the key files there; "
                                       "free some space in it, or set TMPDIR to another folder"),
    }  # fmt: skip
    return translate("Errors", "{} (the same for provider and consumer)").format(
        words[error.reason].format(error.folder)
    )


def _unsaved(error: ImageSaveError) -> str:
    reasons = {
        ImageSaveError.NO_FOLDER: translate("Errors", "the folder '{}' does not exist"),
        ImageSaveError.NOT_A_FOLDER: translate("Errors", "'{}' is not a folder"),
        ImageSaveError.IS_FOLDER: translate("Errors", "it is a folder"),
        ImageSaveError.NO_PERMISSION: translate("Errors", "no permission to write to '{}'"),
        ImageSaveError.NO_EXTENSION: translate("Errors", "the name has no extension: add one, such as .png"),
        ImageSaveError.FORMAT: translate("Errors", "Qt cannot write '.{}' images: use one of {}"),
    }
    reason = reasons.get(error.reason, "{}").format(error.detail, extensions(error.writable))
    return translate("Errors", "cannot save the image to '{}': {}").format(error.path, reason)


def key_rule() -> str:
    """The rule for keys (common.errors.KEY_RULE), in the window's language."""
    return translate("Errors", "use 1 to 100 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit")
