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
    InvalidKey,
    KeyFileIsALink,
    KeyOfAnotherUser,
    ShareImgError,
    extensions,
    quoted_character,
    quoted_key,
)

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
    if isinstance(error, ImageSaveError):
        return _unsaved(error)
    if isinstance(error, ImageLoadError):
        reasons = {
            ImageLoadError.MISSING: translate("Errors", "no such file"),
            ImageLoadError.FOLDER: translate("Errors", "it is a folder, not an image file"),
            ImageLoadError.NOT_A_FILE: translate("Errors", "it is not a regular file"),
        }
        reason = reasons.get(error.reason) or error.detail
        return translate("Errors", "cannot load '{}': {}").format(error.path, reason)
    return str(error)


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
