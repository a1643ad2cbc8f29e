"""File ▸ Open Recent: the last files shared, still images and animations, newest first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu

RECENT_FILES = 8


class RecentFiles:
    def __init__(self, settings: QSettings, menu: QMenu, open_file: Callable[[str], None]) -> None:
        self._settings = settings
        self._menu = menu
        self._open = open_file
        self._fill()

    def paths(self) -> list[str]:
        value = self._settings.value("recent", [])
        if value is None:  # an empty list, as QSettings gives it back
            return []
        if isinstance(value, str):  # a list of one, as QSettings gives it back
            return [value]
        assert isinstance(value, list), value  # what remember() stored
        return list(value)

    def remember(self, path: Path) -> None:
        resolved = str(path.resolve())
        recent = [resolved] + [p for p in self.paths() if p != resolved]
        self._settings.setValue("recent", recent[:RECENT_FILES])
        self._fill()

    def _fill(self) -> None:
        self._menu.clear()
        for path in self.paths():
            self._menu.addAction(path).triggered.connect(lambda _=False, path=path: self._open(path))
        self._menu.setEnabled(bool(self.paths()))
