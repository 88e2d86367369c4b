"""Dialogs as tall as their wrapped text needs, at any text size.

A QDialog sizes itself from its layout's size hint, which Qt computes for word-wrapped labels at
a guessed width; when the dialog is then wider or narrower (a minimum width, 150% text, French
words) the wrapped lines need more height than they got and the last line of a paragraph is cut
off. `keep_fitted` makes a dialog ask its layout for the height at its real width whenever it is
shown, resized, re-laid out (a status line filled in later) or its font changes (Settings › Text
size applies at once), never taller than the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel


class _Fitter(QObject):
    def __init__(self, dialog: QDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.busy = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.dialog and event.type() in (
            QEvent.Type.Show,
            QEvent.Type.Resize,
            QEvent.Type.FontChange,
            QEvent.Type.LanguageChange,
            QEvent.Type.LayoutRequest,  # a label's text changed (a status read in the background)
        ):
            self.fit()
        return False

    def fit(self) -> None:
        layout = self.dialog.layout()
        if layout is None or self.busy:
            return
        self.busy = True
        try:
            layout.activate()
            width = max(self.dialog.width(), layout.minimumSize().width())
            needed = (
                layout.totalHeightForWidth(width)
                if layout.hasHeightForWidth()
                else layout.sizeHint().height()
            )
            screen = self.dialog.screen()
            if screen is not None:
                needed = min(needed, screen.availableGeometry().height())
            self.dialog.setMinimumHeight(needed)
            if self.dialog.height() < needed:
                self.dialog.resize(width, needed)
        finally:
            self.busy = False


def keep_fitted(dialog: QDialog) -> None:
    """Keep `dialog` at least as tall as its wrapped text needs at its current width."""
    fitter = _Fitter(dialog)
    dialog.installEventFilter(fitter)
    dialog.setProperty("_fitter", fitter)  # keeps the Python object alive with the dialog


def roomy_labels(form: QFormLayout, room: int = 4) -> None:
    """Give each row label of `form` a few pixels after its text. A label is exactly as wide as
    its text's rounded advance, but at 150% text a glyph's ink runs past it by a pixel or two
    (the "e" of "Taille du texte" lost its right edge against the field beside it)."""
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        label = item.widget() if item is not None else None
        if isinstance(label, QLabel):
            label.setMinimumWidth(label.sizeHint().width() + room)
