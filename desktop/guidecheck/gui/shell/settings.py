"""The app's own preferences (text size, language), kept in the data folder's settings.ini.

Stored beside the database rather than in the platform registry, so a portable copy on a USB
stick keeps its settings and tests never touch the real user's preferences.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

TEXT_SCALES: tuple[int, ...] = (100, 125, 150)
SETTINGS_NAME = "settings.ini"


class AppSettings:
    def __init__(self, home: Path) -> None:
        self._settings = QSettings(str(home / SETTINGS_NAME), QSettings.Format.IniFormat)

    @property
    def text_scale(self) -> int:
        try:
            value = int(self._settings.value("display/text_scale", 100))
        except (TypeError, ValueError):
            return 100
        return value if value in TEXT_SCALES else 100

    @text_scale.setter
    def text_scale(self, value: int) -> None:
        self._settings.setValue("display/text_scale", int(value))
        self._settings.sync()

    @property
    def window_geometry(self) -> QByteArray:
        """The main window's last geometry (QWidget.saveGeometry), empty when never saved."""
        value = self._settings.value("window/geometry", QByteArray())
        return value if isinstance(value, QByteArray) else QByteArray()

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._settings.setValue("window/geometry", value)
        self._settings.sync()

    @property
    def language(self) -> str:
        """The language chosen in Settings; empty until someone chooses (then the system's)."""
        return str(self._settings.value("display/language", "") or "")

    @language.setter
    def language(self, value: str) -> None:
        self._settings.setValue("display/language", value)
        self._settings.sync()


_base_point_size: float | None = None


def apply_text_scale(app: QApplication, scale: int) -> None:
    """Scale the application font from the platform's base size (100, 125 or 150 percent)."""
    global _base_point_size
    font = QFont(app.font())
    if _base_point_size is None:
        _base_point_size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    font.setPointSizeF(_base_point_size * scale / 100.0)
    app.setFont(font)
    # Widgets whose style sheet or heading font was resolved with the old size keep it until told:
    # set those again at once, so the whole window follows (not only after a restart). At start-up
    # there is no window yet.
    windows = app.topLevelWidgets()
    if not windows:
        return
    from guidecheck.gui.shell.fonts import refresh_scaled_fonts
    from guidecheck.gui.shell.theme import restyle

    for window in windows:
        refresh_scaled_fonts(window)
        restyle(window)
