"""The keys this user used before, where programs that do not announce themselves are looked for.

A C++ Qt program sharing under a key writes no announcement; the list of
sources still finds it if the key is the default one or one the user chose in
shareimg before (QSettings, so it outlives the programs).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from shareimg.errors import InvalidKey
from shareimg.transport.keys import DEFAULT_KEY, validate_key

_KEPT = 20


def _list(value: object) -> list[str]:
    # QSettings gives a one-element list back as a plain string.
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    assert isinstance(value, list), value  # QSettings gives what remember_key stored: a list of strings
    return [str(v) for v in value]


def remember_key(key: str) -> None:
    """Note that this user used ``key``; the newest 20 are kept."""
    settings = QSettings("shareimg", "sources")
    keys = [validate_key(key), *(k for k in _list(settings.value("keys")) if k != key)]
    settings.setValue("keys", keys[:_KEPT])
    settings.sync()


def used_keys() -> list[str]:
    """The default key, the keys remembered, and the last key of each window (settings of earlier versions)."""
    keys = [DEFAULT_KEY, *_list(QSettings("shareimg", "sources").value("keys"))]
    keys += [str(QSettings("shareimg", app).value("key", DEFAULT_KEY)) for app in ("consumer", "provider")]
    valid = []
    for key in keys:
        try:
            validate_key(key)
        except InvalidKey:
            continue  # a hand-edited settings file: not a key
        if key not in valid:
            valid.append(key)
    return valid
