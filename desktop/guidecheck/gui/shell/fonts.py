"""Heading fonts that follow the text-size setting (100, 125 or 150%, settings.py).

A heading is the application font times a factor; `set_scaled_font` remembers the factor on the
widget so `refresh_scaled_fonts` can size it again when the setting changes while the app runs.
Kept apart from labels.py (the words, symbols and colours of codes) because the home screen needs
only this for its first frame.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget


def scaled_font(factor: float, bold: bool = False) -> QFont:
    """The application font scaled by `factor`, so headings follow the text-size setting."""
    font = QFont(QApplication.font())
    size = font.pointSizeF()
    if size > 0:
        font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font


def set_scaled_font(widget: QWidget, factor: float, bold: bool = False) -> None:
    """Give `widget` a heading font that follows later text-size changes (see refresh)."""
    # Kept on the Python wrapper, not as a Qt property: reading an unset Qt property back
    # returns an invalid QVariant, which PySide6 6.12 converts with a reference-count error.
    widget._guidecheck_font = (factor, bold)  # type: ignore[attr-defined]
    widget.setFont(scaled_font(factor, bold))


def refresh_scaled_fonts(root: QWidget) -> None:
    """Recompute heading fonts after the application font changed size."""
    for widget in [root, *root.findChildren(QWidget)]:
        scaled = getattr(widget, "_guidecheck_font", None)
        if scaled:
            widget.setFont(scaled_font(*scaled))
