"""The apps' languages: English in the source, Simplified Chinese from translations/."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from .errors import KeyOfAnotherUser, ShareImgError

TRANSLATIONS = Path(str(files("shareimg.common"))) / "translations"
LANGUAGES = ("en", "zh_CN")

_installed: list[QTranslator] = []


def install_translator(app: QCoreApplication, lang: str | None = None) -> str:
    """Translate the UI into ``lang`` (default: the system locale); returns the language used."""
    if lang is None:
        lang = "zh_CN" if QLocale.system().name().startswith("zh") else "en"
    if lang == "en":
        return lang
    translator = QTranslator(app)
    if not translator.load(str(TRANSLATIONS / f"shareimg_{lang}.qm")):
        return "en"  # not built (make builds it): English, the source language
    app.installTranslator(translator)
    _installed.append(translator)
    return lang


def translated_message(error: ShareImgError) -> str:
    """The error's message in the window's language, where it has a translation; else the library's English."""
    if isinstance(error, KeyOfAnotherUser):
        return QCoreApplication.translate(
            "Errors", "key '{}' is in use by another user (uid {}): choose another key"
        ).format(error.key, error.uid)
    return str(error)
